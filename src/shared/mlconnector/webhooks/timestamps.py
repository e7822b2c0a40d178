"""Delivery timestamps: reading the forms senders use, and deciding whether a delivery is too old to accept."""

from __future__ import annotations

import math
from datetime import UTC, datetime

_MILLISECONDS_FROM = 100_000_000_000
"""Epoch numbers at or above this are milliseconds (as seconds it would be the year 5138)."""


def parse_timestamp(value: object) -> float:
    """Epoch seconds from epoch seconds or milliseconds (number or digits), ISO-8601, or Commerce's
    `YYYY-MM-DD HH:MM:SS`. A time without a zone is UTC, as Commerce writes it. Raises ValueError."""
    if isinstance(value, bool):
        raise ValueError("a boolean is not a timestamp")
    if isinstance(value, int | float):
        return _epoch(float(value))
    if not isinstance(value, str) or not value.strip():
        raise ValueError("the timestamp is empty or not text")
    text = value.strip()
    try:
        return _epoch(float(text))
    except ValueError:
        pass
    try:
        parsed = datetime.fromisoformat(text)
    except ValueError:
        raise ValueError("the timestamp is neither epoch seconds nor ISO-8601") from None
    if parsed.tzinfo is None:
        parsed = parsed.replace(tzinfo=UTC)
    return parsed.timestamp()


def _epoch(number: float) -> float:
    if not math.isfinite(number) or number < 0:
        raise ValueError("the timestamp is not a finite, non-negative epoch")
    return number / 1000 if number >= _MILLISECONDS_FROM else number


def freshness_problem(timestamp: float, now: float, *, max_age_seconds: int, clock_skew_seconds: int) -> str | None:
    """Why `timestamp` is not acceptable at `now` (too old, or too far ahead), or None when it is fresh.

    The skew allowance applies both ways: a sender whose clock runs ahead is not refused, and up to
    `max_age_seconds + clock_skew_seconds` of age is accepted."""
    age = now - timestamp
    if age > max_age_seconds + clock_skew_seconds:
        return f"timestamp is {int(age)}s old; at most {max_age_seconds}s (+{clock_skew_seconds}s skew) accepted"
    if -age > clock_skew_seconds:
        return f"timestamp is {int(-age)}s in the future; at most {clock_skew_seconds}s skew accepted"
    return None
