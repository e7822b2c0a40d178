"""Editions and metadata: settings/modules and settings/fields follow the edition (Standard without Vendors,
Professional and up with it), Vendors calls on Standard are refused as configured, /org tells the edition, and the
field metadata carries what a client checks (unique, mandatory, picklist values, lookup modules)."""

from __future__ import annotations

from typing import Any

import pytest

from sandbox.zoho import FieldSpec, ZohoSimConfig, ZohoSimulator
from tests.unit.sandbox_zoho.api import Api, error, ok
from tests.unit.sandbox_zoho.conftest import StartZoho


def _modules(api: Api) -> dict[str, dict[str, Any]]:
    return {module["api_name"]: module for module in ok(api.get("/settings/modules"))["modules"]}


def _fields(api: Api, module: str) -> dict[str, dict[str, Any]]:
    return {field["api_name"]: field for field in ok(api.get("/settings/fields", {"module": module}))["fields"]}


def test_professional_lists_vendors_as_api_supported(api: Api, sim: ZohoSimulator) -> None:
    modules = _modules(api)
    assert list(modules) == ["Accounts", "Contacts", "Vendors"]
    vendors = modules["Vendors"]
    assert (vendors["api_supported"], vendors["status"], vendors["generated_type"]) == (True, "visible", "default")
    assert vendors["singular_label"] == "Vendor"
    assert ok(api.get("/settings/modules/vendors"))["modules"][0]["api_name"] == "Vendors"
    assert ok(api.get(f"/settings/modules/{vendors['id']}"))["modules"][0]["api_name"] == "Vendors"
    org = ok(api.get("/org"))["org"][0]
    assert org["license_details"]["paid_type"] == "professional"
    assert org["license_details"]["paid"] is True
    assert sim.config.max_concurrency == 15


@pytest.mark.parametrize("edition", ["free", "standard"])
def test_lower_editions_have_no_vendors(api: Api, sim: ZohoSimulator, edition: str) -> None:
    sim.set_edition(edition)
    assert list(_modules(api)) == ["Accounts", "Contacts"]
    error(api.get("/settings/modules/Vendors"), 400, "INVALID_MODULE")
    error(api.get("/settings/fields", {"module": "Vendors"}), 400, "INVALID_MODULE")
    body = error(api.upsert("Vendors", [{"Vendor_Name": "Supplies Co"}]), 400, "INVALID_MODULE")
    assert body["details"] == {"resource_path_index": 0}
    error(api.get("/Vendors", {"fields": "Vendor_Name"}), 400, "INVALID_MODULE")
    error(api.get("/Vendors/search", {"criteria": "(Vendor_Name:equals:x)"}), 400, "INVALID_MODULE")
    assert "Vendor_Name" not in _fields(api, "Contacts")
    item = ok(api.upsert("Contacts", [{"Last_Name": "Lee", "Vendor_Name": {"id": "1"}}]), 400)["data"][0]
    assert (item["code"], item["details"]["api_name"]) == ("INVALID_DATA", "Vendor_Name")
    license_details = ok(api.get("/org"))["org"][0]["license_details"]
    assert license_details["paid_type"] == (None if edition == "free" else "standard")


def test_the_vendors_refusal_and_listing_are_configurable(start_zoho: StartZoho) -> None:
    config = ZohoSimConfig(
        edition="standard",
        vendors_unavailable="api_unsupported",
        vendors_unavailable_code="NOT_SUPPORTED",
        invalid_module_in_data=True,
    )
    sim = start_zoho(config=config)
    api = Api(sim)
    api.login()
    assert _modules(api)["Vendors"]["api_supported"] is False
    response = api.upsert("Vendors", [{"Vendor_Name": "Supplies Co"}])
    assert response.status_code == 400
    assert response.json() == {
        "data": [
            {
                "code": "NOT_SUPPORTED",
                "details": {"resource_path_index": 0},
                "message": "The given module is not supported in API",
                "status": "error",
            }
        ]
    }


def test_switching_back_up_brings_vendors_and_their_records_back(api: Api, sim: ZohoSimulator) -> None:
    vendor = api.upsert_one("Vendors", {"Vendor_Name": "Supplies Co", "GL_Account": "Sales-Other"})["details"]["id"]
    sim.set_edition("standard")
    error(api.get(f"/Vendors/{vendor}"), 400, "INVALID_MODULE")
    sim.set_edition("enterprise")
    assert ok(api.get(f"/Vendors/{vendor}"))["data"][0]["Vendor_Name"] == "Supplies Co"


def test_field_metadata(api: Api) -> None:
    accounts = _fields(api, "Accounts")
    name = accounts["Account_Name"]
    assert (name["data_type"], name["system_mandatory"], name["custom_field"], name["length"]) == (
        "text",
        True,
        False,
        255,
    )
    assert name["unique"] == {}
    intacct = accounts["Intacct_ID"]
    assert (intacct["custom_field"], intacct["unique"], intacct["json_type"]) == (
        True,
        {"casesensitive": "false"},
        "string",
    )
    parent = accounts["Parent_Account"]
    assert parent["data_type"] == "lookup"
    assert parent["lookup"]["module"]["api_name"] == "Accounts"
    department = accounts["Department"]
    assert [value["actual_value"] for value in department["pick_list_values"]] == [
        "Sales",
        "Engineering",
        "Finance",
        "Operations",
    ]
    assert accounts["Created_Time"]["read_only"] is True
    assert accounts["Owner"]["data_type"] == "ownerlookup"
    contacts = _fields(api, "Contacts")
    assert contacts["Last_Name"]["system_mandatory"] is True
    assert contacts["Vendor_Name"]["lookup"]["module"]["api_name"] == "Vendors"
    assert contacts["Email_Opt_Out"]["json_type"] == "boolean"
    vendors = _fields(api, "Vendors")
    assert {"Vendor_Name", "Email", "Phone", "Website", "GL_Account", "Category", "Street", "City", "State",
            "Zip_Code", "Country", "Description", "Owner", "Email_Opt_Out"} <= set(vendors)  # fmt: skip
    assert all(isinstance(field["id"], str) and len(field["id"]) == 19 for field in vendors.values())


def test_fields_need_a_known_module(api: Api) -> None:
    assert error(api.get("/settings/fields"), 400, "REQUIRED_PARAM_MISSING")["details"] == {"param_name": "module"}
    error(api.get("/settings/fields", {"module": "Deals"}), 400, "INVALID_MODULE")
    assert "Account_Name" in _fields(api, "accounts")  # module names are case-insensitive


def test_added_fields_show_in_metadata(api: Api, sim: ZohoSimulator) -> None:
    sim.add_field("Contacts", FieldSpec("Intacct_Contact_Key", "bigint", unique=True, mandatory=True))
    field = _fields(api, "Contacts")["Intacct_Contact_Key"]
    assert (field["data_type"], field["system_mandatory"], field["unique"]) == (
        "bigint",
        True,
        {"casesensitive": "false"},
    )
    item = ok(api.upsert("Contacts", [{"Last_Name": "Lee"}]), 400)["data"][0]
    assert (item["code"], item["details"]["api_name"]) == ("MANDATORY_NOT_FOUND", "Intacct_Contact_Key")
    with pytest.raises(ValueError, match="can be unique"):
        FieldSpec("Notes_Key", "textarea", unique=True)
    with pytest.raises(ValueError, match="already"):
        sim.add_field("Contacts", FieldSpec("Intacct_ID"))


def test_the_current_user(api: Api, sim: ZohoSimulator) -> None:
    users = ok(api.get("/users", {"type": "CurrentUser"}))
    user = users["users"][0]
    assert (user["email"], user["full_name"], user["status"]) == (sim.config.user_email, sim.config.user_name, "active")
    assert users["info"]["count"] == 1
