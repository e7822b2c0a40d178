"""COQL: select with where (comparisons, in, between, like, is null, and/or), lookups joined with dot notation,
order by, the 200-row limit with ``limit offset, count`` paging up to 10,000 rows, 204 without rows, no index lag,
and the refusals (syntax, unknown column or module, limits, scopes)."""

from __future__ import annotations

from typing import Any

import pytest

from sandbox.zoho import ZohoSimConfig, ZohoSimulator
from tests.unit.sandbox_zoho.api import Api, empty, error, ok
from tests.unit.sandbox_zoho.conftest import StartZoho


def _query(api: Api, text: str) -> Any:
    return api.post("/coql", {"select_query": text})


def _seed(api: Api) -> dict[str, str]:
    parent = api.upsert_one("Accounts", {"Account_Name": "Parent Co", "Intacct_ID": "P-1", "Employees": 500})
    parent_id = parent["details"]["id"]
    rows = [
        {"Account_Name": "Acme", "Intacct_ID": "C-1", "Employees": 10, "Parent_Account": {"id": parent_id}},
        {"Account_Name": "Beta", "Intacct_ID": "C-2", "Employees": 20, "Department": "Sales"},
        {"Account_Name": "Gamma", "Intacct_ID": "C-3", "Employees": 30, "Department": "Finance"},
    ]
    items = ok(api.upsert("Accounts", rows, duplicate_check_fields=["Intacct_ID"]))["data"]
    return {
        "P-1": parent_id,
        **{row["Intacct_ID"]: item["details"]["id"] for row, item in zip(rows, items, strict=True)},
    }


def test_select_where_equals(api: Api) -> None:
    ids = _seed(api)
    found = ok(_query(api, "select Account_Name, Intacct_ID from Accounts where Intacct_ID = 'C-2'"))
    assert found == {"data": [{"Account_Name": "Beta", "Intacct_ID": "C-2", "id": ids["C-2"]}],
                     "info": {"count": 1, "more_records": False}}  # fmt: skip


@pytest.mark.parametrize(
    ("where", "expected"),
    [
        ("Employees > 15 and Employees <= 30", ["C-2", "C-3"]),
        ("Intacct_ID in ('C-1', 'C-3')", ["C-1", "C-3"]),
        ("Intacct_ID not in ('C-1', 'C-3', 'P-1')", ["C-2"]),
        ("Employees between 10 and 20", ["C-1", "C-2"]),
        ("Account_Name like 'Ga%'", ["C-3"]),
        ("Account_Name not like '%a%'", []),
        ("Department is null", ["P-1", "C-1"]),
        ("Department is not null and (Department = 'Sales' or Employees >= 30)", ["C-2", "C-3"]),
        ("Parent_Account.Account_Name = 'Parent Co'", ["C-1"]),
        ("Parent_Account.Intacct_ID = 'P-1' or Intacct_ID = 'P-1'", ["P-1", "C-1"]),
        ("Account_Name != 'acme'", ["P-1", "C-2", "C-3"]),  # text compares case-insensitively
    ],
)
def test_where_conditions(api: Api, where: str, expected: list[str]) -> None:
    ids = _seed(api)
    response = _query(api, f"select Intacct_ID from Accounts where {where}")
    if not expected:
        empty(response)
        return
    assert [row["id"] for row in ok(response)["data"]] == [ids[key] for key in expected]


def test_lookups_come_back_as_ids_and_joins_as_values(api: Api) -> None:
    ids = _seed(api)
    row = ok(_query(api, "select Parent_Account, Parent_Account.Account_Name from Accounts where Intacct_ID = 'C-1'"))
    assert row["data"] == [
        {"Parent_Account": {"id": ids["P-1"]}, "Parent_Account.Account_Name": "Parent Co", "id": ids["C-1"]}
    ]
    contact = {"Last_Name": "Lee", "Account_Name": {"id": ids["C-1"]}}
    api.upsert_one("Contacts", contact)
    joined = ok(_query(api, "select Last_Name from Contacts where Account_Name.Parent_Account.Intacct_ID = 'P-1'"))
    assert [row["Last_Name"] for row in joined["data"]] == ["Lee"]
    query = "select Last_Name from Contacts where Account_Name.Parent_Account.Parent_Account.Intacct_ID = 'P-1'"
    error(_query(api, query), 400, "LIMIT_EXCEEDED")  # at most two joins


def test_order_by_and_offset_paging(api: Api) -> None:
    ids = _seed(api)
    by_size = ok(_query(api, "select Intacct_ID from Accounts where Employees > 0 order by Employees desc limit 0, 2"))
    assert [row["id"] for row in by_size["data"]] == [ids["P-1"], ids["C-3"]]
    assert by_size["info"] == {"count": 2, "more_records": True}
    rest = ok(_query(api, "select Intacct_ID from Accounts where Employees > 0 order by Employees desc limit 2, 2"))
    assert [row["id"] for row in rest["data"]] == [ids["C-2"], ids["C-1"]]
    assert rest["info"]["more_records"] is False
    same = ok(
        _query(api, "select Intacct_ID from Accounts where Employees > 0 order by Employees desc limit 2 offset 2")
    )
    assert same["data"] == rest["data"]


def test_no_rows_is_204_and_there_is_no_index_lag(start_zoho: StartZoho) -> None:
    sim = start_zoho(config=ZohoSimConfig(search_index_lag_s=60))
    api = Api(sim)
    api.login()
    empty(_query(api, "select Account_Name from Accounts where Account_Name = 'Fresh'"))
    api.upsert_one("Accounts", {"Account_Name": "Fresh"})
    assert ok(_query(api, "select Account_Name from Accounts where Account_Name = 'Fresh'"))["info"]["count"] == 1


def test_limits(api: Api, sim: ZohoSimulator) -> None:
    body = error(_query(api, "select Account_Name from Accounts where Employees > 0 limit 201"), 400, "LIMIT_EXCEEDED")
    assert body["details"]["limit"] == 200
    body = error(
        _query(api, "select Account_Name from Accounts where Employees > 0 limit 9900, 200"), 400, "LIMIT_EXCEEDED"
    )
    assert body["details"]["limit"] == 10_000
    ok_limit = _query(api, "select Account_Name from Accounts where Employees > 0 limit 9800, 200")
    empty(ok_limit)
    many = ", ".join(["Account_Name"] * 51)
    error(_query(api, f"select {many} from Accounts where Employees > 0"), 400, "LIMIT_EXCEEDED")
    assert sim.calls.count("coql.query") == 4


def test_refusals(api: Api, sim: ZohoSimulator) -> None:
    body = error(_query(api, "select Account_Name from Accounts where Nope = 1"), 400, "INVALID_QUERY")
    assert body["details"]["column_name"] == "Nope"
    error(_query(api, "select Account_Name from Deals where Amount > 1"), 400, "INVALID_QUERY")
    error(_query(api, "select Account_Name from Accounts"), 400, "SYNTAX_ERROR")  # where is required
    error(_query(api, "select from Accounts where Employees > 1"), 400, "SYNTAX_ERROR")
    error(_query(api, "select Account_Name from Accounts where Employees >"), 400, "SYNTAX_ERROR")
    error(_query(api, "select Account_Name from Accounts where Account_Name = 'unterminated"), 400, "SYNTAX_ERROR")
    error(api.post("/coql", {}), 400, "REQUIRED_PARAM_MISSING")
    sim.set_edition("standard")
    error(_query(api, "select Vendor_Name from Vendors where Vendor_Name is not null"), 400, "INVALID_QUERY")


def test_coql_needs_its_scope_and_the_modules(sim: ZohoSimulator) -> None:
    api = Api(sim)
    api.login(refresh_token=sim.add_refresh_token(("ZohoCRM.modules.ALL",)))
    error(_query(api, "select Account_Name from Accounts where Employees > 1"), 401, "OAUTH_SCOPE_MISMATCH")
    api.login(refresh_token=sim.add_refresh_token(("ZohoCRM.coql.READ", "ZohoCRM.modules.contacts.READ")))
    error(_query(api, "select Account_Name from Accounts where Employees > 1"), 401, "OAUTH_SCOPE_MISMATCH")
    empty(_query(api, "select Last_Name from Contacts where Last_Name is not null"))


def test_where_can_be_optional(start_zoho: StartZoho) -> None:
    sim = start_zoho(config=ZohoSimConfig(coql_where_required=False))
    api = Api(sim)
    api.login()
    api.upsert_one("Accounts", {"Account_Name": "Any"})
    assert ok(_query(api, "select Account_Name from Accounts"))["info"]["count"] == 1
