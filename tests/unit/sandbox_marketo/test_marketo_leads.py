"""Leads: Sync by email (input order, no seq), company links through externalCompanyId, reasons
1003/1004/1005/1007/1021, describe with custom fields, queries by filter type."""

from __future__ import annotations

import pytest

from sandbox.marketo import FieldSpec, MarketoSimConfig, MarketoSimulator
from tests.unit.sandbox_marketo.api import Api, error_codes, reasons
from tests.unit.sandbox_marketo.conftest import StartMarketo

LEADS = "/rest/v1/leads.json"


def _started(start_marketo: StartMarketo, **options: object) -> tuple[MarketoSimulator, Api]:
    sim = start_marketo(config=MarketoSimConfig(**options))  # type: ignore[arg-type]
    api = Api(sim)
    api.login()
    return sim, api


def test_sync_by_email_links_leads_to_their_company(api: Api, sim: MarketoSimulator) -> None:
    api.sync_companies([{"externalCompanyId": "V100", "company": "Acme", "billingCity": "Springfield"}])
    result = api.sync_leads(
        [
            {"email": "ann@acme.example", "firstName": "Ann", "externalCompanyId": "V100"},
            {"email": "bob@acme.example", "firstName": "Bob"},
        ]
    )
    assert [set(r) for r in result] == [{"id", "status"}, {"id", "status"}]
    assert [r["status"] for r in result] == ["created", "created"]
    again = api.sync_leads([{"email": "ANN@acme.example", "lastName": "Lee"}])
    assert again == [{"id": result[0]["id"], "status": "updated"}]
    ann = sim.leads["ann@acme.example"]
    assert (ann["firstName"], ann["lastName"], ann["externalCompanyId"]) == ("Ann", "Lee", "V100")
    assert (ann["company"], ann["billingCity"]) == ("Acme", "Springfield")  # inherited from the company
    api.sync_companies([{"externalCompanyId": "V100", "company": "Acme Ltd"}])
    shown = api.ok(
        api.get(LEADS, params={"filterType": "email", "filterValues": "ann@acme.example", "fields": "company"})
    )
    assert shown == [{"company": "Acme Ltd"}]


def test_results_keep_input_order_and_a_repeated_email_updates(api: Api) -> None:
    result = api.sync_leads(
        [{"email": "a@x.example"}, {"email": "not-an-email"}, {"email": "a@x.example", "firstName": "A"}]
    )
    assert result[0]["status"] == "created"
    assert reasons(result[1]) == ["1003"]
    assert result[2] == {"id": result[0]["id"], "status": "updated"}


@pytest.mark.parametrize("email", ["no-at-sign.example", "josé@x.example", "a@b", "two@@x.example"])
def test_invalid_and_non_ascii_emails_are_skipped(api: Api, sim: MarketoSimulator, email: str) -> None:
    [result] = api.sync_leads([{"email": email}])
    assert reasons(result) == ["1003"]
    assert result["reasons"][0]["message"] == "Invalid value for field 'email'"
    assert sim.leads == {}


def test_actions_and_lookup_reasons(api: Api, sim: MarketoSimulator) -> None:
    api.sync_leads([{"email": "a@x.example"}])
    sim.seed_leads([{"email": "dup@x.example"}, {"email": "dup@x.example"}])
    assert reasons(api.sync_leads([{"email": "a@x.example"}], action="createOnly")[0]) == ["1005"]
    assert reasons(api.sync_leads([{"email": "b@x.example"}], action="updateOnly")[0]) == ["1004"]
    assert reasons(api.sync_leads([{"email": "dup@x.example", "firstName": "D"}])[0]) == ["1007"]
    assert reasons(api.sync_leads([{"firstName": "no email"}])[0]) == ["1003"]
    assert reasons(api.sync_leads([{"email": "c@x.example", "shoeSize": 9}])[0]) == ["1006"]
    assert reasons(api.sync_leads([{"email": "c@x.example", "id": 5}], action="createOnly")[0]) == ["1003"]
    assert reasons(api.sync_leads([{"email": "p@x.example"}], partitionName="Sales")[0]) == ["1008"]
    duplicate = api.sync_leads([{"email": "a@x.example"}], action="createDuplicate")
    assert duplicate[0]["status"] == "created"


def test_lookup_by_id_only_with_update_only(api: Api, sim: MarketoSimulator) -> None:
    [created] = api.sync_leads([{"email": "a@x.example"}])
    moved = api.sync_leads([{"id": created["id"], "email": "new@x.example"}], action="updateOnly", lookupField="id")
    assert moved == [{"id": created["id"], "status": "updated"}]
    assert set(sim.leads) == {"new@x.example"}
    refused = api.post(LEADS, {"lookupField": "id", "input": [{"id": created["id"]}]})
    assert error_codes(refused) == ["1003"]
    assert error_codes(api.post(LEADS, {"lookupField": "firstName", "input": [{"firstName": "x"}]})) == ["1011"]


def test_unknown_company_is_skipped_by_default(api: Api, sim: MarketoSimulator) -> None:
    [result] = api.sync_leads([{"email": "a@x.example", "externalCompanyId": "NOPE"}])
    assert reasons(result) == ["1003"]
    assert sim.leads == {}


def test_unknown_company_accepted_or_created_when_configured(start_marketo: StartMarketo) -> None:
    accepting, accept_api = _started(start_marketo, unknown_company_mode="accept")
    accept_api.sync_leads([{"email": "a@x.example", "externalCompanyId": "LATER"}])
    assert accepting.leads["a@x.example"]["externalCompanyId"] == "LATER"
    assert accepting.companies == {}
    creating, create_api = _started(start_marketo, unknown_company_mode="create")
    create_api.sync_leads([{"email": "a@x.example", "externalCompanyId": "NEW"}])
    assert set(creating.companies) == {"NEW"}


def test_company_fields_on_a_linked_lead_are_1021(api: Api, sim: MarketoSimulator) -> None:
    api.sync_companies([{"externalCompanyId": "V1", "company": "Acme"}])
    api.sync_leads([{"email": "linked@x.example", "externalCompanyId": "V1"}])
    linking = api.sync_leads([{"email": "new@x.example", "externalCompanyId": "V1", "company": "Other"}])
    existing = api.sync_leads([{"email": "linked@x.example", "billingCity": "Elsewhere"}])
    unlinked = api.sync_leads([{"email": "free@x.example", "company": "Own Co"}])
    assert reasons(linking[0]) == ["1021"]
    assert reasons(existing[0]) == ["1021"]
    assert unlinked[0]["status"] == "created"
    assert sim.leads["free@x.example"]["company"] == "Own Co"


def test_describe_and_describe2_include_custom_fields(start_marketo: StartMarketo) -> None:
    custom = (FieldSpec("intacctContactId", "string", 80), FieldSpec("vendorScore", "integer", None))
    _, api = _started(start_marketo, lead_custom_fields=custom)
    described = {entry["rest"]["name"]: entry for entry in api.ok(api.get("/rest/v1/leads/describe.json"))}
    assert described["intacctContactId"]["dataType"] == "string"
    assert described["intacctContactId"]["length"] == 80
    assert described["id"]["rest"]["readOnly"] is True
    assert described["email"]["soap"]["name"] == "Email"
    [object_view] = api.ok(api.get("/rest/v1/leads/describe2.json"))
    assert ["intacctContactId"] in object_view["searchableFields"]
    assert ["vendorScore"] in object_view["searchableFields"]
    assert {f["name"] for f in object_view["fields"]} >= {"email", "vendorScore", "externalCompanyId"}


def test_query_by_filter_type(start_marketo: StartMarketo) -> None:
    _, api = _started(start_marketo, lead_custom_fields=(FieldSpec("intacctContactId", "string", 80),))
    api.sync_leads(
        [
            {"email": "a@x.example", "firstName": "A", "intacctContactId": "C-1"},
            {"email": "b@x.example", "firstName": "B", "unsubscribed": True},
        ]
    )
    by_email = api.ok(api.get(LEADS, params={"filterType": "email", "filterValues": "B@X.example,none@x.example"}))
    assert [lead["email"] for lead in by_email] == ["b@x.example"]
    assert set(by_email[0]) == {"id", "email", "updatedAt", "createdAt", "firstName", "lastName"}
    assert by_email[0]["lastName"] is None
    custom = api.ok(api.get(LEADS, params={"filterType": "intacctContactId", "filterValues": "C-1", "fields": "email"}))
    assert custom == [{"email": "a@x.example"}]
    flags = api.ok(
        api.get(LEADS, params={"filterType": "id", "filterValues": by_email[0]["id"], "fields": "unsubscribed"})
    )
    assert flags == [{"unsubscribed": True}]
    by_id = api.ok(api.get(f"/rest/v1/lead/{by_email[0]['id']}.json", params={"fields": "firstName"}))
    assert by_id == [{"firstName": "B"}]
    assert error_codes(api.get(LEADS, params={"filterType": "firstName", "filterValues": "A"})) == ["1011"]
    assert error_codes(api.get(LEADS, params={"filterType": "email"})) == ["701"]


def test_query_with_too_many_matches_is_1003(start_marketo: StartMarketo) -> None:
    sim, api = _started(start_marketo, max_query_matches=3)
    sim.seed_leads([{"email": "same@x.example"} for _ in range(4)])
    assert error_codes(api.get(LEADS, params={"filterType": "email", "filterValues": "same@x.example"})) == ["1003"]
