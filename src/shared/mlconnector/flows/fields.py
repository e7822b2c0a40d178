"""Small helpers shared by mappings: reading Intacct fields and normalising values."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any


def field(record: Mapping[str, Any], name: str) -> str | None:
    """The text of a field, stripped; None when missing or empty.

    Related fields are read by their dotted name ("DISPLAYCONTACT.MAILADDRESS.CITY"): the Intacct client hands
    every record over in that one shape, whether the gateway sent flat dotted elements or nested groups
    (systems/intacct/dotted.py), so a mapping never walks a nested group itself."""
    value = record.get(name)
    if value is None or isinstance(value, Mapping | list):
        return None
    text = str(value).strip()
    return text or None
