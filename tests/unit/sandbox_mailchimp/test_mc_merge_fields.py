"""Merge fields: the seeded audience's defaults (FNAME, LNAME, ADDRESS, PHONE + COMPANY), CRUD, filters."""

from __future__ import annotations

import requests

from sandbox.mailchimp import MailchimpSimulator
from tests.unit.sandbox_mailchimp.api import Api, ok, problem


def test_the_seeded_audience_has_the_default_fields(api: Api) -> None:
    fields = ok(api.get(f"/lists/{api.list_id}/merge-fields"))
    assert [(item["tag"], item["type"]) for item in fields["merge_fields"]] == [
        ("FNAME", "text"),
        ("LNAME", "text"),
        ("ADDRESS", "address"),
        ("PHONE", "phone"),
        ("COMPANY", "text"),
    ]
    assert fields["total_items"] == 5
    assert fields["list_id"] == api.list_id
    assert all(item["required"] is False for item in fields["merge_fields"])


def test_create_get_patch_delete(api: Api) -> None:
    path = f"/lists/{api.list_id}/merge-fields"
    created = ok(api.post(path, {"name": "Vendor Id", "type": "text", "tag": "VENDORID", "required": True}))
    assert (created["tag"], created["required"]) == ("VENDORID", True)
    item = f"{path}/{created['merge_id']}"
    assert ok(api.get(item))["name"] == "Vendor Id"
    assert ok(api.patch(item, {"required": False, "name": "Vendor"}))["required"] is False
    assert ok(api.get(path, {"required": "false"}))["total_items"] == 6
    assert ok(api.get(path, {"type": "address"}))["merge_fields"][0]["tag"] == "ADDRESS"
    assert api.delete(item).status_code == 204
    problem(api.get(item), 404, "Resource Not Found")
    auto = ok(api.post(path, {"name": "Intacct Status", "type": "dropdown", "options": {"choices": ["a", "b"]}}))
    assert auto["tag"] == "INTACCTSTA"


def test_create_refusals(api: Api) -> None:
    path = f"/lists/{api.list_id}/merge-fields"
    missing = problem(api.post(path, {"name": "X"}), 400, "Invalid Resource")
    assert missing["errors"] == [{"field": "", "message": "Required fields were not provided: type"}]
    problem(api.post(path, {"name": "X", "type": "colour"}), 400, "Invalid Resource")
    problem(api.post(path, {"name": "X", "type": "text", "tag": "FNAME"}), 400, "Invalid Resource")


def test_admin_adds_a_required_field(sim: MailchimpSimulator, api: Api) -> None:
    response = requests.post(
        sim.base_url + "/_sandbox/merge-fields", json={"tag": "ERPID", "required": True}, timeout=5
    )
    assert response.status_code == 201
    body = problem(api.put_member("a@acme.example.com", status_if_new="subscribed"), 400, "Invalid Resource")
    assert body["errors"] == [{"field": "ERPID", "message": "Please enter a value"}]
