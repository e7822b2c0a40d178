"""Generic `create`, `update` and `delete`.

A record is a mapping of UPPERCASE field names to values; a Platform Services custom object's record
(`custom_object=True`) keeps its fields' own names (`name`, `zd_subject`) beside its `R…` relationship
elements (`RVENDOR`), see `custom_object.py`. A nested mapping becomes nested elements
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

MAX_WRITE_RECORDS = 100
"""Objects per create/update function (documented: 1-100)."""


def field_elements(name: str, value: Any, *, any_case: bool = False) -> list[Element]:
    """Elements for one field: none for None, one per item for a list, nested for a mapping.
    `any_case`: a custom object's field names are written as given (else they must be UPPERCASE)."""
    if value is None:
        return []
    if not any_case and name != name.upper():
        raise ValueError(f"field names must be UPPERCASE: {name!r}")
    if isinstance(value, Mapping):
        return [el(name, *record_children(value, any_case=any_case))]
    if isinstance(value, list | tuple):
        return [child for item in value for child in field_elements(name, item, any_case=any_case)]
    return [el(name, text=value)]


def record_children(record: Record, *, any_case: bool = False) -> list[Element]:
    return [child for name, value in record.items() for child in field_elements(name, value, any_case=any_case)]


def record_element(obj: str, record: Record, *, any_case: bool = False) -> Element:
    return el(obj, *record_children(record, any_case=any_case))


@dataclass(frozen=True)
class Create:
    """One to 100 objects of one type. Give writes a deterministic controlid (see `controlids`).
    `custom_object`: a Platform Services object by integration name (`zendesk_ticket`), fields as named."""

    object: str
    records: tuple[Record, ...]
    controlid: str = field(default_factory=new_controlid)
    custom_object: bool = False

    def __post_init__(self) -> None:
        _check_write(self.object, self.records, "create", self.custom_object)

    def to_element(self) -> Element:
        return el("create", *(record_element(self.object, r, any_case=self.custom_object) for r in self.records))


@dataclass(frozen=True)
class Update:
    """Identify each record by RECORDNO or by its ID field (a custom object's by `id`), and send only the
    fields to change."""

    object: str
    records: tuple[Record, ...]
    controlid: str = field(default_factory=new_controlid)
    custom_object: bool = False

    def __post_init__(self) -> None:
        _check_write(self.object, self.records, "update", self.custom_object)

    def to_element(self) -> Element:
        return el("update", *(record_element(self.object, r, any_case=self.custom_object) for r in self.records))


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


def _check_write(obj: str, records: Sequence[Record], function: str, any_case: bool) -> None:
    check_object(obj)
    if not records:
        raise ValueError(f"{function} needs at least one record")
    if len(records) > MAX_WRITE_RECORDS:
        raise ValueError(f"{function} takes at most {MAX_WRITE_RECORDS} records per function, got {len(records)}")
    for record in records:
        record_children(record, any_case=any_case)  # validates names and value types now, not at send time
