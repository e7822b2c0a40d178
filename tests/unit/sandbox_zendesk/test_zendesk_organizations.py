"""Organizations: unique trimmed names, case-insensitive unique external ids, create_or_update matching on id or
external_id only, show_many by ids or external ids, search, cursor-paged lists, organization fields."""

from __future__ import annotations

from typing import Any

import pytest

from sandbox.zendesk import ZendeskSimConfig, ZendeskSimulator
from tests.unit.sandbox_zendesk.api import Api
from tests.unit.sandbox_zendesk.conftest import StartZendesk


def _create(api: Api, **values: Any) -> Any:
    return api.call("POST", "/organizations.json", {"organization": values})


def test_create_show_update_delete(api: Api, sim: ZendeskSimulator) -> None:
    created = _create(api, name="  Acme Supply ", external_id=1001, domain_names=["acme.example"])
    assert created.status_code == 201
    org = created.json()["organization"]
    assert org["name"] == "Acme Supply"
    assert org["external_id"] == "1001"
    assert org["url"] == f"{sim.base_url}/api/v2/organizations/{org['id']}.json"
    assert org["created_at"] == "2026-03-10T12:00:30Z"
    assert api.get(f"/organizations/{org['id']}").json()["organization"]["id"] == org["id"]
    sim.clock.advance(5)
    updated = api.call("PUT", f"/organizations/{org['id']}.json", {"organization": {"domain_names": ["b.example"]}})
    assert updated.json()["organization"]["domain_names"] == ["b.example"]  # the list is replaced
    assert updated.json()["organization"]["updated_at"] == "2026-03-10T12:00:35Z"
    assert api.call("DELETE", f"/organizations/{org['id']}").status_code == 204
    missing = api.get(f"/organizations/{org['id']}")
    assert missing.status_code == 404
    assert missing.json() == {"error": "RecordNotFound", "description": "Not found"}


def test_name_must_be_unique_after_trimming(api: Api) -> None:
    assert _create(api, name="Acme").status_code == 201
    duplicate = _create(api, name=" acme ")
    assert duplicate.status_code == 422
    body = duplicate.json()
    assert body["error"] == "RecordInvalid"
    assert body["details"]["name"][0]["error"] == "DuplicateValue"
    assert _create(api, name="").json()["details"]["name"][0]["error"] == "BlankValue"


def test_name_case_sensitivity_is_a_knob(start_zendesk: StartZendesk) -> None:
    sim = start_zendesk(config=ZendeskSimConfig(name_case_insensitive=False))
    api = Api(sim, sim.access_token())
    assert _create(api, name="Acme").status_code == 201
    assert _create(api, name="ACME").status_code == 201


def test_external_id_is_unique_case_insensitively(api: Api, sim: ZendeskSimulator) -> None:
    assert _create(api, name="One", external_id="company1").status_code == 201
    clash = _create(api, name="Two", external_id="Company1")
    assert clash.status_code == 422
    assert clash.json()["details"]["external_id"][0]["error"] == "DuplicateValue"
    found = sim.organization_by_external_id("COMPANY1")
    assert found is not None
    assert found["name"] == "One"


def test_create_or_update_matches_id_or_external_id_never_name(api: Api) -> None:
    path = "/organizations/create_or_update.json"
    created = api.call("POST", path, {"organization": {"name": "Acme", "external_id": "V100"}})
    assert created.status_code == 201
    org_id = created.json()["organization"]["id"]
    by_external = api.call("POST", path, {"organization": {"name": "Acme Inc", "external_id": "v100"}})
    assert by_external.status_code == 200
    assert by_external.json()["organization"]["id"] == org_id
    by_id = api.call("POST", path, {"organization": {"id": org_id, "notes": "n"}})
    assert by_id.status_code == 200
    assert by_id.json()["organization"]["notes"] == "n"
    by_name = api.call("POST", path, {"organization": {"name": "Acme Inc"}})
    assert by_name.status_code == 422  # name is no match key: a duplicate
    assert by_name.json()["details"]["name"][0]["error"] == "DuplicateValue"


def test_show_many_by_ids_and_external_ids(api: Api) -> None:
    ids = [_create(api, name=f"Org {n}", external_id=f"V{100 + n}").json()["organization"]["id"] for n in range(3)]
    by_ids = api.get("/organizations/show_many.json", ids=f"{ids[0]},{ids[2]},999")
    assert [org["id"] for org in by_ids.json()["organizations"]] == [ids[0], ids[2]]  # missing ones absent
    by_external = api.get("/organizations/show_many", external_ids="v101,V102,V999")
    assert [org["external_id"] for org in by_external.json()["organizations"]] == ["V101", "V102"]
    too_many = api.get("/organizations/show_many", ids=",".join(str(n) for n in range(101)))
    assert too_many.status_code == 400
    assert too_many.json()["error"] == "TooManyValues"


def test_search_by_external_id_or_name(api: Api) -> None:
    _create(api, name="Acme Supply", external_id="V100")
    by_external = api.get("/organizations/search.json", external_id="v100").json()
    assert by_external["count"] == 1
    assert by_external["organizations"][0]["name"] == "Acme Supply"
    assert api.get("/organizations/search", name="acme supply").json()["count"] == 1
    assert api.get("/organizations/search", name="Acme").json()["count"] == 0  # exact, not a prefix
    assert api.get("/organizations/search", name="x", external_id="y").status_code == 400
    generic = api.get("/search.json", query='type:organization name:"Acme Supply"').json()
    assert generic["count"] == 1
    assert generic["results"][0]["result_type"] == "organization"


def test_list_pages_by_cursor(api: Api) -> None:
    for n in range(5):
        _create(api, name=f"Org {n}")
    first = api.get("/organizations.json", **{"page[size]": 2}).json()
    assert [org["name"] for org in first["organizations"]] == ["Org 0", "Org 1"]
    assert first["meta"]["has_more"] is True
    names: list[str] = []
    page = first
    while True:
        names += [org["name"] for org in page["organizations"]]
        if not page["meta"]["has_more"]:
            break
        page = Api(api.sim, api.token).call("GET", page["links"]["next"].split("/api/v2")[1]).json()
    assert names == [f"Org {n}" for n in range(5)]
    assert api.get("/organizations.json", **{"page[size]": 500}).json()["meta"]["has_more"] is False


def test_organization_fields_keyed_by_key(api: Api, sim: ZendeskSimulator) -> None:
    sim.add_organization_field("intacct_vendor_id", "text", "Intacct vendor id")
    sim.add_organization_field("vendor_status", "dropdown", "Vendor status", ("active", "inactive"))
    listed = api.get("/organization_fields.json").json()["organization_fields"]
    assert [(item["key"], item["type"]) for item in listed] == [
        ("intacct_vendor_id", "text"),
        ("vendor_status", "dropdown"),
    ]
    assert [option["value"] for option in listed[1]["custom_field_options"]] == ["active", "inactive"]
    created = _create(api, name="Acme", organization_fields={"intacct_vendor_id": "V100", "unknown_key": 1})
    assert created.json()["organization"]["organization_fields"] == {"intacct_vendor_id": "V100", "vendor_status": None}
    bad = _create(api, name="Beta", organization_fields={"vendor_status": "closed"})
    assert bad.status_code == 422
    assert bad.json()["details"]["vendor_status"][0]["error"] == "InvalidValue"


def test_unknown_organization_fields_may_be_refused(start_zendesk: StartZendesk) -> None:
    sim = start_zendesk(config=ZendeskSimConfig(unknown_org_fields="invalid"))
    response = _create(Api(sim, sim.access_token()), name="Acme", organization_fields={"nope": 1})
    assert response.status_code == 422


def test_organization_fields_created_through_the_api(api: Api) -> None:
    body = {"organization_field": {"key": "region", "type": "text", "title": "Region"}}
    assert api.call("POST", "/organization_fields.json", body).status_code == 201
    assert api.call("POST", "/organization_fields.json", body).status_code == 422


@pytest.mark.parametrize("path", ["/organizations/nope/x", "/tickets"])
def test_unknown_paths_are_404(api: Api, path: str) -> None:
    assert api.get(path).status_code == 404
