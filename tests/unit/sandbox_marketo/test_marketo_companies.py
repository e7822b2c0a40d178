"""Companies: describe with custom fields, Sync (create, update, dedupe, 1036, 300 cap, CRM mode,
per-record reasons), query by a searchable field with paging, delete."""

from __future__ import annotations

from sandbox.marketo import FieldSpec, MarketoSimConfig, MarketoSimulator
from tests.unit.sandbox_marketo.api import Api, error_codes, reasons
from tests.unit.sandbox_marketo.conftest import StartMarketo

COMPANIES = "/rest/v1/companies.json"


def test_describe_lists_standard_and_custom_fields(start_marketo: StartMarketo) -> None:
    custom = (FieldSpec("intacctVendorStatus", "string", 20), FieldSpec("intacctBalance", "currency", None))
    api = Api(start_marketo(config=MarketoSimConfig(company_custom_fields=custom)))
    api.login()
    [described] = api.ok(api.get("/rest/v1/companies/describe.json"))
    assert described["idField"] == "id"
    assert described["dedupeFields"] == ["externalCompanyId"]
    assert ["externalCompanyId"] in described["searchableFields"]
    fields = {field["name"]: field for field in described["fields"]}
    assert fields["externalCompanyId"]["length"] == 100
    assert fields["externalCompanyId"]["updateable"] is False
    assert fields["intacctVendorStatus"] == {
        "name": "intacctVendorStatus",
        "displayName": "IntacctVendorStatus",
        "dataType": "string",
        "length": 20,
        "updateable": True,
    }
    assert fields["intacctBalance"]["dataType"] == "currency"
    assert "length" not in fields["intacctBalance"]


def test_create_then_update_deduplicated_on_external_company_id(api: Api, sim: MarketoSimulator) -> None:
    created = api.sync_companies([{"externalCompanyId": "V100", "company": "Acme", "mainPhone": "555-0100"}])
    assert created == [{"seq": 0, "status": "created", "id": created[0]["id"]}]
    before = sim.companies["V100"]
    sim.clock.advance(90)
    updated = api.sync_companies([{"externalCompanyId": "V100", "company": "Acme Ltd", "mainPhone": None}])
    assert updated == [{"seq": 0, "status": "updated", "id": created[0]["id"]}]
    after = sim.companies["V100"]
    assert after["company"] == "Acme Ltd"
    assert "mainPhone" not in after  # null clears
    assert after["createdAt"] == before["createdAt"]
    assert str(after["updatedAt"]) > str(before["updatedAt"])
    assert len(sim.companies) == 1


def test_duplicate_key_in_one_call_is_1036_for_the_repeat(api: Api, sim: MarketoSimulator) -> None:
    result = api.sync_companies(
        [
            {"externalCompanyId": "V1", "company": "First"},
            {"externalCompanyId": "V2", "company": "Other"},
            {"externalCompanyId": "V1", "company": "Second"},
        ]
    )
    assert [r["seq"] for r in result] == [0, 1, 2]
    assert [r["status"] for r in result[:2]] == ["created", "created"]
    assert reasons(result[2]) == ["1036"]
    assert sim.companies["V1"]["company"] == "First"


def test_at_most_300_records_per_call(api: Api, sim: MarketoSimulator) -> None:
    batch = [{"externalCompanyId": f"V{i}", "company": f"C{i}"} for i in range(301)]
    assert error_codes(api.post(COMPANIES, {"input": batch})) == ["1003"]
    assert sim.companies == {}
    assert len(api.sync_companies(batch[:300])) == 300
    assert len(sim.companies) == 300


def test_per_record_reasons(api: Api, sim: MarketoSimulator) -> None:
    api.sync_companies([{"externalCompanyId": "V1", "company": "One"}])
    result = api.sync_companies(
        [
            {"externalCompanyId": "V2", "company": "x", "noSuchField": 1},
            {"company": "no key"},
            {"externalCompanyId": "V3", "company": "c" * 256},
            {"externalCompanyId": "V4", "numberOfEmployees": "many"},
            {"externalCompanyId": "V5", "id": 7},
            {"externalCompanyId": "V6", "company": "Fine", "annualRevenue": "1200.50"},
        ]
    )
    assert [reasons(r) for r in result[:5]] == [["1006"], ["1002"], ["1003"], ["1003"], ["1003"]]
    assert result[5]["status"] == "created"
    assert sim.companies["V6"]["annualRevenue"] == 1200.5
    assert set(sim.companies) == {"V1", "V6"}


def test_create_only_and_update_only(api: Api, sim: MarketoSimulator) -> None:
    api.sync_companies([{"externalCompanyId": "V1", "company": "One"}])
    exists = api.sync_companies([{"externalCompanyId": "V1", "company": "x"}], action="createOnly")
    missing = api.sync_companies([{"externalCompanyId": "V9", "company": "x"}], action="updateOnly")
    assert reasons(exists[0]) == ["1017"]
    assert reasons(missing[0]) == ["1013"]
    company_id = sim.companies["V1"]["id"]
    by_id = api.sync_companies([{"id": company_id, "industry": "Retail"}], action="updateOnly", dedupeBy="idField")
    assert by_id == [{"seq": 0, "status": "updated", "id": company_id}]
    assert sim.companies["V1"]["industry"] == "Retail"
    assert error_codes(api.post(COMPANIES, {"dedupeBy": "idField", "input": [{"id": company_id}]})) == ["1003"]
    assert error_codes(api.post(COMPANIES, {"action": "upsert", "input": [{"externalCompanyId": "V1"}]})) == ["1003"]


def test_crm_enabled_skips_every_write_with_1018(start_marketo: StartMarketo) -> None:
    sim = start_marketo(config=MarketoSimConfig(crm_enabled=True))
    api = Api(sim)
    api.login()
    result = api.sync_companies([{"externalCompanyId": "V1", "company": "One"}, {"externalCompanyId": "V2"}])
    assert [reasons(r) for r in result] == [["1018"], ["1018"]]
    assert sim.companies == {}
    assert api.ok(api.get("/rest/v1/companies/describe.json"))


def test_query_by_external_id_with_fields_and_paging(api: Api) -> None:
    api.sync_companies([{"externalCompanyId": f"V{i}", "company": f"C{i}"} for i in range(5)])
    params = {"filterType": "externalCompanyId", "filterValues": "V3,V0,V4,NOPE", "fields": "company,website"}
    first = api.get(COMPANIES, params={**params, "batchSize": 2}).json()
    assert first["result"] == [
        {"seq": 0, "company": "C3", "website": None},
        {"seq": 1, "company": "C0", "website": None},
    ]
    assert first["moreResult"] is True
    second = api.get(COMPANIES, params={**params, "batchSize": 2, "nextPageToken": first["nextPageToken"]}).json()
    assert second["result"] == [{"seq": 2, "company": "C4", "website": None}]
    assert "nextPageToken" not in second
    default = api.ok(api.get(COMPANIES, params={"filterType": "dedupeFields", "filterValues": "V1"}))
    assert set(default[0]) == {"seq", "id", "externalCompanyId", "createdAt", "updatedAt"}
    assert api.ok(api.get(COMPANIES, params={"filterType": "company", "filterValues": "none"})) == []
    assert error_codes(api.get(COMPANIES, params={"filterType": "industry", "filterValues": "x"})) == ["1011"]
    assert error_codes(api.get(COMPANIES, params={"filterType": "id", "filterValues": "1", "fields": "nope"})) == [
        "1006"
    ]


def test_delete_by_external_id(api: Api, sim: MarketoSimulator) -> None:
    api.sync_companies([{"externalCompanyId": "V1", "company": "One"}])
    result = api.ok(
        api.post(
            "/rest/v1/companies/delete.json", {"input": [{"externalCompanyId": "V1"}, {"externalCompanyId": "V2"}]}
        )
    )
    assert result[0]["status"] == "deleted"
    assert reasons(result[1]) == ["1013"]
    assert sim.companies == {}
