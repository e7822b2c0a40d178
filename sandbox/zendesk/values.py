"""Value helpers: Zendesk timestamps, ids, external-id keys, comma lists."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

Json = dict[str, Any]


def stamp(moment: datetime) -> str:
    """``2020-09-30T01:50:12Z``: ISO-8601 UTC, whole seconds."""
    return moment.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def epoch(moment: datetime) -> int:
    return int(moment.timestamp())


def external_key(value: object) -> str | None:
    """External ids are unique case-insensitively; numbers are stored as strings (reference §4)."""
    if value is None:
        return None
    return str(value).strip().lower()


def external_text(value: object) -> str | None:
    return None if value is None else str(value)


def name_key(name: str, case_insensitive: bool) -> str:
    """Names are trimmed before the uniqueness check (verified); case per the config."""
    trimmed = name.strip()
    return trimmed.lower() if case_insensitive else trimmed


def comma_list(text: str) -> list[str]:
    return [item.strip() for item in text.split(",") if item.strip()]


def int_ids(items: list[str]) -> list[int]:
    """Ids from a query list; an id that is not a number matches nothing."""
    return [int(item) for item in items if item.isdigit()]
