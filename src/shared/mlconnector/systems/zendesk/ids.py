"""Zendesk ids and counts as its replies carry them: numbers, or digits in a string (webhook events, some sideloads)."""

from __future__ import annotations


def zendesk_int(value: object) -> int | None:
    """The value as an int, or None for anything else (a bool, an empty or non-digit string, null)."""
    if isinstance(value, bool):
        return None
    if isinstance(value, int):
        return value
    if isinstance(value, str) and value.isdigit():
        return int(value)
    return None
