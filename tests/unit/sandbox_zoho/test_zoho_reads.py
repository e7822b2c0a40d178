"""Record reads and search: ``fields`` required for lists, paging by page (first 2,000 records) and by page_token,
sorting, If-Modified-Since, one record by id, search criteria (equals behaves like contains), email/phone/word,
204 with no body when nothing matches, the 2,000-record cap and the optional index lag."""

from __future__ import annotations

from typing import Any

import pytest

from sandbox.zoho import ZohoSimConfig, ZohoSimulator
from tests.unit.sandbox_zoho.api import Api, empty, error, ok
from tests.unit.sandbox_zoho.conftest import StartZoho


def _seed_accounts(api: Api, count: int) -> list[str]:
    rows = [{"Account_Name": f"Account {index:03d}", "Intacct_ID": f"C-{index:03d}"} for index in range(count)]
    ids: list[str] = []
    for start in range(0, count, 100):
        items = ok(api.upsert("Accounts", rows[start : start + 100], duplicate_check_fields=["Intacct_ID"]))["data"]
        ids.extend(item["details"]["id"] for item in items)
    return ids


def _names(payload: dict[str, Any]) -> list[str]:
    return [record["Account_Name"] for record in payload["data"]]


def test_a_list_needs_fields_and_shows_only_them(api: Api) -> None:
    body = error(api.get("/Accounts"), 400, "REQUIRED_PARAM_MISSING")
    assert body["details"] == {"param_name": "fields"}
    empty(api.get("/Accounts", {"fields": "Account_Name"}))
    parent = api.upsert_one("Accounts", {"Account_Name": "Parent"})["details"]["id"]
    api.upsert_one("Accounts", {"Account_Name": "Child", "Parent_Account": {"id": parent}})
    page = ok(api.get("/Accounts", {"fields": "Account_Name,Parent_Account,Nope", "sort_order": "asc"}))
    assert page["data"][1] == {
        "Account_Name": "Child",
        "Parent_Account": {"name": "Parent", "id": parent},
        "id": page["data"][1]["id"],
    }
    assert page["info"]["count"] == 2
    assert page["info"]["more_records"] is False
    error(api.get("/Accounts", {"fields": ",".join(f"F{index}" for index in range(51))}), 400, "LIMIT_EXCEEDED")


def test_paging_by_page_and_by_page_token(api: Api) -> None:
    ids = _seed_accounts(api, 250)
    first = ok(api.get("/Accounts", {"fields": "Account_Name", "per_page": 100, "sort_order": "asc"}))
    assert _names(first)[0] == "Account 000"
    assert first["info"]["more_records"] is True
    token = first["info"]["next_page_token"]
    assert token
    assert first["info"]["page_token_expiry"] == "2026-03-11T12:00:00+00:00"
    second = ok(api.get("/Accounts", {"fields": "Account_Name", "per_page": 100, "page_token": token}))
    third = ok(
        api.get(
            "/Accounts", {"fields": "Account_Name", "per_page": 100, "page_token": second["info"]["next_page_token"]}
        )
    )
    assert _names(second)[0] == "Account 100"
    assert _names(third)[-1] == "Account 249"
    assert third["info"]["more_records"] is False
    assert third["info"]["next_page_token"] is None
    by_page = ok(api.get("/Accounts", {"fields": "Account_Name", "per_page": 100, "page": 3, "sort_order": "asc"}))
    assert [record["id"] for record in by_page["data"]] == ids[200:]
    newest = ok(api.get("/Accounts", {"fields": "Account_Name", "per_page": 1}))
    assert newest["data"][0]["id"] == ids[-1]  # sort_by id, descending by default (OAS example)


def test_the_first_two_thousand_records_only_without_a_page_token(api: Api, sim: ZohoSimulator) -> None:
    body = error(
        api.get("/Accounts", {"fields": "Account_Name", "page": 11}), 400, "DISCRETE_PAGINATION_LIMIT_EXCEEDED"
    )
    assert body["details"] == {"limit": 2000}
    _seed_accounts(api, 3)
    token = ok(api.get("/Accounts", {"fields": "Account_Name", "per_page": 1}))["info"]["next_page_token"]
    sim.clock.advance(86_400)
    api.login()  # the access token expired long before
    expired = error(api.get("/Accounts", {"fields": "Account_Name", "page_token": token}), 400, "EXPIRED_VALUE")
    assert expired["message"] == "Page token expired"
    error(api.get("/Accounts", {"fields": "Account_Name", "page_token": "made-up"}), 400, "INVALID_DATA")


def test_sorting_and_if_modified_since(api: Api, sim: ZohoSimulator) -> None:
    first, second = _seed_accounts(api, 2)
    sim.clock.advance(60)
    api.upsert_one("Accounts", {"Intacct_ID": "C-000", "Phone": "1"}, duplicate_check_fields=["Intacct_ID"])
    by_modified = ok(api.get("/Accounts", {"fields": "Account_Name", "sort_by": "Modified_Time", "sort_order": "desc"}))
    assert [record["id"] for record in by_modified["data"]] == [first, second]
    since = {"If-Modified-Since": "2026-03-10T12:00:30+00:00", **api.headers()}
    changed = ok(api.get("/Accounts", {"fields": "Account_Name"}, headers=since))
    assert [record["id"] for record in changed["data"]] == [first]
    later = {"If-Modified-Since": "2026-03-10T13:00:00+00:00", **api.headers()}
    empty(api.get("/Accounts", {"fields": "Account_Name"}, headers=later), 304)
    error(api.get("/Accounts", {"fields": "Account_Name", "sort_by": "Phone"}), 400, "INVALID_DATA")


def test_one_record_by_id(api: Api, start_zoho: StartZoho) -> None:
    account = api.upsert_one("Accounts", {"Account_Name": "Acme", "Department": "Sales"})["details"]["id"]
    record = ok(api.get(f"/Accounts/{account}"))["data"][0]
    assert (record["id"], record["Account_Name"], record["Department"]) == (account, "Acme", "Sales")
    assert record["Owner"] == {
        "name": "Sandbox Admin",
        "id": record["Owner"]["id"],
        "email": "admin@mlc-sandbox.example.com",
    }
    assert record["Created_Time"] == "2026-03-10T12:00:00+00:00"
    assert ok(api.get(f"/Accounts/{account}", {"fields": "Department"}))["data"][0] == {
        "Department": "Sales",
        "id": account,
    }
    empty(api.get("/Accounts/4150868000000000001"))
    empty(api.get(f"/Contacts/{account}"))  # an id of another module
    strict = start_zoho(config=ZohoSimConfig(missing_record="invalid_data"))
    caller = Api(strict)
    caller.login()
    body = error(caller.get("/Accounts/4150868000000000001"), 400, "INVALID_DATA")
    assert body["message"] == "the id given seems to be invalid"


def test_contacts_show_their_lookups_and_full_name(api: Api) -> None:
    account = api.upsert_one("Accounts", {"Account_Name": "Acme"})["details"]["id"]
    contact = {"First_Name": "Ann", "Last_Name": "Lee", "Account_Name": {"id": account}, "Email_Opt_Out": False}
    contact_id = api.upsert_one("Contacts", contact)["details"]["id"]
    record = ok(api.get(f"/Contacts/{contact_id}"))["data"][0]
    assert record["Full_Name"] == "Ann Lee"
    assert record["Account_Name"] == {"name": "Acme", "id": account}
    assert record["Email_Opt_Out"] is False
    boss = api.upsert_one("Contacts", {"Last_Name": "Boss", "Reporting_To": {"id": contact_id}})["details"]["id"]
    assert ok(api.get(f"/Contacts/{boss}"))["data"][0]["Reporting_To"] == {"name": "Ann Lee", "id": contact_id}


def test_search_equals_behaves_like_contains(api: Api, start_zoho: StartZoho) -> None:
    _seed_accounts(api, 12)  # C-000 .. C-011
    found = ok(api.get("/Accounts/search", {"criteria": "(Intacct_ID:equals:C-01)"}))
    assert sorted(record["Intacct_ID"] for record in found["data"]) == ["C-010", "C-011"]
    assert found["info"] == {"per_page": 200, "count": 2, "page": 1, "more_records": False}
    exact = start_zoho(config=ZohoSimConfig(search_equals="exact"))
    caller = Api(exact)
    caller.login()
    _seed_accounts(caller, 12)
    empty(caller.get("/Accounts/search", {"criteria": "(Intacct_ID:equals:C-01)"}))
    assert len(ok(caller.get("/Accounts/search", {"criteria": "(Intacct_ID:equals:c-010)"}))["data"]) == 1


@pytest.mark.parametrize(
    ("criteria", "expected"),
    [
        ("(Intacct_ID:in:C-001,C-003)", ["C-001", "C-003"]),
        ("(Account_Name:starts_with:Account 00)", [f"C-00{index}" for index in range(10)]),
        ("((Intacct_ID:equals:C-002)or(Intacct_ID:equals:C-004))", ["C-002", "C-004"]),
        ("((Account_Name:equals:Account)and(Intacct_ID:equals:C-005))", ["C-005"]),
        ("((Intacct_ID:equals:C-001)or(Intacct_ID:equals:C-002)and(Account_Name:equals:nope))", ["C-001"]),
        ("(Intacct_ID:not_equal:C-000)", [f"C-{index:03d}" for index in range(1, 12)]),
        ("(Intacct_ID:between:C-009,C-010)", ["C-009", "C-010"]),
    ],
)
def test_search_operators(api: Api, criteria: str, expected: list[str]) -> None:
    _seed_accounts(api, 12)
    found = ok(api.get("/Accounts/search", {"criteria": criteria}))
    assert sorted(record["Intacct_ID"] for record in found["data"]) == expected


def test_search_values_escape_parentheses_and_commas(api: Api) -> None:
    api.upsert_one("Accounts", {"Account_Name": "Acme (Europe), Ltd"})
    found = ok(api.get("/Accounts/search", {"criteria": r"(Account_Name:equals:Acme \(Europe\)\, Ltd)"}))
    assert _names(found) == ["Acme (Europe), Ltd"]


def test_search_by_email_phone_and_word(api: Api) -> None:
    api.upsert_one("Contacts", {"Last_Name": "Lee", "Email": "Ann@Acme.example.com", "Phone": "+1 555 0100"})
    api.upsert_one("Contacts", {"Last_Name": "Kim", "Secondary_Email": "kim@acme.example.com"})
    assert [r["Last_Name"] for r in ok(api.get("/Contacts/search", {"email": "ann@acme.example.com"}))["data"]] == [
        "Lee"
    ]
    assert [r["Last_Name"] for r in ok(api.get("/Contacts/search", {"email": "kim@acme.example.com"}))["data"]] == [
        "Kim"
    ]
    assert len(ok(api.get("/Contacts/search", {"phone": "555 0100"}))["data"]) == 1
    assert len(ok(api.get("/Contacts/search", {"word": "acme"}))["data"]) == 2
    empty(api.get("/Contacts/search", {"email": "nobody@acme.example.com"}))


def test_search_refusals(api: Api) -> None:
    error(api.get("/Accounts/search"), 400, "EXPECTED_PARAM_MISSING")
    error(api.get("/Accounts/search", {"criteria": "Account_Name:equals:x"}), 400, "INVALID_QUERY")
    error(api.get("/Accounts/search", {"criteria": "(Account_Name:like:x)"}), 400, "INVALID_QUERY")
    body = error(api.get("/Accounts/search", {"criteria": "(Nope:equals:x)"}), 400, "INVALID_QUERY")
    assert body["details"]["api_name"] == "Nope"
    many = "(" + "and".join(f"(Account_Name:equals:{index})" for index in range(11)) + ")"
    error(api.get("/Accounts/search", {"criteria": many}), 400, "INVALID_QUERY")
    error(api.get("/Accounts/search", {"word": "a"}), 400, "INVALID_QUERY")
    body = error(api.get("/Accounts/search", {"criteria": "(Account_Name:equals:x)", "page": 11}), 400, "LIMIT_REACHED")
    assert body["details"] == {"limit": 2000}


def test_search_paging_and_fields(api: Api) -> None:
    _seed_accounts(api, 5)
    page = ok(
        api.get(
            "/Accounts/search",
            {"criteria": "(Account_Name:starts_with:Account)", "per_page": 2, "page": 2, "fields": "Intacct_ID"},
        )
    )
    assert [record["Intacct_ID"] for record in page["data"]] == ["C-002", "C-003"]
    assert set(page["data"][0]) == {"Intacct_ID", "id"}
    assert page["info"]["more_records"] is True


def test_search_can_lag_behind_writes(start_zoho: StartZoho) -> None:
    sim = start_zoho(config=ZohoSimConfig(search_index_lag_s=30))
    api = Api(sim)
    api.login()
    api.upsert_one("Accounts", {"Account_Name": "Fresh"})
    empty(api.get("/Accounts/search", {"criteria": "(Account_Name:equals:Fresh)"}))
    sim.clock.advance(30)
    assert _names(ok(api.get("/Accounts/search", {"criteria": "(Account_Name:equals:Fresh)"}))) == ["Fresh"]
