"""Incremental reads on `updated_at`.

Commerce timestamps are `YYYY-MM-DD HH:MM:SS` in UTC with no zone designator (reference §3). The cursor is the
raw string of the largest `updated_at` Commerce returned (never Lambda's clock); the next read starts
`overlap_seconds` before it, so rows committed late with an older timestamp, and rows sharing the cursor's second,
are read again. Downstream deduplicates on content hashes.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from datetime import datetime, timedelta
from typing import Any

from mlconnector.systems.commerce.search import Filter

TIMESTAMP_FORMAT = "%Y-%m-%d %H:%M:%S"
UPDATED_AT = "updated_at"


def parse_timestamp(value: str) -> datetime:
    try:
        return datetime.strptime(value.strip(), TIMESTAMP_FORMAT)
    except ValueError:
        raise ValueError(f"not a Commerce timestamp (YYYY-MM-DD HH:MM:SS): {value[:40]!r}") from None


def since_filter(cursor: str | None, overlap_seconds: int = 300, field: str = UPDATED_AT) -> Filter | None:
    """`field >= cursor - overlap`, or None for a full read."""
    if overlap_seconds < 0:
        raise ValueError("overlap_seconds must be >= 0")
    if not cursor:
        return None
    start = parse_timestamp(cursor) - timedelta(seconds=overlap_seconds)
    return Filter(field, start.strftime(TIMESTAMP_FORMAT), "gteq")


def max_timestamp(records: Iterable[Mapping[str, Any]], current: str | None, field: str = UPDATED_AT) -> str | None:
    """The new cursor: the largest raw timestamp among `records` and `current` (compared as times, returned as
    Commerce wrote it). Rows without a readable timestamp are ignored."""
    best = current
    best_time = parse_timestamp(current) if current else None
    for record in records:
        value = record.get(field)
        if not isinstance(value, str) or not value:
            continue
        try:
            when = parse_timestamp(value)
        except ValueError:
            continue
        if best_time is None or when > best_time:
            best, best_time = value, when
    return best
