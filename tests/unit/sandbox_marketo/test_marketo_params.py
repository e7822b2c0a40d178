"""Query parameters as the API reads them: ``_method=GET`` tunnels a query from the form body as well
as from the URL, and a repeated list key (``fields=a&fields=b``) means all of its values."""

from __future__ import annotations

from typing import Any

from sandbox.marketo import MarketoSimulator
from tests.unit.sandbox_marketo.api import Api, error_codes

LEADS = "/rest/v1/leads.json"
COMPANIES = "/rest/v1/companies.json"


def _form(api: Api, path: str, data: Any, params: dict[str, str] | None = None) -> Any:
    headers = {**api.auth(), "Content-Type": "application/x-www-form-urlencoded; charset=utf-8"}
    return api.post(path, params=params, data=data, headers=headers)


def _seed(api: Api) -> list[dict[str, Any]]:
    api.sync_companies([{"externalCompanyId": "V1", "company": "One"}, {"externalCompanyId": "V2", "company": "Two"}])
    return api.sync_leads(
        [
            {"email": "ann@x.example", "firstName": "Ann", "lastName": "Ames", "externalCompanyId": "V1"},
            {"email": "bob@x.example", "firstName": "Bob", "lastName": "Bell"},
        ]
    )


def test_method_get_in_the_form_body_tunnels_a_lead_query(api: Api, sim: MarketoSimulator) -> None:
    _seed(api)
    emails = ["ann@x.example", "bob@x.example"] + [f"nobody-{i}@x.example" for i in range(250)]
    body = {"_method": "GET", "filterType": "email", "filterValues": ",".join(emails), "fields": "email,firstName"}
    result = api.ok(_form(api, LEADS, body))
    assert result == [
        {"email": "ann@x.example", "firstName": "Ann"},
        {"email": "bob@x.example", "firstName": "Bob"},
    ]
    assert sim.calls.count("leads.query") == 1
    assert sim.calls.count("leads.sync") == 1  # the seeding only: nothing was written
    assert len(sim.leads) == 2


def test_method_get_in_the_form_body_for_companies_and_lead_by_id(api: Api) -> None:
    lead_id = _seed(api)[1]["id"]
    query = {"_method": "GET", "filterType": "externalCompanyId", "filterValues": "V2"}
    companies = api.ok(_form(api, COMPANIES, query))
    assert [row["externalCompanyId"] for row in companies] == ["V2"]
    by_id = api.ok(_form(api, f"/rest/v1/lead/{lead_id}.json", {"_method": "GET", "fields": "lastName"}))
    assert by_id == [{"lastName": "Bell"}]


def test_a_form_post_without_method_get_is_still_a_sync(api: Api) -> None:
    body = {"filterType": "email", "filterValues": "ann@x.example"}
    assert error_codes(_form(api, LEADS, body)) == ["612"]
    assert error_codes(_form(api, LEADS, {**body, "_method": "POST"})) == ["612"]


def test_repeated_fields_in_the_query_string_mean_all_of_them(api: Api) -> None:
    lead_id = _seed(api)[0]["id"]
    repeated = {"filterType": "email", "filterValues": "ann@x.example", "fields": ["email", "firstName", "company"]}
    joined = {**repeated, "fields": "email,firstName,company"}
    expected = [{"email": "ann@x.example", "firstName": "Ann", "company": "One"}]
    assert api.ok(api.get(LEADS, params=repeated)) == expected
    assert api.ok(api.get(LEADS, params=joined)) == expected
    by_id = api.ok(api.get(f"/rest/v1/lead/{lead_id}.json", params={"fields": ["lastName", "firstName"]}))
    assert by_id == [{"lastName": "Ames", "firstName": "Ann"}]
    query = {"filterType": "externalCompanyId", "filterValues": "V1", "fields": ["company", "id"]}
    companies = api.ok(api.get(COMPANIES, params=query))
    assert set(companies[0]) == {"seq", "company", "id"}


def test_repeated_filter_values_and_fields_in_a_form_body(api: Api) -> None:
    _seed(api)
    body = [
        ("_method", "GET"),
        ("filterType", "email"),
        ("filterValues", "ann@x.example"),
        ("filterValues", "bob@x.example"),
        ("fields", "email"),
        ("fields", "lastName"),
    ]
    result = api.ok(_form(api, LEADS, body))
    assert result == [{"email": "ann@x.example", "lastName": "Ames"}, {"email": "bob@x.example", "lastName": "Bell"}]
    pairs = [("filterType", "externalCompanyId"), ("filterValues", "V1"), ("filterValues", "V2")]
    companies = api.ok(_form(api, COMPANIES, [*pairs, ("fields", "company")], params={"_method": "GET"}))
    assert [row["company"] for row in companies] == ["One", "Two"]


def test_every_repeated_field_is_checked(api: Api) -> None:
    params = {"filterType": "email", "filterValues": "ann@x.example", "fields": ["email", "noSuchField"]}
    assert error_codes(api.get(LEADS, params=params)) == ["1006"]
