"""The Intacct → Zendesk mappings and configuration (pure: no I/O)."""

from __future__ import annotations

import re

import pytest

from mlconnector.config import ConfigurationError
from mlconnector.engine.records import MappingError, SkipRecord, SourceRecord
from mlconnector.flows.intacct_zendesk.config import LAST_PAYMENT, OPEN_BALANCE, OrganizationsConfig
from mlconnector.flows.intacct_zendesk.mapping import (
    contact_user,
    customer_organization,
    newer,
    party_of,
    ticket_mapping,
    ticket_record,
    typed,
    vendor_organization,
)

VENDOR = {
    "VENDORID": "V100",
    "NAME": "Acme Supplies",
    "STATUS": "active",
    "ONHOLD": "false",
    "TERMNAME": "Net 30",
    "COMMENTS": "Preferred supplier",
    "DISPLAYCONTACT.EMAIL1": "ap@acme-supplies.com",
    "DISPLAYCONTACT.URL1": "https://www.acme-supplies.com/about",
    "DISPLAYCONTACT.MAILADDRESS.CITY": "Leeds",
    OPEN_BALANCE: 1250.5,
    LAST_PAYMENT: "2026-11-30",
}


def test_a_vendor_is_an_organization_with_its_financial_context_in_organization_fields() -> None:
    org = vendor_organization(SourceRecord("V100", VENDOR), config=OrganizationsConfig())
    assert (org["external_id"], org["name"], org["notes"]) == ("V100", "Acme Supplies", "Preferred supplier")
    assert org["domain_names"] == ["acme-supplies.com"]
    assert org["tags"] == ["intacct-vendor"]
    assert org["organization_fields"] == {
        "intacct_status": "active",
        "intacct_on_hold": False,
        "intacct_payment_terms": "Net 30",
        "intacct_open_balance": 1250.5,
        "intacct_last_payment": "2026-11-30",
    }


def test_customers_organizations_have_prefixed_external_ids_that_never_collide_with_a_vendors() -> None:
    org = customer_organization(
        SourceRecord("V100", {"CUSTOMERID": "V100", "NAME": "Same Id Co"}), config=OrganizationsConfig()
    )
    assert org["external_id"] == "customer:V100"
    assert party_of(org["external_id"]) == ("CUSTOMER", "V100")
    assert party_of("V100") == ("VENDOR", "V100")
    assert party_of(None) is None


def test_a_vendor_without_a_name_fails_and_a_contact_without_email_or_vendor_is_skipped() -> None:
    with pytest.raises(MappingError, match="NAME is empty"):
        vendor_organization(SourceRecord("V1", {"VENDORID": "V1"}), config=OrganizationsConfig())
    with pytest.raises(SkipRecord, match="no email"):
        contact_user(SourceRecord("Bob", {"VENDORID": "V1"}))
    with pytest.raises(SkipRecord, match="no vendor"):
        contact_user(SourceRecord("Bob", {"EMAIL1": "b@x.com"}))
    user = contact_user(SourceRecord("Bob (V1-1)", {"VENDORID": "V1", "EMAIL1": "Bob@X.com", "FIRSTNAME": "Bob"}))
    assert user == {
        "email": "bob@x.com",
        "name": "Bob",
        "external_id": "contact:Bob (V1-1)",
        "role": "end-user",
        "phone": None,
        "organization_external_id": "V1",
    }


def test_a_ticket_is_a_custom_object_record_named_after_it_and_tied_to_its_vendor() -> None:
    ticket = {
        "id": 35436,
        "subject": "Invoice missing",
        "status": "open",
        "priority": "high",
        "updated_at": "2026-12-01T10:00:00Z",
    }
    record = ticket_record(ticket, ("VENDOR", "V100"), base_url="https://acme.zendesk.com/")
    assert record["name"] == "ZD-35436"
    assert record["party"] == {"object": "VENDOR", "id": "V100"}
    assert record["zd_url"] == "https://acme.zendesk.com/agent/tickets/35436"
    assert record["zd_status"] == "open"
    with pytest.raises(MappingError, match="not PROJECT"):
        ticket_record(ticket, ("PROJECT", "P1"), base_url="https://acme.zendesk.com")


def test_a_ticket_never_goes_backwards() -> None:
    assert newer("2026-12-01T10:00:01Z", "2026-12-01T10:00:00Z")
    assert not newer("2026-12-01T10:00:00Z", "2026-12-01T10:00:00+00:00")
    assert not newer("2026-11-30T10:00:00Z", "2026-12-01T10:00:00Z")
    assert newer("2026-11-30T10:00:00Z", None)


def test_the_organization_field_mapping_is_checked() -> None:
    config = OrganizationsConfig.from_options(
        {"organizations": {"fields": {"intacct_terms": "TERMNAME", "bal": OPEN_BALANCE}}}
    )
    assert config.fields == {"intacct_terms": "TERMNAME", "bal": OPEN_BALANCE}
    assert config.unknown_fields({"intacct_terms"}) == ["bal"]
    with pytest.raises(ConfigurationError, match="unknown keys: fieldz"):
        OrganizationsConfig.from_options({"organizations": {"fieldz": {}}})
    with pytest.raises(ConfigurationError, match="is not an Intacct field"):
        OrganizationsConfig.from_options({"organizations": {"fields": {"x": "not a field"}}})


def test_organization_field_values_take_the_fields_types() -> None:
    types = {"intacct_open_balance": "decimal", "intacct_on_hold": "checkbox", "intacct_status": "text"}
    org = vendor_organization(SourceRecord("V100", VENDOR), config=OrganizationsConfig(), types=types)
    fields = org["organization_fields"]
    assert (fields["intacct_open_balance"], fields["intacct_on_hold"], fields["intacct_status"]) == (
        1250.5,
        False,
        "active",
    )
    assert typed("12", "integer", "k") == 12
    assert typed(None, "decimal", "k") is None
    assert typed(True, "text", "k") == "true"
    with pytest.raises(MappingError, match="organization field k is decimal: 'abc' is not one"):
        typed("abc", "decimal", "k")


def _read(**data: object) -> SourceRecord:
    ticket = {"id": 7, "updated_at": "2026-12-01T10:00:00Z", "organization_id": 55, "organization_name": "Acme"}
    return SourceRecord("7", {**ticket, **data})


@pytest.mark.parametrize(
    ("data", "why"),
    [
        ({"organization_id": None}, "the ticket has no organization"),
        ({"organization_external_id": None}, "organization Acme has no external id"),
        ({"organization_external_id": "SF-1", "organization_ours": False}, "external id SF-1) is not one"),
    ],
)
def test_tickets_outside_our_organizations_are_skipped_with_the_reason(data: dict[str, object], why: str) -> None:
    with pytest.raises(SkipRecord, match=re.escape(why)):
        ticket_mapping(_read(**data), base_url="https://acme.zendesk.com")


def test_a_ticket_of_a_customer_organization_is_tied_to_the_customer() -> None:
    record = ticket_mapping(
        _read(organization_external_id="customer:C9", organization_ours=True), base_url="https://acme.zendesk.com"
    )
    assert record["party"] == {"object": "CUSTOMER", "id": "C9"}
    assert record["zd_updated_at"] == "2026-12-01T10:00:00Z"


def test_a_ticket_without_a_readable_updated_at_fails_with_the_reason() -> None:
    with pytest.raises(MappingError, match="not an ISO 8601 time"):
        ticket_mapping(
            _read(updated_at="yesterday", organization_external_id="V1", organization_ours=True),
            base_url="https://acme.zendesk.com",
        )
