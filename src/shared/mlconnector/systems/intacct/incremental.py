"""Incremental reads on WHENMODIFIED.

Time zones: Intacct timestamps carry no zone (the reference's §6.6). Whether WHENMODIFIED is in UTC,
the company's zone or the server's is UNVERIFIED, so the connector never converts it and never
uses Lambda's clock as a cursor. The cursor is the raw `MM/DD/YYYY HH:MM:SS` string of the largest
WHENMODIFIED Intacct returned; the next read starts `overlap_seconds` before it, in the same
(unknown) zone, so rows committed late with an older timestamp and rows sharing the cursor's second
are read again. Downstream deduplicates on (RECORDNO, WHENMODIFIED) and content hashes.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from datetime import datetime, timedelta
from typing import Any

from mlconnector.systems.intacct.functions.filters import (
    Filter,
    and_,
    greaterthanorequalto,
    lessthan,
)

TIMESTAMP_FORMAT = "%m/%d/%Y %H:%M:%S"
WHENMODIFIED = "WHENMODIFIED"


def parse_timestamp(value: str) -> datetime:
    """A naive datetime from Intacct's `MM/DD/YYYY HH:MM:SS` (zone unknown, see module docstring)."""
    try:
        return datetime.strptime(value.strip(), TIMESTAMP_FORMAT)
    except ValueError:
        raise ValueError(f"not an Intacct timestamp (MM/DD/YYYY HH:MM:SS): {value!r}") from None


def whenmodified_filter(
    cursor: str | None,
    overlap_seconds: int = 300,
    *,
    upper_bound: str | None = None,
    field: str = WHENMODIFIED,
) -> Filter | None:
    """`field >= cursor - overlap` (and `< upper_bound` if given, also a raw Intacct string).
    None cursor and no bound means a full read (returns None)."""
    if overlap_seconds < 0:
        raise ValueError("overlap_seconds must be >= 0")
    conditions: list[Filter] = []
    if cursor:
        start = parse_timestamp(cursor) - timedelta(seconds=overlap_seconds)
        conditions.append(greaterthanorequalto(field, start.strftime(TIMESTAMP_FORMAT)))
    if upper_bound:
        conditions.append(lessthan(field, parse_timestamp(upper_bound).strftime(TIMESTAMP_FORMAT)))
    return and_(*conditions) if conditions else None


def max_timestamp(records: Iterable[Mapping[str, Any]], current: str | None, field: str = WHENMODIFIED) -> str | None:
    """The new cursor: the largest raw timestamp among `records` and `current` (compared as times,
    returned as Intacct wrote it)."""
    best = current
    best_time = parse_timestamp(current) if current else None
    for record in records:
        value = record.get(field)
        if not isinstance(value, str) or not value:
            continue
        when = parse_timestamp(value)
        if best_time is None or when > best_time:
            best, best_time = value, when
    return best
