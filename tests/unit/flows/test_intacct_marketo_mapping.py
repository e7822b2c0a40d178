"""vendor_to_company: a pure function, tested on plain records."""

from __future__ import annotations

from typing import Any

import pytest

from mlconnector.config import ConfigurationError
from mlconnector.engine.records import MappingError, SkipRecord, SourceRecord
from mlconnector.flows.intacct_marketo.fieldmap import FieldMap
from mlconnector.flows.intacct_marketo.mapping import contact_to_lead, vendor_to_company
from mlconnector.flows.intacct_source.custom_fields import select_with


def _vendor(**overrides: Any) -> SourceRecord:
    data: dict[str, Any] = {
        "VENDORID": "V100",
        "NAME": "  Acme Supplies ",
        "STATUS": "active",
        # Related fields as the Intacct client hands them over: under their dotted names.
        "DISPLAYCONTACT.PHONE1": "555-0100",
        "DISPLAYCONTACT.MAILADDRESS.ADDRESS1": "1 Main St",
        "DISPLAYCONTACT.MAILADDRESS.CITY": "Springfield",
        "DISPLAYCONTACT.MAILADDRESS.STATE": "IL",
        "DISPLAYCONTACT.MAILADDRESS.ZIP": "62701",
        "DISPLAYCONTACT.MAILADDRESS.COUNTRY": "",
    }
    data.update(overrides)
    return SourceRecord(str(data.get("VENDORID")), data)


def test_vendor_becomes_company_keyed_by_vendorid() -> None:
    assert vendor_to_company(_vendor()) == {
        "externalCompanyId": "V100",
        "company": "Acme Supplies",
        "mainPhone": "555-0100",
        "billingStreet": "1 Main St",
        "billingCity": "Springfield",
        "billingState": "IL",
        "billingPostalCode": "62701",
        "billingCountry": None,  # cleared in Intacct: cleared in Marketo
        "intacctVendorStatus": "active",
    }


def test_inactive_vendor_sets_status_field_not_deleted() -> None:
    company = vendor_to_company(_vendor(STATUS="inactive"), FieldMap(status_field="vendorStatus__c"))
    assert company["vendorStatus__c"] == "inactive"
    assert company["externalCompanyId"] == "V100"


def test_missing_contact_block_gives_empty_fields() -> None:
    vendor = _vendor()
    data = {k: v for k, v in vendor.data.items() if not k.startswith("DISPLAYCONTACT.")}
    company = vendor_to_company(SourceRecord(vendor.key, data))
    assert company["mainPhone"] is None
    assert company["billingCity"] is None


@pytest.mark.parametrize(
    ("overrides", "reason"),
    [
        ({"NAME": ""}, "NAME is empty"),
        ({"VENDORID": ""}, "VENDORID is empty"),
        ({"VENDORID": "V" * 101}, "allows 100"),
        ({"NAME": "x" * 256}, "Marketo allows 255"),
    ],
)
def test_bad_vendors_are_refused_with_the_reason(overrides: dict[str, Any], reason: str) -> None:
    with pytest.raises(MappingError, match=reason):
        vendor_to_company(_vendor(**overrides))


def _contact(**overrides: Any) -> SourceRecord:
    data: dict[str, Any] = {
        "CONTACTNAME": "Ann Lee (V100)",
        "FIRSTNAME": "Ann",
        "LASTNAME": "Lee",
        "COMPANYNAME": "Acme Supplies",
        "PHONE1": "555-0101",
        "EMAIL1": "ann@acme.example",
        "VENDORID": "V100",
    }
    data.update(overrides)
    return SourceRecord(data["CONTACTNAME"], data)


def test_contact_becomes_lead_linked_to_its_vendors_company() -> None:
    assert contact_to_lead(_contact()) == {
        "email": "ann@acme.example",
        "firstName": "Ann",
        "lastName": "Lee",
        "phone": "555-0101",
        "externalCompanyId": "V100",  # company fields come from the linked company (Marketo refuses them: 1021)
    }


@pytest.mark.parametrize(("overrides", "reason"), [({"EMAIL1": ""}, "no EMAIL1"), ({"VENDORID": None}, "not a vendor")])
def test_contacts_that_cannot_be_leads_are_skipped_with_the_reason(overrides: dict[str, Any], reason: str) -> None:
    with pytest.raises(SkipRecord, match=reason):
        contact_to_lead(_contact(**overrides))


GL = {"GLACCOUNT": {"2000": {"ACCOUNTNO": "2000", "TITLE": "Accounts Payable"}}}
CONFIG = {
    "status_field": "vendorStatus",
    "company": {"apAccount": "APACCOUNT", "apAccountTitle": "GLACCOUNT[APACCOUNT].TITLE"},
    "lead": {"contactName": "CONTACTNAME"},
}


def test_custom_fields_take_record_fields_and_gl_account_lookups() -> None:
    field_map = FieldMap.from_config(CONFIG)
    company = vendor_to_company(_vendor(APACCOUNT="2000"), field_map, GL)
    assert company["apAccount"] == "2000"
    assert company["apAccountTitle"] == "Accounts Payable"
    assert company["vendorStatus"] == "active"
    assert contact_to_lead(_contact(), field_map)["contactName"] == "Ann Lee (V100)"
    with pytest.raises(MappingError, match="APACCOUNT '9999' names no GLACCOUNT"):
        vendor_to_company(_vendor(APACCOUNT="9999"), field_map, GL)
    assert "APACCOUNT" in select_with(("VENDORID",), field_map.company.values())


def test_field_map_is_checked_against_describe_and_names_unknown_fields() -> None:
    field_map = FieldMap.from_config(CONFIG)
    company_fields = {*field_map.company_fields()} - {"apAccountTitle"}
    with pytest.raises(ConfigurationError, match=r"company\.apAccountTitle, lead\.contactName"):
        field_map.check(company_fields, {"email", "firstName", "lastName", "phone", "externalCompanyId"})
    field_map.check(field_map.company_fields(), field_map.lead_fields())  # all known: no error


@pytest.mark.parametrize(
    "config",
    [{"company": {"x": "not a field"}}, {"company": {"x": "ITEM[ITEMID].NAME"}}, {"company": ["x"]}, ["x"]],
)
def test_bad_field_map_config_is_refused(config: Any) -> None:
    with pytest.raises(ConfigurationError, match=r"Marketo|lookup"):
        FieldMap.from_config(config)
