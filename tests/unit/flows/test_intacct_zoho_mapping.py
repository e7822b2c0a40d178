"""The Intacct → Zoho mappings, hierarchy order and configuration (pure: no I/O)."""

from __future__ import annotations

from typing import Any

import pytest

from mlconnector.config import ConfigurationError
from mlconnector.engine.records import MappingError, SkipRecord, SourceRecord
from mlconnector.flows.intacct_zoho.config import ZohoFlowConfig
from mlconnector.flows.intacct_zoho.hierarchy import CYCLE, parents_first
from mlconnector.flows.intacct_zoho.mapping import (
    ACCOUNT,
    PARENT,
    VENDOR,
    contact_to_contact,
    customer_contact,
    customer_to_account,
    vendor_to_vendor,
)

CONFIG = ZohoFlowConfig.from_options(
    {"custom_fields": {"Accounts": {"Department": "DEPARTMENT[DEPARTMENTID].TITLE", "Region": "LOCATIONID"}}}
)
TABLES = {"DEPARTMENT": {"D1": {"DEPARTMENTID": "D1", "TITLE": "Sales"}}}
PICKLISTS = {"Accounts": {"Department": frozenset({"Sales", "Finance"}), "Intacct_Status": frozenset({"Active"})}}
CUSTOMER = {
    "CUSTOMERID": "C2",
    "NAME": "Child Co",
    "STATUS": "active",
    "PARENTID": "C1",
    "DEPARTMENTID": "D1",
    "LOCATIONID": "100",
    "DISPLAYCONTACT.FIRSTNAME": "Ann",
    "DISPLAYCONTACT.LASTNAME": "Lee",
    "DISPLAYCONTACT.EMAIL1": "ann@child.test",
    "DISPLAYCONTACT.MAILADDRESS.CITY": "Leeds",
}


def _account(**data: Any) -> dict[str, Any]:
    record = SourceRecord("C2", {**CUSTOMER, **data})
    return customer_to_account(record, config=CONFIG, tables=TABLES, picklists=PICKLISTS)


def test_a_customer_is_an_account_keyed_by_its_external_id_naming_its_parent_by_intacct_id() -> None:
    account = _account()
    assert account["Intacct_ID"] == "C2"
    assert (account["Account_Name"], account["Billing_City"]) == ("Child Co", "Leeds")
    assert account["Intacct_Status"] == "Active"  # the picklist's spelling of Intacct's "active"
    assert account[PARENT] == "C1"
    assert (account["Department"], account["Region"]) == ("Sales", "100")


def test_a_value_the_picklist_does_not_offer_fails_the_record_naming_field_value_and_options() -> None:
    tables = {"DEPARTMENT": {"D1": {"DEPARTMENTID": "D1", "TITLE": "Marketing"}}}
    with pytest.raises(MappingError, match=r"'Marketing' is not an option of the Zoho picklist Accounts.Department"):
        customer_to_account(SourceRecord("C2", CUSTOMER), config=CONFIG, tables=tables, picklists=PICKLISTS)


def test_a_customer_on_a_parent_cycle_fails_naming_the_cycle() -> None:
    with pytest.raises(MappingError, match="cycle \\(C2 -> C1 -> C2\\)"):
        _account(**{CYCLE: "C2 -> C1 -> C2"})


def test_vendors_and_contacts_name_their_zoho_lookups_by_intacct_key() -> None:
    vendor = vendor_to_vendor(
        SourceRecord("V1", {"VENDORID": "V1", "NAME": "Bolt", "STATUS": "inactive"}),
        config=CONFIG,
        tables={},
        picklists={},
    )
    assert (vendor["Intacct_ID"], vendor["Vendor_Name"], vendor["Intacct_Status"]) == ("V1", "Bolt", "inactive")
    contact = contact_to_contact(
        SourceRecord("Bob (V1-1)", {"CONTACTNAME": "Bob (V1-1)", "LASTNAME": "Ray", "VENDORID": "V1"}),
        config=CONFIG,
        tables={},
        picklists={},
    )
    assert (contact["Intacct_ID"], contact["Last_Name"], contact[VENDOR]) == ("Bob (V1-1)", "Ray", "V1")
    display = customer_contact(SourceRecord("C2", CUSTOMER), config=CONFIG, tables={}, picklists={})
    assert (display["Intacct_ID"], display["Last_Name"], display[ACCOUNT]) == ("CUSTOMER:C2", "Lee", "C2")
    with pytest.raises(SkipRecord, match="no vendor"):
        contact_to_contact(SourceRecord("x", {"LASTNAME": "Ray"}), config=CONFIG, tables={}, picklists={})


def test_parents_come_before_children_at_any_depth_and_cycles_are_marked() -> None:
    def rec(key: str, parent: str = "") -> SourceRecord:
        return SourceRecord(key, {"PARENTID": parent})

    ordered = parents_first(
        [rec("C3", "C2"), rec("C2", "C1"), rec("C1"), rec("X", "Y"), rec("Y", "X"), rec("C9", "C8")]
    )
    keys = [r.key for r in ordered]
    assert keys.index("C1") < keys.index("C2") < keys.index("C3")
    cycles = {r.key: r.data.get(CYCLE) for r in ordered}
    assert cycles["X"] == "X -> Y -> X"
    assert cycles["Y"] == "Y -> X -> Y"
    assert cycles["C9"] is None  # its parent is not in this read: already in Zoho, or failing there


def test_configuration_refuses_unknown_modules_and_bad_sources() -> None:
    assert ZohoFlowConfig.from_options({}).modules["Contacts"].status_field is None
    with pytest.raises(ConfigurationError, match="unknown module\\(s\\) Leads"):
        ZohoFlowConfig.from_options({"custom_fields": {"Leads": {}}})
    with pytest.raises(ConfigurationError, match=r"Zoho custom_fields\.Accounts\.Region: 'region' is not an Intacct"):
        ZohoFlowConfig.from_options({"custom_fields": {"Accounts": {"Region": "region"}}})
    with pytest.raises(ConfigurationError, match="external_id and status_field only"):
        ZohoFlowConfig.from_options({"modules": {"Accounts": {"external": "X"}}})
