"""Contract: zohocrmsdk8-0 7.0.0, Zoho's own Python SDK for CRM v8, against the simulator.

What the SDK does and the simulator must take: it mints a token with a form POST (redirects off) as soon as it is
initialised, then asks for the current user and the org; it keeps the token in its store with the ``api_domain`` of
the token response and refreshes it only when its own record of the expiry runs out; before any record call it
reads ``settings/fields`` of the module (and of every module a lookup points to); it posts JSON without a
Content-Type header, lookup ids as JSON numbers above 2**53, booleans as JSON booleans, picklist values it checked
against the field's values; it parses a body only when there is a JSON content type, so a 204 comes back as an
empty response.
"""

from __future__ import annotations

import csv
import json
from pathlib import Path
from typing import Any

import pytest
from zohocrmsdk.src.com.zoho.api.authenticator.store.file_store import FileStore
from zohocrmsdk.src.com.zoho.crm.api import ParameterMap
from zohocrmsdk.src.com.zoho.crm.api.coql import BodyWrapper as CoqlBody
from zohocrmsdk.src.com.zoho.crm.api.coql import CoqlOperations
from zohocrmsdk.src.com.zoho.crm.api.coql import ResponseWrapper as CoqlWrapper
from zohocrmsdk.src.com.zoho.crm.api.exception import SDKException
from zohocrmsdk.src.com.zoho.crm.api.fields import FieldsOperations, GetFieldsParam
from zohocrmsdk.src.com.zoho.crm.api.fields import ResponseWrapper as FieldsWrapper
from zohocrmsdk.src.com.zoho.crm.api.modules import ModulesOperations
from zohocrmsdk.src.com.zoho.crm.api.modules import ResponseWrapper as ModulesWrapper
from zohocrmsdk.src.com.zoho.crm.api.record import (
    ActionWrapper,
    APIException,
    BodyWrapper,
    GetRecordsParam,
    Record,
    RecordOperations,
    ResponseWrapper,
    SearchRecordsParam,
    SuccessResponse,
)
from zohocrmsdk.src.com.zoho.crm.api.util import APIResponse, Choice

from sandbox.zoho import ZohoSimulator
from tests.contract.zoho.conftest import Initialize

pytestmark = pytest.mark.integration


def _upsert(module: str, records: list[Record], duplicate_check_fields: list[str] | None = None) -> APIResponse:
    body = BodyWrapper()
    body.set_data(records)
    if duplicate_check_fields is not None:
        body.set_duplicate_check_fields(duplicate_check_fields)
    body.set_trigger([])
    return RecordOperations(module).upsert_records(body)


def _account(name: str, intacct_id: str, **values: Any) -> Record:
    record = Record()
    record.add_key_value("Account_Name", name)
    record.add_key_value("Intacct_ID", intacct_id)
    for key, value in values.items():
        record.add_key_value(key, value)
    return record


def _results(response: APIResponse) -> list[Any]:
    wrapper = response.get_object()
    assert isinstance(wrapper, ActionWrapper), wrapper
    results: list[Any] = wrapper.get_data()
    return results


def _stored_tokens(store_path: Path) -> list[dict[str, str]]:
    with store_path.open(newline="") as handle:
        return list(csv.DictReader(handle))


# ---------------------------------------------------------------------------------------------- tokens
def test_initialising_mints_one_token_and_keeps_the_simulators_api_domain(
    sdk: FileStore, sim: ZohoSimulator, tmp_path: Path
) -> None:
    assert sim.mints() == 1
    assert sim.calls.by_name == {"oauth.token": 1, "users.list": 1, "org.get": 1}
    first = sim.journal.entries()[0]
    assert (first.method, first.path, first.content_type) == (
        "POST",
        "/oauth/v2/token",
        "application/x-www-form-urlencoded",
    )
    assert first.body == b"", "the simulator keeps no token-endpoint bodies"
    users = next(entry for entry in sim.journal.entries() if entry.path == "/crm/v8/users")
    assert users.query == "type=CurrentUser"
    (row,) = _stored_tokens(tmp_path / "zoho_tokens.csv")
    assert row["api_domain"] == sim.base_url
    assert row["user_name"].startswith(sim.config.user_email)


def test_a_stored_token_is_reused_and_refreshed_once_its_recorded_expiry_passes(
    initialize: Initialize, sim: ZohoSimulator, tmp_path: Path
) -> None:
    initialize()
    initialize()  # the same store: the SDK finds the token and mints nothing
    assert sim.mints() == 1
    store_path = tmp_path / "zoho_tokens.csv"
    rows = _stored_tokens(store_path)
    rows[0]["expiry_time"] = "1000"  # the SDK's own record of the expiry (ms since the epoch) has passed
    with store_path.open("w", newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=list(rows[0]))
        writer.writeheader()
        writer.writerows(rows)
    initialize()
    response = RecordOperations("Accounts").get_records(_fields_param("Account_Name"))
    assert response.get_status_code() == 204
    assert sim.mints() == 2


def test_an_expired_token_is_an_invalid_token_api_exception(sdk: FileStore, sim: ZohoSimulator) -> None:
    RecordOperations("Accounts").get_records(_fields_param("Account_Name"))  # the field metadata is cached now
    sim.clock.advance(3600)  # the simulator's clock, not the SDK's: the SDK still thinks its token is fresh
    response = RecordOperations("Accounts").get_records(_fields_param("Account_Name"))
    error = response.get_object()
    assert response.get_status_code() == 401
    assert isinstance(error, APIException)
    assert (error.get_code().get_value(), error.get_message().get_value()) == ("INVALID_TOKEN", "invalid oauth token")


def test_a_bad_refresh_token_raises_with_zohos_error(initialize: Initialize, sim: ZohoSimulator) -> None:
    with pytest.raises(SDKException) as raised:
        initialize(refresh_token="1000.00000000000000000000000000000000.00000000000000000000000000000000")
    assert "invalid_code" in str(raised.value)
    assert sim.mints() == 0


# ---------------------------------------------------------------------------------------------- upsert
def test_upsert_accounts_with_duplicate_check_fields(sdk: FileStore, sim: ZohoSimulator) -> None:
    inserted = _results(_upsert("Accounts", [_account("Acme", "C-1", Department=Choice("Sales"))], ["Intacct_ID"]))
    assert len(inserted) == 1
    assert isinstance(inserted[0], SuccessResponse)
    assert (inserted[0].get_code().get_value(), inserted[0].get_action().get_value()) == ("SUCCESS", "insert")
    acme = inserted[0].get_details()["id"]
    assert sim.record("Accounts", acme) is not None

    parent = Record()
    parent.set_id(int(acme))
    child = _account("Acme Child", "C-2", Parent_Account=parent, Employees=12)
    renamed = _account("Acme Ltd", "C-1")
    results = _results(_upsert("Accounts", [child, renamed], ["Intacct_ID"]))
    assert [result.get_action().get_value() for result in results] == ["insert", "update"]
    assert results[1].get_duplicate_field() == "Intacct_ID"
    assert results[1].get_details()["id"] == acme

    sent = json.loads(sim.journal.entries()[-1].body)
    assert sim.journal.entries()[-1].content_type is None, "the SDK posts JSON without a Content-Type"
    lookup_id = sent["data"][0]["Parent_Account"]["id"]
    assert isinstance(lookup_id, int)
    assert lookup_id > 2**53
    assert sent["duplicate_check_fields"] == ["Intacct_ID"]
    assert sent["trigger"] == []
    stored = sim.record_by("Accounts", "Intacct_ID", "C-2")
    assert stored is not None
    assert (stored["Parent_Account"], stored["Employees"]) == (acme, 12)
    assert sim.record("Accounts", acme)["Account_Name"] == "Acme Ltd"  # type: ignore[index]


def test_contacts_with_a_lookup_and_a_json_boolean(sdk: FileStore, sim: ZohoSimulator) -> None:
    account = _results(_upsert("Accounts", [_account("Acme", "C-1")]))[0].get_details()["id"]
    contact = Record()
    contact.add_key_value("Last_Name", "Lee")
    contact.add_key_value("Email", "ann.lee@acme.example.com")
    contact.add_key_value("Email_Opt_Out", True)
    link = Record()
    link.set_id(int(account))
    contact.add_key_value("Account_Name", link)
    result = _results(_upsert("Contacts", [contact], ["Email"]))[0]
    assert isinstance(result, SuccessResponse)
    assert json.loads(sim.journal.entries()[-1].body)["data"][0]["Email_Opt_Out"] is True
    stored = sim.record("Contacts", result.get_details()["id"])
    assert stored is not None
    assert (stored["Account_Name"], stored["Email_Opt_Out"]) == (account, True)


def test_per_record_errors_come_back_as_api_exceptions(sdk: FileStore, sim: ZohoSimulator) -> None:
    missing = Record()
    missing.set_id(4150868000000000001)  # no such account
    response = _upsert("Accounts", [_account("Good", "C-1"), _account("Orphan", "C-2", Parent_Account=missing)])
    assert response.get_status_code() == 207
    good, bad = _results(response)
    assert isinstance(good, SuccessResponse)
    assert isinstance(bad, APIException)
    assert bad.get_code().get_value() == "INVALID_DATA"
    assert bad.get_details()["api_name"] == "Parent_Account"
    assert sim.counts()["Accounts"] == 1


def test_vendors_on_standard_fail_at_the_field_metadata(sdk: FileStore, sim: ZohoSimulator) -> None:
    sim.set_edition("standard")
    vendor = Record()
    vendor.add_key_value("Vendor_Name", "Supplies Co")
    with pytest.raises(SDKException) as raised:
        _upsert("Vendors", [vendor])
    assert "INVALID_MODULE" in str(raised.value)
    assert sim.calls.count("records.upsert") == 0
    assert sim.counts()["Vendors"] == 0


# ---------------------------------------------------------------------------------------------- reads
def _fields_param(fields: str, **params: Any) -> ParameterMap:
    parameters = ParameterMap()
    parameters.add(GetRecordsParam.fields, fields)
    for name, value in params.items():
        parameters.add(getattr(GetRecordsParam, name), value)
    return parameters


def test_get_records_page_by_page_and_one_by_id(sdk: FileStore, sim: ZohoSimulator) -> None:
    _upsert("Accounts", [_account(f"Account {index}", f"C-{index}") for index in range(3)], ["Intacct_ID"])
    response = RecordOperations("Accounts").get_records(
        _fields_param("Account_Name,Intacct_ID", per_page=2, sort_order="asc")
    )
    wrapper = response.get_object()
    assert isinstance(wrapper, ResponseWrapper)
    assert [record.get_key_value("Intacct_ID") for record in wrapper.get_data()] == ["C-0", "C-1"]
    info = wrapper.get_info()
    assert info.get_more_records() is True
    token = info.get_next_page_token()
    rest = RecordOperations("Accounts").get_records(_fields_param("Intacct_ID", page_token=token)).get_object()
    assert [record.get_key_value("Intacct_ID") for record in rest.get_data()] == ["C-2"]

    first_id = wrapper.get_data()[0].get_id()
    assert isinstance(first_id, int)
    one = RecordOperations("Accounts").get_record(first_id).get_object()
    assert isinstance(one, ResponseWrapper)
    assert one.get_data()[0].get_key_value("Account_Name") == "Account 0"


def test_search_without_a_match_is_an_empty_204(sdk: FileStore, sim: ZohoSimulator) -> None:
    params = ParameterMap()
    params.add(SearchRecordsParam.criteria, "(Intacct_ID:equals:C-404)")
    response = RecordOperations("Accounts").search_records(params)
    assert response.get_status_code() == 204
    assert response.get_object() is None
    _upsert("Accounts", [_account("Acme (US), Inc", "C-404")])
    params = ParameterMap()
    params.add(SearchRecordsParam.criteria, r"((Intacct_ID:equals:C-404)and(Account_Name:starts_with:Acme \(US\)\,))")
    found = RecordOperations("Accounts").search_records(params).get_object()
    assert isinstance(found, ResponseWrapper)
    assert [record.get_key_value("Intacct_ID") for record in found.get_data()] == ["C-404"]


def test_coql_rows_and_an_empty_answer(sdk: FileStore, sim: ZohoSimulator) -> None:
    parent = _results(_upsert("Accounts", [_account("Parent", "P-1")]))[0].get_details()["id"]
    link = Record()
    link.set_id(int(parent))
    _upsert("Accounts", [_account("Child", "C-1", Parent_Account=link)])
    body = CoqlBody()
    body.set_select_query("select Account_Name, Parent_Account.Intacct_ID from Accounts where Intacct_ID = 'C-1'")
    rows = CoqlOperations().get_records(body).get_object()
    assert isinstance(rows, CoqlWrapper)
    (row,) = rows.get_data()
    assert row.get_key_value("Account_Name") == "Child"
    assert row.get_key_value("Parent_Account.Intacct_ID") == "P-1"
    assert rows.get_info().get_more_records() is False
    body.set_select_query("select Account_Name from Accounts where Intacct_ID = 'C-404'")
    response = CoqlOperations().get_records(body)
    assert (response.get_status_code(), response.get_object()) == (204, None)


# ---------------------------------------------------------------------------------------------- metadata
def test_modules_and_fields_metadata(sdk: FileStore, sim: ZohoSimulator) -> None:
    modules = ModulesOperations().get_modules().get_object()
    assert isinstance(modules, ModulesWrapper)
    supported = {module.get_api_name(): module.get_api_supported() for module in modules.get_modules()}
    assert supported == {"Accounts": True, "Contacts": True, "Vendors": True}
    vendors_id = next(module.get_id() for module in modules.get_modules() if module.get_api_name() == "Vendors")
    one = ModulesOperations().get_module(vendors_id).get_object()
    assert one.get_modules()[0].get_api_name() == "Vendors"

    params = ParameterMap()
    params.add(GetFieldsParam.module, "Accounts")
    fields = FieldsOperations().get_fields(params).get_object()
    assert isinstance(fields, FieldsWrapper)
    by_name = {field.get_api_name(): field for field in fields.get_fields()}
    assert by_name["Account_Name"].get_system_mandatory() is True
    assert by_name["Intacct_ID"].get_unique().get_casesensitive() == "false"
    assert by_name["Parent_Account"].get_lookup().get_module().get_api_name() == "Accounts"
    values = [value.get_actual_value() for value in by_name["Department"].get_pick_list_values()]
    assert values == ["Sales", "Engineering", "Finance", "Operations"]

    sim.set_edition("standard")
    modules = ModulesOperations().get_modules().get_object()
    assert [module.get_api_name() for module in modules.get_modules()] == ["Accounts", "Contacts"]


def test_the_sdk_refuses_a_picklist_value_the_field_does_not_list(sdk: FileStore, sim: ZohoSimulator) -> None:
    """With pick_list_validation on, the SDK checks values against settings/fields before anything is sent."""
    with pytest.raises(SDKException):
        _upsert("Accounts", [_account("Acme", "C-1", Department=Choice("Marketing"))])
    assert sim.calls.count("records.upsert") == 0
    assert sim.calls.count("fields.list") == 1  # the values came from the simulator's settings/fields
    _upsert("Accounts", [_account("Acme", "C-1", Department=Choice("Finance"))])
    assert sim.record_by("Accounts", "Intacct_ID", "C-1")["Department"] == "Finance"  # type: ignore[index]
