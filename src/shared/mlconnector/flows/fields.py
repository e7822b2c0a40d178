"""Small helpers shared by mappings: reading nested Intacct fields and normalising values."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any


def field(record: Mapping[str, Any], dotted: str) -> str | None:
    """The text at a dotted path ("DISPLAYCONTACT.MAILADDRESS.CITY"), stripped; None when missing or empty."""
    value: Any = record
    for part in dotted.split("."):
        if not isinstance(value, Mapping):
            return None
        value = value.get(part)
    if value is None or isinstance(value, Mapping | list):
        return None
    text = str(value).strip()
    return text or None
