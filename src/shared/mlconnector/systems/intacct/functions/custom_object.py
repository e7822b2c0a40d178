"""Values for Platform Services custom object records (`zendesk_ticket`), where the tenant decides the form.

Two facts are UNVERIFIED (reference verified-2026-12 §4) and stay the caller's choice, read from configuration
or confirmed per tenant: whether an `R…` relationship element takes the related record's ID (`VENDORID`) or
its `RECORDNO`, and whether date fields take ISO 8601 or `MM/DD/YYYY`. Reading back, both date forms parse.
"""

from __future__ import annotations

from datetime import UTC, date, datetime
from typing import Literal

RelationshipKey = Literal["ID", "RECORDNO"]
DateStyle = Literal["iso", "us"]


def relationship_value(key: RelationshipKey, *, record_id: str, recordno: str | int) -> str:
    """What goes in `<RVENDOR>`: the related record's ID field or its RECORDNO."""
    value = record_id if key == "ID" else str(recordno)
    if not value.strip():
        raise ValueError(f"the related record's {'ID' if key == 'ID' else 'RECORDNO'} is empty")
    return value


def custom_datetime(moment: datetime, style: DateStyle) -> str:
    """`2024-03-01T12:00:00Z` (an aware moment in UTC) or `03/01/2024 12:00:00` (wall time as given)."""
    if style == "iso":
        if moment.tzinfo is None:
            raise ValueError("an ISO custom date-time needs an aware datetime")
        return moment.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")
    return moment.strftime("%m/%d/%Y %H:%M:%S")


def custom_date(day: date, style: DateStyle) -> str:
    return day.isoformat() if style == "iso" else day.strftime("%m/%d/%Y")


def parse_custom_datetime(text: str) -> datetime:
    """A custom date(-time) as read back, in either form: ISO (with or without an offset) or MM/DD/YYYY
    [HH:MM[:SS]]. Naive unless the text carries an offset. ValueError otherwise."""
    value = text.strip()
    if "/" in value:
        for pattern in ("%m/%d/%Y %H:%M:%S", "%m/%d/%Y %H:%M", "%m/%d/%Y"):
            try:
                return datetime.strptime(value, pattern)
            except ValueError:
                continue
        raise ValueError(f"not a MM/DD/YYYY [HH:MM:SS] value: {text!r}")
    return datetime.fromisoformat(value)
