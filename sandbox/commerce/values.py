"""Value formats of the Magento Web API: timestamps, increment ids, money."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

Record = dict[str, Any]

STAMP_FORMAT = "%Y-%m-%d %H:%M:%S"


def stamp(moment: datetime) -> str:
    """``YYYY-MM-DD HH:MM:SS`` in UTC, no zone designator (reference §3)."""
    return moment.astimezone(UTC).strftime(STAMP_FORMAT)


def increment_id(number: int) -> str:
    """Sales entities show nine-digit, zero-padded increment ids: ``000000003``."""
    return f"{number:09d}"


def money(value: float) -> float:
    return round(value + 0.0, 2)
