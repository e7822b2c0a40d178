"""Faults (generic and Mailchimp's own) by operation name, latency, call counting, and the admin endpoints that
inspect state and set up scenarios."""

from __future__ import annotations

from typing import Any

import pytest
import requests

from sandbox.mailchimp import MailchimpFault, MailchimpSimulator
from tests.unit.sandbox_mailchimp.api import Api, ok, problem


def _admin(sim: MailchimpSimulator, method: str, path: str, body: Any = None) -> requests.Response:
    return requests.request(method, f"{sim.base_url}/_sandbox/{path}", json=body, timeout=5)


def test_a_status_fault_by_operation_name(api: Api, sim: MailchimpSimulator) -> None:
    sim.faults.add("status", status=503, match="members.put", times=1)
    failed = api.put_member("a@acme.example.com", status_if_new="subscribed")
    assert failed.status_code == 503
    assert sim.member("a@acme.example.com") is None, "nothing was processed"
    api.subscribe("a@acme.example.com")
    ok(api.get("/ping"))
    assert sim.calls.by_name == {"members.put": 2, "ping.get": 1}
    assert sim.calls.faults == {"status": 1}


def test_drop_after_commits_then_hangs_up(api: Api, sim: MailchimpSimulator) -> None:
    sim.faults.add("drop_after", match="members.put")
    with pytest.raises(requests.ConnectionError):
        api.put_member("a@acme.example.com", status_if_new="subscribed")
    assert sim.member("a@acme.example.com") is not None


@pytest.mark.parametrize(
    ("kind", "status", "title"),
    [
        (MailchimpFault.TOO_MANY_REQUESTS, 429, "Too Many Requests"),
        (MailchimpFault.INTERNAL_ERROR, 500, "Internal Server Error"),
        (MailchimpFault.TOO_MANY_SIGNUPS, 400, "Invalid Resource"),
    ],
)
def test_mailchimp_faults_answer_problems(
    api: Api, sim: MailchimpSimulator, kind: str, status: int, title: str
) -> None:
    sim.faults.add(kind)
    body = problem(api.put_member("a@acme.example.com", status_if_new="subscribed"), status, title)
    if kind == MailchimpFault.TOO_MANY_SIGNUPS:
        assert body["detail"].startswith("a@acme.example.com has signed up to a lot of lists very recently")
    assert sim.member("a@acme.example.com") is None
    api.subscribe("a@acme.example.com")  # one time only


@pytest.mark.parametrize(("kind", "status"), [(MailchimpFault.EMPTY_429, 429), (MailchimpFault.EMPTY_403, 403)])
def test_body_less_refusals(api: Api, sim: MailchimpSimulator, kind: str, status: int) -> None:
    sim.faults.add(kind, match="ping.get")
    response = api.get("/ping")
    assert (response.status_code, response.content) == (status, b"")


def test_mailchimp_faults_never_hit_the_metadata_or_archives(sim: MailchimpSimulator) -> None:
    sim.faults.add(MailchimpFault.INTERNAL_ERROR, times=None)
    metadata = requests.get(sim.base_url + "/oauth2/metadata", timeout=5)
    assert metadata.json() == {"error": "invalid_token"}


def test_faults_over_the_admin_api(api: Api, sim: MailchimpSimulator) -> None:
    added = _admin(sim, "POST", "faults", {"kind": "internal_error", "match": "orders.create"})
    assert added.status_code == 201
    assert "too_many_signups" in _admin(sim, "GET", "faults").json()["kinds"]
    assert _admin(sim, "POST", "latency", {"seconds": 0.0}).status_code == 200


def test_admin_members_scenarios(api: Api, sim: MailchimpSimulator) -> None:
    seeded = _admin(
        sim,
        "POST",
        "members",
        {"members": [{"email_address": "a@acme.example.com", "tags": ["t"], "merge_fields": {"FNAME": "A"}}]},
    )
    assert seeded.status_code == 201
    member = _admin(sim, "GET", "members/a%40acme.example.com").json()["member"]
    assert (member["status"], member["merge_fields"]["FNAME"], member["tags"][0]["name"]) == ("subscribed", "A", "t")
    assert _admin(sim, "PATCH", "members/a%40acme.example.com", {"status": "cleaned"}).json()["member"]["status"] == (
        "cleaned"
    )
    problem(api.put_member("a@acme.example.com", status="subscribed"), 400, "Member In Compliance State")
    _admin(sim, "PATCH", "members/b%40acme.example.com", {"status": "forgotten"})
    listed = _admin(sim, "GET", "members").json()
    assert listed["forgotten"] == ["b@acme.example.com"]
    assert [m["email_address"] for m in listed["members"]] == ["a@acme.example.com"]
    assert _admin(sim, "PATCH", "members/c%40acme.example.com", {"status": "sleeping"}).status_code == 400
    assert _admin(sim, "GET", "members/zz%40acme.example.com").status_code == 404


def test_admin_fake_emails_merge_fields_and_config(api: Api, sim: MailchimpSimulator) -> None:
    assert _admin(sim, "POST", "fake-emails", {"pattern": "*@bad.example.com"}).status_code == 201
    assert "*@bad.example.com" in _admin(sim, "GET", "fake-emails").json()["patterns"]
    problem(api.put_member("x@bad.example.com", status_if_new="subscribed"), 400, "Invalid Resource")
    assert _admin(sim, "POST", "merge-fields", {"tag": "ERPID", "type": "number"}).status_code == 201
    assert "ERPID" in [item["tag"] for item in _admin(sim, "GET", "merge-fields").json()["merge_fields"]]
    assert _admin(sim, "PATCH", "config", {"problem_type": False}).json()["problem_type"] is False
    assert "type" not in problem(api.get("/lists/none"), 404, "Resource Not Found")
    assert _admin(sim, "PATCH", "config", {"throttle_style": "loud"}).status_code == 400
    assert "api_key" not in _admin(sim, "GET", "config").json()
    lists = _admin(sim, "GET", "lists").json()["lists"]
    assert lists[0]["id"] == sim.list_id


def test_admin_stores_and_batches(api: Api, sim: MailchimpSimulator) -> None:
    ok(api.post("/ecommerce/stores", {"id": "s1", "list_id": api.list_id, "name": "S", "currency_code": "EUR"}))
    store = _admin(sim, "GET", "stores/s1").json()["store"]
    assert (store["currency_code"], store["customers"], store["orders"]) == ("EUR", {}, {})
    assert _admin(sim, "GET", "stores/none").status_code == 404
    batch = ok(api.post("/batches", {"operations": [{"method": "GET", "path": "/ping", "operation_id": "p"}]}))
    advanced = _admin(sim, "POST", f"batches/{batch['id']}/advance", {"steps": 2}).json()["batch"]
    assert advanced["status"] == "started"
    batches = _admin(sim, "GET", "batches").json()["batches"]
    assert batches[0]["results"] == [
        {"status_code": 200, "operation_id": "p", "response": {"health_status": "Everything's Chimpy!"}}
    ]
    assert _admin(sim, "POST", "batches/0000/advance", {}).status_code == 404
