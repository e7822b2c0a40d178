"""Typed views of Intacct's all-text values: how they compare, sort and are formatted.

Intacct returns every value as text; dates are ``MM/DD/YYYY`` and timestamps ``MM/DD/YYYY HH:MM:SS``
(24-hour, no time zone in the value). Comparisons in filters and orderby use the field's type.
"""

from __future__ import annotations

from datetime import UTC, datetime, tzinfo
from decimal import Decimal, InvalidOperation
from enum import StrEnum
from functools import lru_cache
from zoneinfo import ZoneInfo

TIMESTAMP_FORMAT = "%m/%d/%Y %H:%M:%S"
DATE_FORMAT = "%m/%d/%Y"


class FieldType(StrEnum):
    TEXT = "text"
    INTEGER = "integer"
    DECIMAL = "decimal"
    DATE = "date"
    TIMESTAMP = "timestamp"
    BOOLEAN = "boolean"


Comparable = str | int | Decimal | datetime


@lru_cache(maxsize=1 << 16)
def parse_when(text: str) -> datetime:
    """``MM/DD/YYYY`` or ``MM/DD/YYYY HH:MM[:SS]`` as a naive datetime; ValueError otherwise."""
    date_part, _, time_part = text.strip().partition(" ")
    month, day, year = date_part.split("/")
    if len(year) != 4:
        raise ValueError(f"not a MM/DD/YYYY date: {text!r}")
    if not time_part:
        return datetime(int(year), int(month), int(day))
    pieces = time_part.strip().split(":")
    if len(pieces) not in (2, 3):
        raise ValueError(f"not a HH:MM:SS time: {text!r}")
    second = int(pieces[2]) if len(pieces) == 3 else 0
    return datetime(int(year), int(month), int(day), int(pieces[0]), int(pieces[1]), second)


def comparable(field_type: FieldType, text: str, *, casefold: bool = False) -> Comparable:
    """The value to compare/sort by; raises ValueError when ``text`` is not of the type."""
    if field_type is FieldType.INTEGER:
        return int(text.strip())
    if field_type is FieldType.DECIMAL:
        try:
            return Decimal(text.strip())
        except InvalidOperation as exc:
            raise ValueError(f"not a number: {text!r}") from exc
    if field_type in (FieldType.DATE, FieldType.TIMESTAMP):
        try:
            return parse_when(text)
        except (ValueError, TypeError) as exc:
            raise ValueError(f"not a MM/DD/YYYY [HH:MM:SS] value: {text!r}") from exc
    if field_type is FieldType.BOOLEAN:
        return text.strip().lower()
    return text.casefold() if casefold else text


def is_valid(field_type: FieldType, text: str) -> bool:
    if field_type is FieldType.BOOLEAN:
        return text in ("true", "false")
    try:
        comparable(field_type, text)
    except ValueError:
        return False
    return True


def zone(name: str) -> tzinfo:
    return UTC if name.upper() == "UTC" else ZoneInfo(name)


def format_timestamp(moment: datetime, tz: tzinfo) -> str:
    """An aware moment as Intacct prints WHENMODIFIED: wall time in ``tz``, no offset."""
    return moment.astimezone(tz).strftime(TIMESTAMP_FORMAT)


def format_date(moment: datetime, tz: tzinfo) -> str:
    return moment.astimezone(tz).strftime(DATE_FORMAT)


def iso_with_offset(moment: datetime, tz: tzinfo) -> str:
    """Session timestamps: ISO-8601 with a UTC offset, e.g. ``2024-10-04T01:38:10+00:00``."""
    return moment.astimezone(tz).replace(microsecond=0).isoformat()
