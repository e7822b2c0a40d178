"""Pure mapping of an email's claimants (member_source) to a batch-subscribe member (no I/O).

Merge rule for an email several records share: the merge fields come from one claimant, the customer of the
lowest CUSTOMERID if any customer has the email (customers are who an audience markets to), else the vendor
contact of the lowest VENDORID, then CONTACTNAME (intacct-marketo's rule). The tags name every kind present
(customer and vendor), so nobody is lost from a segment.

Consent: the member carries `status_if_new` only, never `status`, so Mailchimp creates a new member with the
configured status and leaves an existing member's status (unsubscribed, cleaned, ...) as it is.
"""

from __future__ import annotations

from collections.abc import Collection, Mapping
from typing import Any

from mlconnector.engine.records import MappingError, SourceRecord
from mlconnector.flows.fields import field
from mlconnector.flows.intacct_mailchimp.config import MembersConfig
from mlconnector.flows.intacct_mailchimp.member_source import CONTACTS, CUSTOMERS, EMAIL

ADDRESS_PARTS = {"addr1": "ADDRESS1", "addr2": "ADDRESS2", "city": "CITY", "state": "STATE", "zip": "ZIP"}
ADDRESS_REQUIRED = ("addr1", "city", "state", "zip")
MERGE_FIELDS = ("FNAME", "LNAME", "COMPANY", "PHONE", "ADDRESS")
"""The merge fields this mapping can fill; the audience's required fields must be among them (checked per run)."""


def member_payload(
    record: SourceRecord, config: MembersConfig, audience_tags: Collection[str], required: Collection[str] = ()
) -> dict[str, Any]:
    """The member for this email. `audience_tags`: the audience's merge-field tags (others are not sent);
    `required`: those the audience requires (a member without one fails, naming it)."""
    data = record.data
    customers: list[Mapping[str, Any]] = data.get(CUSTOMERS) or []
    contacts: list[Mapping[str, Any]] = data.get(CONTACTS) or []
    email = str(data.get(EMAIL) or "")
    if "@" not in email:
        raise MappingError(f"{email!r} is not an email address")
    if customers:
        merge = _customer_fields(customers[0])
    elif contacts:
        merge = _contact_fields(contacts[0])
    else:
        raise MappingError("no customer or vendor contact has this email any more")
    missing = sorted(tag for tag in required if merge.get(tag) is None)
    if missing:
        raise MappingError(f"the audience requires merge field(s) {', '.join(missing)}, empty in Intacct")
    tags = [config.customer_tag] * bool(customers) + [config.vendor_tag] * bool(contacts)
    return {
        "email_address": email,
        "status_if_new": config.status_if_new,
        "merge_fields": {tag: value for tag, value in merge.items() if tag in audience_tags and value is not None},
        "tags": tags,
    }


def _customer_fields(row: Mapping[str, Any]) -> dict[str, Any]:
    return {
        "FNAME": field(row, "DISPLAYCONTACT.FIRSTNAME"),
        "LNAME": field(row, "DISPLAYCONTACT.LASTNAME"),
        "COMPANY": field(row, "NAME") or field(row, "DISPLAYCONTACT.COMPANYNAME"),
        "PHONE": field(row, "DISPLAYCONTACT.PHONE1"),
        "ADDRESS": _address(row, "DISPLAYCONTACT.MAILADDRESS."),
    }


def _contact_fields(row: Mapping[str, Any]) -> dict[str, Any]:
    return {
        "FNAME": field(row, "FIRSTNAME"),
        "LNAME": field(row, "LASTNAME"),
        "COMPANY": field(row, "COMPANYNAME"),
        "PHONE": field(row, "PHONE1"),
        "ADDRESS": _address(row, "MAILADDRESS."),
    }


def _address(row: Mapping[str, Any], prefix: str) -> dict[str, str] | None:
    """Mailchimp's address merge field needs addr1, city, state and zip: without one of them it is left out."""
    parts = {name: field(row, prefix + source) for name, source in ADDRESS_PARTS.items()}
    if any(parts[name] is None for name in ADDRESS_REQUIRED):
        return None
    address = {name: value for name, value in parts.items() if value is not None}
    if country := field(row, prefix + "COUNTRY"):
        address["country"] = country
    return address


def unfillable(required_tags: Collection[str]) -> list[str]:
    """The audience's required merge fields this mapping cannot fill (a configuration error, named per run)."""
    return sorted(set(required_tags) - set(MERGE_FIELDS))
