"""Generic `create`, `update` and `delete`.

A record is a mapping of UPPERCASE field names to values. A nested mapping becomes nested elements
(`{"DISPLAYCONTACT": {"EMAIL1": "a@b.example"}}`), a list repeats the element
(`{"APBILLITEMS": {"APBILLITEM": [line1, line2]}}`), None leaves the field out and "" sends it empty.
Fields are written in the mapping's order (the SDK's order is safe; order-sensitivity is UNVERIFIED).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from mlconnector.systems.intacct.functions.base import check_object, key_list, new_controlid
from mlconnector.systems.intacct.xml import Element, el

Record = Mapping[str, Any]


def field_elements(name: str, value: Any) -> list[Element]:
    """Elements for one field: none for None, one per item for a list, nested for a mapping."""
    if value is None:
        return []
    if name != name.upper():
        raise ValueError(f"field names must be UPPERCASE: {name!r}")
    if isinstance(value, Mapping):
        return [el(name, *record_children(value))]
    if isinstance(value, list | tuple):
        return [child for item in value for child in field_elements(name, item)]
    return [el(name, text=value)]


def record_children(record: Record) -> list[Element]:
    return [child for name, value in record.items() for child in field_elements(name, value)]


def record_element(obj: str, record: Record) -> Element:
    return el(obj, *record_children(record))


@dataclass(frozen=True)
class Create:
    """One or more objects of one type. Give writes a deterministic controlid (see `controlids`)."""

    object: str
    records: tuple[Record, ...]
    controlid: str = field(default_factory=new_controlid)

    def __post_init__(self) -> None:
        _check_write(self.object, self.records, "create")

    def to_element(self) -> Element:
        return el("create", *(record_element(self.object, r) for r in self.records))


@dataclass(frozen=True)
class Update:
    """Identify each record by RECORDNO or by its ID field, and send only the fields to change."""

    object: str
    records: tuple[Record, ...]
    controlid: str = field(default_factory=new_controlid)

    def __post_init__(self) -> None:
        _check_write(self.object, self.records, "update")

    def to_element(self) -> Element:
        return el("update", *(record_element(self.object, r) for r in self.records))


@dataclass(frozen=True)
class Delete:
    object: str
    keys: tuple[str | int, ...]
    """RECORDNO values."""
    controlid: str = field(default_factory=new_controlid)

    def __post_init__(self) -> None:
        check_object(self.object)
        key_list(self.keys, "delete")

    def to_element(self) -> Element:
        return el("delete", el("object", text=self.object), el("keys", text=key_list(self.keys, "delete")))


def _check_write(obj: str, records: Sequence[Record], function: str) -> None:
    check_object(obj)
    if not records:
        raise ValueError(f"{function} needs at least one record")
    for record in records:
        record_children(record)  # validates names and value types now, not at send time
