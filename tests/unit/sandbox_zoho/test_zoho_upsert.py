"""Upsert: the duplicate check and its order, per-record results in input order, unique and mandatory fields,
lookups that must point at existing records (sent as JSON strings or numbers above 2**53), picklists, JSON booleans,
duplicates within one call, Parent_Account cycles, and the request-level refusals."""

from __future__ import annotations

import json
from typing import Any

import pytest
import requests

from sandbox.zoho import FieldSpec, ZohoSimConfig, ZohoSimulator
from tests.unit.sandbox_zoho.api import Api, error, ok
from tests.unit.sandbox_zoho.conftest import StartZoho

INTACCT = ["Intacct_ID"]


def _items(response: requests.Response, status: int = 200) -> list[dict[str, Any]]:
    items: list[dict[str, Any]] = ok(response, status)["data"]
    return items


def test_insert_then_update_by_the_unique_field(api: Api, sim: ZohoSimulator) -> None:
    inserted = api.upsert_one("Accounts", {"Account_Name": "Acme", "Intacct_ID": "C-1"}, duplicate_check_fields=INTACCT)
    assert inserted["code"] == "SUCCESS"
    assert (inserted["action"], inserted["message"], inserted["duplicate_field"]) == ("insert", "record added", None)
    record_id = inserted["details"]["id"]
    assert isinstance(record_id, str)
    assert len(record_id) == 19
    assert int(record_id) > 2**53
    assert set(inserted["details"]) == {"id", "Created_Time", "Modified_Time", "Created_By", "Modified_By"}
    sim.clock.advance(60)
    updated = api.upsert_one(
        "Accounts", {"Account_Name": "Acme Ltd", "Intacct_ID": "c-1"}, duplicate_check_fields=INTACCT
    )
    assert (updated["action"], updated["message"], updated["duplicate_field"]) == (
        "update",
        "record updated",
        "Intacct_ID",
    )
    assert updated["details"]["id"] == record_id
    assert updated["details"]["Modified_Time"] > updated["details"]["Created_Time"]
    assert sim.record("Accounts", record_id) is not None
    assert sim.records("Accounts")[record_id]["Account_Name"] == "Acme Ltd"
    assert sim.counts() == {"Accounts": 1, "Contacts": 0, "Vendors": 0}


def test_without_duplicate_check_fields_same_named_accounts_merge(api: Api, sim: ZohoSimulator) -> None:
    """The system field Account_Name comes first: two customers called "Acme" become one account."""
    api.upsert_one("Accounts", {"Account_Name": "Acme", "Intacct_ID": "C-1"})
    merged = api.upsert_one("Accounts", {"Account_Name": "Acme", "Intacct_ID": "C-2"})
    assert (merged["action"], merged["duplicate_field"]) == ("update", "Account_Name")
    assert [record["Intacct_ID"] for record in sim.records("Accounts").values()] == ["C-2"]


def test_listing_only_the_unique_field_keeps_same_named_accounts_apart(api: Api, sim: ZohoSimulator) -> None:
    api.upsert_one("Accounts", {"Account_Name": "Acme", "Intacct_ID": "C-1"}, duplicate_check_fields=INTACCT)
    second = api.upsert_one("Accounts", {"Account_Name": "Acme", "Intacct_ID": "C-2"}, duplicate_check_fields=INTACCT)
    assert second["action"] == "insert"
    assert sorted(record["Intacct_ID"] for record in sim.records("Accounts").values()) == ["C-1", "C-2"]


def test_listed_fields_come_first_then_the_other_unique_fields(api: Api, sim: ZohoSimulator) -> None:
    sim.add_field("Accounts", FieldSpec("Tax_ID", "text", unique=True))
    first = api.upsert_one("Accounts", {"Account_Name": "A", "Intacct_ID": "C-1", "Tax_ID": "T-1"})["details"]["id"]
    # Account_Name is not listed, so it is ignored; Tax_ID is not listed but unique, so it is checked after Intacct_ID.
    matched = api.upsert_one("Accounts", {"Account_Name": "Other", "Tax_ID": "T-1"}, duplicate_check_fields=INTACCT)
    assert (matched["duplicate_field"], matched["details"]["id"]) == ("Tax_ID", first)
    listed = api.upsert_one(
        "Accounts", {"Account_Name": "Other", "Intacct_ID": "C-1"}, duplicate_check_fields=["Tax_ID", "Account_Name"]
    )
    assert listed["duplicate_field"] == "Account_Name"


def test_only_the_system_field_and_unique_fields_may_be_listed(api: Api) -> None:
    body = error(api.upsert("Accounts", [{"Account_Name": "A"}], duplicate_check_fields=["Phone"]), 400, "INVALID_DATA")
    assert body["details"]["api_name"] == "Phone"


def test_results_come_per_record_in_input_order_with_a_multi_status(api: Api, sim: ZohoSimulator) -> None:
    rows = [
        {"Account_Name": "Good", "Intacct_ID": "C-1"},
        {"Intacct_ID": "C-2"},
        {"Account_Name": "Bad Parent", "Intacct_ID": "C-3", "Parent_Account": {"id": "4150868000000000001"}},
        {"Account_Name": "Good Too", "Intacct_ID": "C-4", "Department": "Sales"},
    ]
    items = _items(api.upsert("Accounts", rows, duplicate_check_fields=INTACCT), 207)
    assert [item["status"] for item in items] == ["success", "error", "error", "success"]
    assert items[1] == {
        "code": "MANDATORY_NOT_FOUND",
        "details": {"api_name": "Account_Name", "json_path": "$.data[1].Account_Name"},
        "message": "required field not found",
        "status": "error",
    }
    assert items[2]["code"] == "INVALID_DATA"
    assert items[2]["details"]["api_name"] == "Parent_Account"
    assert items[2]["details"]["json_path"] == "$.data[2].Parent_Account"
    assert sim.counts()["Accounts"] == 2
    assert _items(api.upsert("Accounts", [{"Intacct_ID": "C-9"}]), 400)[0]["code"] == "MANDATORY_NOT_FOUND"


def test_an_update_may_leave_out_mandatory_fields_but_not_empty_them(api: Api) -> None:
    api.upsert_one("Accounts", {"Account_Name": "Acme", "Intacct_ID": "C-1"}, duplicate_check_fields=INTACCT)
    api.upsert_one("Accounts", {"Intacct_ID": "C-1", "Phone": "555"}, duplicate_check_fields=INTACCT)
    items = _items(
        api.upsert("Accounts", [{"Intacct_ID": "C-1", "Account_Name": ""}], duplicate_check_fields=INTACCT), 400
    )
    assert items[0]["code"] == "MANDATORY_NOT_FOUND"


def test_lookups_take_ids_as_strings_or_numbers_beyond_2_to_the_53(api: Api, sim: ZohoSimulator) -> None:
    parent = api.upsert_one("Accounts", {"Account_Name": "Parent", "Intacct_ID": "P"})["details"]["id"]
    near_miss = int(float(parent))  # what a client parsing ids as floats sends: another (unknown) id
    assert near_miss != int(parent)
    raw = '{"data":[{"Account_Name":"Child","Intacct_ID":"C","Parent_Account":{"id":' + parent + "}}]}"  # a number
    response = requests.post(sim.api_url + "/Accounts/upsert", data=raw.encode(), headers=api.headers(), timeout=5)
    child = _items(response)[0]["details"]["id"]
    assert sim.record("Accounts", child)["Parent_Account"] == parent  # type: ignore[index]
    contact = {"Last_Name": "Lee", "Account_Name": {"id": parent}, "Email": "ann@acme.example.com"}
    assert api.upsert_one("Contacts", contact)["action"] == "insert"
    items = _items(api.upsert("Accounts", [{"Account_Name": "X", "Parent_Account": {"id": near_miss}}]), 400)
    assert items[0]["details"]["api_name"] == "Parent_Account"
    items = _items(api.upsert("Accounts", [{"Account_Name": "X", "Parent_Account": parent}]), 400)
    assert items[0]["details"]["expected_data_type"] == "jsonobject"


def test_a_contact_lookup_must_point_into_its_module(api: Api) -> None:
    account = api.upsert_one("Accounts", {"Account_Name": "Acme"})["details"]["id"]
    vendor = api.upsert_one("Vendors", {"Vendor_Name": "Supplies Co", "Intacct_ID": "V-1"})["details"]["id"]
    ok_contact = {"Last_Name": "Lee", "Account_Name": {"id": account}, "Vendor_Name": {"id": vendor}}
    assert api.upsert_one("Contacts", ok_contact)["action"] == "insert"
    wrong = {"Last_Name": "Kim", "Account_Name": {"id": vendor}}
    assert _items(api.upsert("Contacts", [wrong]), 400)[0]["details"]["api_name"] == "Account_Name"
    wrong = {"Last_Name": "Kim", "Vendor_Name": {"id": account}}
    assert _items(api.upsert("Contacts", [wrong]), 400)[0]["details"]["api_name"] == "Vendor_Name"


def test_picklists_refuse_values_outside_their_options(api: Api, sim: ZohoSimulator) -> None:
    assert api.upsert_one("Accounts", {"Account_Name": "A", "Department": "Finance"})["action"] == "insert"
    items = _items(api.upsert("Accounts", [{"Account_Name": "B", "Department": "Marketing"}]), 400)
    assert (items[0]["code"], items[0]["details"]["api_name"]) == ("INVALID_DATA", "Department")
    sim.add_picklist_option("Accounts", "Department", "Marketing")
    assert api.upsert_one("Accounts", {"Account_Name": "B", "Department": "Marketing"})["action"] == "insert"


def test_an_unrestricted_picklist_takes_new_values_as_unused_ones(api: Api, sim: ZohoSimulator) -> None:
    sim.add_field("Accounts", FieldSpec("Region", "picklist", options=("East",), restricted=False))
    api.upsert_one("Accounts", {"Account_Name": "A", "Region": "North"})
    fields = ok(api.get("/settings/fields", {"module": "Accounts"}))["fields"]
    region = next(field for field in fields if field["api_name"] == "Region")
    assert [(value["actual_value"], value["type"]) for value in region["pick_list_values"]] == [
        ("East", "used"),
        ("North", "unused"),
    ]


@pytest.mark.parametrize(
    ("field", "value", "expected"),
    [
        ("Email_Opt_Out", "true", "boolean"),
        ("Email_Opt_Out", 1, "boolean"),
        ("Email", "not-an-email", "email"),
        ("Last_Name", 42, "text"),
        ("Phone", {"number": "1"}, "phone"),
    ],
)
def test_values_must_suit_their_type(api: Api, field: str, value: Any, expected: str) -> None:
    items = _items(api.upsert("Contacts", [{"Last_Name": "Lee", field: value}]), 400)
    assert items[0]["code"] == "INVALID_DATA"
    assert (items[0]["details"]["api_name"], items[0]["details"]["expected_data_type"]) == (field, expected)


def test_json_booleans_numbers_and_lengths(api: Api, sim: ZohoSimulator) -> None:
    contact = api.upsert_one("Contacts", {"Last_Name": "Lee", "Email_Opt_Out": True})["details"]["id"]
    assert sim.record("Contacts", contact)["Email_Opt_Out"] is True  # type: ignore[index]
    account = api.upsert_one("Accounts", {"Account_Name": "A", "Employees": 12, "Annual_Revenue": "1500.50"})
    stored = sim.record("Accounts", account["details"]["id"])
    assert stored is not None
    assert (stored["Employees"], stored["Annual_Revenue"]) == (12, 1500.5)
    too_long = _items(api.upsert("Accounts", [{"Account_Name": "x" * 256}]), 400)[0]
    assert (too_long["code"], too_long["details"]["api_name"]) == ("INVALID_DATA", "Account_Name")
    too_big = _items(api.upsert("Accounts", [{"Account_Name": "B", "Employees": 10**10}]), 400)[0]
    assert too_big["details"]["expected_data_type"] == "integer"


def test_unknown_fields_are_ignored_or_refused(api: Api, start_zoho: StartZoho) -> None:
    assert api.upsert_one("Accounts", {"Account_Name": "A", "Nonsense__c": 1, "id": "1", "$approved": True})
    strict = start_zoho(config=ZohoSimConfig(unknown_fields="invalid_data"))
    caller = Api(strict)
    caller.login()
    item = _items(caller.upsert("Accounts", [{"Account_Name": "A", "Nonsense__c": 1}]), 400)[0]
    assert item["details"]["api_name"] == "Nonsense__c"


def test_two_records_with_one_unique_value_in_one_call(api: Api, sim: ZohoSimulator, start_zoho: StartZoho) -> None:
    rows = [{"Account_Name": "A", "Intacct_ID": "C-1"}, {"Account_Name": "B", "Intacct_ID": "C-1"}]
    items = _items(api.upsert("Accounts", rows, duplicate_check_fields=INTACCT), 207)
    assert items[1]["code"] == "DUPLICATE_DATA"
    assert items[1]["message"] == "duplicate data"
    details = items[1]["details"]
    assert (details["api_name"], details["json_path"]) == ("Intacct_ID", "$.data[1].Intacct_ID")
    assert details["duplicate_record"]["id"] == items[0]["details"]["id"]
    assert details["duplicate_record"]["module"]["api_name"] == "Accounts"
    assert details["more_records"] is False
    assert sim.counts()["Accounts"] == 1
    sequential = start_zoho(config=ZohoSimConfig(same_call_duplicates="sequential"))
    caller = Api(sequential)
    caller.login()
    items = _items(caller.upsert("Accounts", rows, duplicate_check_fields=INTACCT))
    assert [item["action"] for item in items] == ["insert", "update"]


def test_an_update_may_not_take_a_unique_value_another_record_holds(api: Api, sim: ZohoSimulator) -> None:
    sim.add_field("Accounts", FieldSpec("Tax_ID", "text", unique=True))
    other = api.upsert_one("Accounts", {"Account_Name": "A", "Intacct_ID": "C-1", "Tax_ID": "T-1"})["details"]["id"]
    api.upsert_one("Accounts", {"Account_Name": "B", "Intacct_ID": "C-2"})
    row = {"Intacct_ID": "C-2", "Tax_ID": "T-1"}
    item = _items(api.upsert("Accounts", [row], duplicate_check_fields=INTACCT), 400)[0]
    assert (item["code"], item["details"]["api_name"]) == ("DUPLICATE_DATA", "Tax_ID")
    assert item["details"]["duplicate_record"]["id"] == other


def test_a_parent_account_cycle_is_refused(api: Api, start_zoho: StartZoho) -> None:
    top = api.upsert_one("Accounts", {"Account_Name": "Top", "Intacct_ID": "T"})["details"]["id"]
    middle = api.upsert_one("Accounts", {"Account_Name": "Mid", "Intacct_ID": "M", "Parent_Account": {"id": top}})
    row = {"Intacct_ID": "T", "Parent_Account": {"id": middle["details"]["id"]}}
    item = _items(api.upsert("Accounts", [row], duplicate_check_fields=INTACCT), 400)[0]
    assert (item["code"], item["details"]["api_name"]) == ("INVALID_DATA", "Parent_Account")
    selfish = _items(
        api.upsert("Accounts", [{"Intacct_ID": "T", "Parent_Account": {"id": top}}], duplicate_check_fields=INTACCT),
        400,
    )
    assert selfish[0]["code"] == "INVALID_DATA"
    lax = start_zoho(config=ZohoSimConfig(allow_parent_cycles=True))
    caller = Api(lax)
    caller.login()
    loop = caller.upsert_one("Accounts", {"Account_Name": "Loop", "Intacct_ID": "L"})["details"]["id"]
    assert caller.upsert_one(
        "Accounts", {"Intacct_ID": "L", "Parent_Account": {"id": loop}}, duplicate_check_fields=INTACCT
    )


def test_at_most_one_hundred_records(api: Api, sim: ZohoSimulator) -> None:
    rows = [{"Account_Name": f"A{index}", "Intacct_ID": f"C-{index}"} for index in range(101)]
    body = error(api.upsert("Accounts", rows), 400, "LIMIT_EXCEEDED")
    assert body["details"]["limit"] == 100
    assert sim.counts()["Accounts"] == 0
    assert len(_items(api.upsert("Accounts", rows[:100]))) == 100


def test_request_level_refusals(api: Api, sim: ZohoSimulator) -> None:
    error(api.post("/Accounts/upsert", {"records": []}), 400, "REQUIRED_PARAM_MISSING")
    error(api.post("/Accounts/upsert", {"data": []}), 400, "INVALID_DATA")
    response = requests.post(sim.api_url + "/Accounts/upsert", data=b"{not json", headers=api.headers(), timeout=5)
    error(response, 400, "INVALID_DATA")
    item = _items(api.upsert("Accounts", ["not an object"]), 400)[0]
    assert item["details"]["expected_data_type"] == "jsonobject"


def test_a_body_with_or_without_a_json_content_type(api: Api, sim: ZohoSimulator) -> None:
    body = json.dumps({"data": [{"Account_Name": "Typed"}]})
    headers = {**api.headers(), "Content-Type": "application/json"}
    assert (
        _items(requests.post(sim.api_url + "/Accounts/upsert", data=body, headers=headers, timeout=5))[0]["status"]
        == "success"
    )
    entry = sim.journal.entries()[-1]
    assert (entry.path, entry.content_type) == ("/crm/v8/Accounts/upsert", "application/json")
    api.upsert_one("Accounts", {"Account_Name": "Untyped"})
    assert sim.journal.entries()[-1].content_type is None


def test_optional_knobs_for_the_result_shape(start_zoho: StartZoho) -> None:
    sim = start_zoho(config=ZohoSimConfig(duplicate_field_on_insert=True, ids_as="number", upsert_mixed_status=200))
    api = Api(sim)
    api.login()
    items = _items(api.upsert("Accounts", [{"Account_Name": "A", "Intacct_ID": "C-1"}, {"Intacct_ID": "C-2"}]))
    assert items[0]["duplicate_field"] == "Account_Name"
    assert isinstance(items[0]["details"]["id"], int)
