"""Pure mappings (no I/O): Intacct vendors (and customers) to Zendesk organizations, vendor contacts to end-users,
and Zendesk tickets to the Intacct custom-object record that stores them (`zendesk_ticket`, verified §4)."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime
from typing import Any

from mlconnector.engine.records import MappingError, SkipRecord, SourceRecord
from mlconnector.flows.fields import field
from mlconnector.flows.intacct_zendesk.config import (
    COMPUTED,
    CUSTOMER_PREFIX,
    VENDOR_PREFIX,
    OrganizationsConfig,
)

TICKET_OBJECT = "zendesk_ticket"
TICKET_NAME_PREFIX = "ZD-"
DOMAIN_FIELDS = ("DISPLAYCONTACT.URL1", "DISPLAYCONTACT.EMAIL1")


FieldTypes = Mapping[str, str]
"""Zendesk organization-field key -> its type (text, decimal, checkbox, date, ...), read in the run's preflight."""


def vendor_organization(
    record: SourceRecord, *, config: OrganizationsConfig, types: FieldTypes | None = None
) -> dict[str, Any]:
    return _organization(record, "VENDORID", VENDOR_PREFIX, config, types or {})


def customer_organization(
    record: SourceRecord, *, config: OrganizationsConfig, types: FieldTypes | None = None
) -> dict[str, Any]:
    return _organization(record, "CUSTOMERID", CUSTOMER_PREFIX, config, types or {})


def _organization(
    record: SourceRecord, id_field: str, prefix: str, config: OrganizationsConfig, types: FieldTypes
) -> dict[str, Any]:
    data = record.data
    name = field(data, "NAME")
    if name is None:
        raise MappingError("NAME is empty: a Zendesk organization needs a unique name")
    values = {key: typed(_value(data, source), types.get(key), key) for key, source in config.fields.items()}
    return {
        "external_id": f"{prefix}{field(data, id_field) or record.key}",
        "name": name,
        "details": _details(data),
        "notes": field(data, "COMMENTS"),
        "domain_names": sorted({d for f in DOMAIN_FIELDS if (d := _domain(field(data, f)))}),
        "tags": list(config.tags),
        "organization_fields": values,
    }


def contact_user(record: SourceRecord, *, vendor_prefix: str = VENDOR_PREFIX) -> dict[str, Any]:
    """A vendor's contact as an end-user of the vendor's organization (named by its external id; the writer
    turns it into organization_id)."""
    data = record.data
    email = field(data, "EMAIL1")
    vendor = field(data, "VENDORID")
    if vendor is None:
        raise SkipRecord("it belongs to no vendor (VENDORID is empty)")
    if email is None:
        raise SkipRecord("it has no email: Zendesk matches end-users on email")
    name = " ".join(p for p in (field(data, "FIRSTNAME"), field(data, "LASTNAME")) if p) or record.key
    return {
        "email": email.lower(),
        "name": name,
        "external_id": f"contact:{record.key}",
        "role": "end-user",
        "phone": field(data, "PHONE1"),
        "organization_external_id": f"{vendor_prefix}{vendor}",
    }


PARTY = "party"
"""The payload's `{"object": "VENDOR", "id": "V100"}`: the Intacct record the ticket is tied to."""
DELETED = "deleted"


def ticket_mapping(record: SourceRecord, *, base_url: str) -> dict[str, Any]:
    """A ticket read by the tickets reader (ticket_source.py) as what the ticket writer stores, or why it is skipped:
    a ticket without an organization, or whose organization was not synced from Intacct by this connector."""
    data = record.data
    if data.get("organization_id") is None:
        raise SkipRecord("the ticket has no organization")
    org = f"organization {data.get('organization_name') or data.get('organization_id')}"
    external_id = data.get("organization_external_id")
    if not external_id:
        raise SkipRecord(f"{org} has no external id: it was not synced from Intacct")
    if not data.get("organization_ours"):
        raise SkipRecord(f"{org} (external id {external_id}) is not one this connector synced from Intacct")
    party = party_of(str(external_id))
    if party is None:  # pragma: no cover - an external id always names a party
        raise SkipRecord(f"{org} names no Intacct record")
    return ticket_record(data, party, base_url=base_url)


def ticket_record(ticket: Mapping[str, Any], party: tuple[str, str], *, base_url: str) -> dict[str, Any]:
    """A Zendesk ticket as the `zendesk_ticket` record tied to its vendor (party = ("VENDOR", VENDORID)) or customer:
    fields by the custom object's names, times as Zendesk gives them (ISO 8601, UTC; the writer renders them in the
    form the company takes) and the party. Deleted tickets are marked so (zd_status "deleted"), never erased."""
    ticket_id = ticket.get("id")
    if ticket_id is None:
        raise MappingError("the ticket has no id")
    kind, key = party
    if kind not in ("VENDOR", "CUSTOMER"):
        raise MappingError(f"tickets are tied to vendors or customers, not {kind}")
    updated = _text(ticket.get("updated_at"))
    if updated is None:
        raise MappingError("the ticket has no updated_at")
    try:
        _instant(updated)
    except ValueError:
        raise MappingError(f"the ticket's updated_at {updated[:40]!r} is not an ISO 8601 time") from None
    return {
        "name": f"{TICKET_NAME_PREFIX}{ticket_id}",
        "zd_ticket_id": str(ticket_id),
        "zd_subject": _text(ticket.get("subject")),
        "zd_status": _text(ticket.get("status")),
        "zd_priority": _text(ticket.get("priority")),
        "zd_requester_email": _text(ticket.get("requester_email")),
        "zd_url": f"{base_url.rstrip('/')}/agent/tickets/{ticket_id}",
        "zd_created_at": _text(ticket.get("created_at")),
        "zd_updated_at": updated,
        PARTY: {"object": kind, "id": key},
    }


def party_of(external_id: str | None) -> tuple[str, str] | None:
    """Which Intacct record an organization's external id names: ("VENDOR", id) or ("CUSTOMER", id)."""
    if not external_id:
        return None
    if external_id.lower().startswith(CUSTOMER_PREFIX):
        return "CUSTOMER", external_id[len(CUSTOMER_PREFIX) :]
    return "VENDOR", external_id


def newer(incoming: str | None, stored: str | None) -> bool:
    """Whether a ticket's updated_at is later than the one stored (ISO 8601): a ticket never goes backwards."""
    if stored is None:
        return True
    if incoming is None:
        return False
    return _instant(incoming) > _instant(stored)


def instant(value: str) -> datetime:
    """An ISO 8601 time (`Z` or an offset) as an aware datetime; ValueError otherwise."""
    return _instant(value)


def _instant(value: str) -> datetime:
    moment = datetime.fromisoformat(value.replace("Z", "+00:00"))
    if moment.tzinfo is None:
        raise ValueError(f"{value!r} has no offset")
    return moment


def typed(value: Any, kind: str | None, key: str) -> Any:
    """A value as the organization field's type takes it: text as text, decimal and integer as numbers, checkbox
    as true/false, date as YYYY-MM-DD; None clears the field. A value the type cannot take fails the record."""
    if value is None or kind is None:
        return value
    try:
        if kind in ("decimal", "integer"):
            number = float(value)
            return int(number) if kind == "integer" else number
        if kind == "checkbox":
            return value if isinstance(value, bool) else str(value).strip().lower() in ("true", "1", "yes")
    except ValueError:
        raise MappingError(f"organization field {key} is {kind}: {value!r} is not one") from None
    if kind in ("text", "textarea", "regexp", "dropdown", "date"):
        return str(value).lower() if isinstance(value, bool) else str(value)
    return value


def _value(data: Mapping[str, Any], source: str) -> Any:
    if source in COMPUTED:
        return data.get(source)
    value = field(data, source)
    if value is not None and value.lower() in ("true", "false"):
        return value.lower() == "true"
    return value


def _details(data: Mapping[str, Any]) -> str | None:
    parts = [
        field(data, "DISPLAYCONTACT.MAILADDRESS.ADDRESS1"),
        field(data, "DISPLAYCONTACT.MAILADDRESS.CITY"),
        field(data, "DISPLAYCONTACT.MAILADDRESS.COUNTRY"),
        field(data, "DISPLAYCONTACT.PHONE1"),
    ]
    present = [p for p in parts if p]
    return ", ".join(present) or None


def _domain(value: str | None) -> str | None:
    if not value:
        return None
    host = value.split("@", 1)[1] if "@" in value else value.split("//", 1)[-1].split("/", 1)[0]
    host = host.strip().lower().removeprefix("www.")
    return host if "." in host else None


def _text(value: Any) -> str | None:
    return None if value is None or value == "" else str(value)
