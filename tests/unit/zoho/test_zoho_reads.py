"""Reads: module and field metadata (read once per client), module availability, a record by id, search (204 = none,
pages), every record of a module (page, then page_token; If-Modified-Since), and the credits header."""

from __future__ import annotations

from typing import Any

import pytest

from mlconnector.systems.zoho.errors import ModuleUnavailable, ParseError, RequestError, ScopeMissing
from mlconnector.systems.zoho.metadata import FieldInfo, ModuleInfo, parse_fields, parse_modules
from tests.conftest import FakeClock
from tests.unit.zoho.zoho_fakes import BIG_ID, Call, FakeZoho, envelope, make, reply

MODULES = {
    "modules": [
        {"api_name": "Accounts", "module_name": "Accounts", "plural_label": "Accounts", "api_supported": True,
         "creatable": True, "status": "visible", "generated_type": "default"},
        {"api_name": "Vendors", "module_name": "Vendors", "api_supported": False, "status": "visible"},
        {"api_name": "Documents", "api_supported": True, "status": "system_hidden"},
        {"api_name": "Old_Style", "api_supported": True, "visible": False},
        {"api_name": "Contacts"},
        {"module_name": "no api name"},
    ]
}  # fmt: skip
FIELDS = {
    "fields": [
        {"api_name": "Account_Name", "field_label": "Account Name", "data_type": "text", "json_type": "string",
         "length": 255, "custom_field": False, "system_mandatory": True, "unique": {}},
        {"api_name": "Intacct_ID", "field_label": "Intacct ID", "data_type": "text", "length": 50,
         "custom_field": True, "unique": {"casesensitive": "false"}},
        {"api_name": "External_Key", "data_type": "text", "external": {"show": True, "type": "org"}},
        {"api_name": "Parent_Account", "data_type": "lookup",
         "lookup": {"module": {"api_name": "Accounts", "id": "1"}}},
        {"api_name": "Old_Lookup", "data_type": "lookup", "lookup": {"module": "Contacts"}},
        {"api_name": "Account_Type", "data_type": "picklist",
         "pick_list_values": [{"display_value": "-None-", "actual_value": "-None-"},
                              {"display_value": "Kunde", "actual_value": "Customer"}, "junk"]},
    ]
}  # fmt: skip


@pytest.fixture
def fake(clock: FakeClock) -> FakeZoho:
    fake = FakeZoho(clock)
    fake.handlers[("GET", "/settings/modules")] = lambda _call: MODULES
    fake.handlers[("GET", "/settings/fields")] = lambda call: (
        FIELDS
        if call.params["module"] == "Accounts"
        else (envelope("INVALID_MODULE", "the module name given seems to be invalid", 400))
    )
    return fake


def test_modules_are_read_once_and_availability_follows_api_supported_and_status(fake: FakeZoho) -> None:
    client, _ = make(fake)
    modules = client.modules()
    assert set(modules) == {"Accounts", "Vendors", "Documents", "Old_Style", "Contacts"}
    assert modules["Accounts"] == ModuleInfo(
        "Accounts", "Accounts", "", "Accounts", True, True, True, True, True, "visible", True, "default"
    )
    assert [client.module_available(m) for m in ("Accounts", "Vendors", "Documents", "Old_Style", "Contacts")] == [
        True,
        False,  # listed, but not through the API (the edition lacks it)
        False,  # system_hidden
        False,  # older replies: visible false
        True,  # keys missing: listed means usable
    ]
    assert not client.module_available("Purchase_Orders")  # absent
    assert len(fake.api_calls()) == 1


def test_fields_are_read_once_per_module(fake: FakeZoho) -> None:
    client, _ = make(fake)
    fields = client.fields("Accounts")
    client.fields("Accounts")
    assert [c.path for c in fake.api_calls()] == ["/settings/fields"]
    assert fake.api_calls()[0].params == {"module": "Accounts"}
    assert fields["Account_Name"] == FieldInfo(
        "Account_Name", "Account Name", "text", "string", 255, system_mandatory=True
    )
    assert fields["Account_Name"].required
    assert not fields["Account_Name"].unique  # {}: not unique
    assert fields["Intacct_ID"].unique
    assert fields["Intacct_ID"].custom
    assert fields["External_Key"].unique  # an external-id field is unique
    assert fields["Parent_Account"].lookup_module == "Accounts"
    assert fields["Old_Lookup"].lookup_module == "Contacts"
    assert fields["Account_Type"].picklist == ("-None-", "Customer")


def test_fields_of_a_module_the_org_lacks_are_module_unavailable(fake: FakeZoho) -> None:
    client, _ = make(fake)
    with pytest.raises(ModuleUnavailable) as caught:
        client.fields("Vendors")
    assert caught.value.module == "Vendors"


def test_a_missing_settings_scope_is_named(fake: FakeZoho) -> None:
    fake.handlers[("GET", "/settings/modules")] = lambda _call: envelope("OAUTH_SCOPE_MISMATCH", "Unauthorized", 401)
    client, _ = make(fake)
    with pytest.raises(ScopeMissing, match=r"ZohoCRM\.settings\.modules\.READ") as caught:
        client.modules()
    assert caught.value.scope.startswith("ZohoCRM.settings.modules.READ")


def test_malformed_metadata_is_a_parse_error() -> None:
    with pytest.raises(ParseError, match="no modules list"):
        parse_modules({"data": []}, what="t")
    assert parse_fields(None, what="t") == {}


@pytest.mark.parametrize(
    "missing",
    [reply(None, 204), envelope("INVALID_DATA", "the id given seems to be invalid", 400, {"id": BIG_ID})],
)
def test_a_record_that_does_not_exist_is_none(fake: FakeZoho, missing: Any) -> None:
    fake.handlers[("GET", f"/Accounts/{BIG_ID}")] = lambda _call: missing
    client, _ = make(fake)
    assert client.get_record("Accounts", BIG_ID) is None


def test_a_record_by_id_with_fields(fake: FakeZoho) -> None:
    fake.handlers[("GET", f"/Accounts/{BIG_ID}")] = lambda _call: {"data": [{"id": BIG_ID, "Account_Name": "A"}]}
    client, _ = make(fake)
    assert client.get_record("Accounts", BIG_ID, fields=["Account_Name"]) == {"id": BIG_ID, "Account_Name": "A"}
    assert fake.api_calls()[0].params == {"fields": "Account_Name"}
    with pytest.raises(ValueError, match="string of digits"):
        client.get_record("Accounts", "1/../../org")
    fake.handlers[("GET", "/Accounts/1")] = lambda _call: envelope("INVALID_QUERY", "bad", 400)
    with pytest.raises(RequestError):
        client.get_record("Accounts", "1")


def test_search_without_matches_is_an_empty_list(fake: FakeZoho) -> None:
    fake.handlers[("GET", "/Accounts/search")] = lambda _call: reply(None, 204)
    client, _ = make(fake)
    assert client.search("Accounts", "(Intacct_ID:equals:C-1)") == []
    [call] = fake.api_calls()
    assert call.params == {"criteria": "(Intacct_ID:equals:C-1)", "page": "1", "per_page": "200"}


def test_search_follows_more_records(fake: FakeZoho) -> None:
    def page(call: Call) -> Any:
        number = int(call.params["page"])
        return {"data": [{"id": str(number)}], "info": {"more_records": number < 3, "page": number}}

    fake.handlers[("GET", "/Accounts/search")] = page
    client, _ = make(fake)
    assert [r["id"] for r in client.search("Accounts", "(Account_Name:equals:A)", fields=["id"])] == ["1", "2", "3"]
    assert fake.api_calls()[0].params["fields"] == "id"


def test_a_module_not_searchable_is_module_unavailable(fake: FakeZoho) -> None:
    fake.handlers[("GET", "/Vendors/search")] = lambda _call: envelope("NOT_SUPPORTED", "module not supported", 400)
    client, _ = make(fake)
    with pytest.raises(ModuleUnavailable):
        client.search("Vendors", "(Vendor_Name:equals:V)")


def test_records_page_by_page_then_by_page_token(fake: FakeZoho) -> None:
    def page(call: Call) -> Any:
        token = call.params.get("page_token")
        if token is None:
            number = int(call.params["page"])
            info = {"more_records": True, "page": number, "next_page_token": "tok-a" if number == 2 else None}
            return {"data": [{"id": f"p{number}"}], "info": info}
        if token == "tok-a":
            return {"data": [{"id": "t1"}], "info": {"more_records": True, "next_page_token": "tok-b"}}
        return {"data": [{"id": "t2"}], "info": {"more_records": False, "next_page_token": None}}

    fake.handlers[("GET", "/Accounts")] = page
    client, _ = make(fake)
    ids = [r["id"] for r in client.records("Accounts", ["Account_Name", "Intacct_ID"], page_size=500)]
    assert ids == ["p1", "p2", "t1", "t2"]
    params = [c.params for c in fake.api_calls()]
    assert params[0] == {"fields": "Account_Name,Intacct_ID", "per_page": "200", "page": "1"}
    assert [p.get("page_token") for p in params] == [None, None, "tok-a", "tok-b"]
    assert all("page" not in p for p in params[2:])  # page and page_token are never sent together


def test_records_since_a_time_and_sorted(fake: FakeZoho) -> None:
    fake.handlers[("GET", "/Accounts")] = lambda _call: reply(None, 304)
    client, _ = make(fake)
    since = "2026-12-01T00:00:00+00:00"
    assert list(client.records("Accounts", ["Account_Name"], modified_since=since, sort_by="Modified_Time")) == []
    [call] = fake.api_calls()
    assert call.request.headers["If-Modified-Since"] == since
    assert (call.params["sort_by"], call.params["sort_order"]) == ("Modified_Time", "asc")


def test_a_repeated_page_token_is_refused(fake: FakeZoho) -> None:
    fake.handlers[("GET", "/Accounts")] = lambda _call: {
        "data": [{"id": "1"}],
        "info": {"more_records": True, "next_page_token": "same"},
    }
    client, _ = make(fake)
    with pytest.raises(ParseError, match="repeated a page_token"):
        list(client.records("Accounts", ["Account_Name"]))


def test_a_page_token_that_stops_coming_is_refused(fake: FakeZoho) -> None:
    def page(call: Call) -> Any:
        token = "tok" if "page_token" not in call.params else None
        return {"data": [{"id": "1"}], "info": {"more_records": True, "next_page_token": token}}

    fake.handlers[("GET", "/Accounts")] = page
    client, _ = make(fake)
    with pytest.raises(ParseError, match="gave no page_token"):
        list(client.records("Accounts", ["Account_Name"]))
    assert len(fake.api_calls()) == 2


def test_records_need_fields_checked_before_iterating(fake: FakeZoho) -> None:
    client, _ = make(fake)
    with pytest.raises(ValueError, match="1 to 50 fields"):
        client.records("Accounts", [])


def test_credits_left_are_what_the_last_reply_said(fake: FakeZoho) -> None:
    client, _ = make(fake)
    client.modules()
    assert client.credits() is None
    fake.handlers[("GET", "/settings/fields")] = lambda _call: reply(
        FIELDS, headers={"X-API-CREDITS-REMAINING": "4321"}
    )
    client.fields("Accounts")
    assert client.credits() == 4321
