"""vendor_to_company: a pure function, tested on plain records."""

from __future__ import annotations

from typing import Any

import pytest

from mlconnector.engine.records import MappingError, SourceRecord
from mlconnector.flows.intacct_marketo.mapping import vendor_to_company


def _vendor(**overrides: Any) -> SourceRecord:
    data: dict[str, Any] = {
        "VENDORID": "V100",
        "NAME": "  Acme Supplies ",
        "STATUS": "active",
        "DISPLAYCONTACT": {
            "PHONE1": "555-0100",
            "MAILADDRESS": {
                "ADDRESS1": "1 Main St",
                "CITY": "Springfield",
                "STATE": "IL",
                "ZIP": "62701",
                "COUNTRY": "",
            },
        },
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
    company = vendor_to_company(_vendor(STATUS="inactive"), status_field="vendorStatus__c")
    assert company["vendorStatus__c"] == "inactive"
    assert company["externalCompanyId"] == "V100"


def test_missing_contact_block_gives_empty_fields() -> None:
    company = vendor_to_company(_vendor(DISPLAYCONTACT=None))
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
