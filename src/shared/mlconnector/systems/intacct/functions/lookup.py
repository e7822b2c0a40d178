"""`lookup`: the object's field definitions in this tenant (fields vary per company and module), and for a
Platform Services custom object its relationships: `OBJECTPATH` (the prefix for queries across it,
`R_zendesk_ticket_vendor.VENDORID`) and `RELATEDBY` (the element that sets it in create/update, `RVENDOR`).

The answer is read as `<Type Name="…"><Fields><Field><ID>…</ID><DATATYPE>…</DATATYPE>…</Field></Fields>
<Relationships><Relationship><OBJECTPATH>…</OBJECTPATH><OBJECTNAME>…</OBJECTNAME><RELATEDBY>…</RELATEDBY>…`
(reference §4.2 names `Type/Fields/Field`, `ID`, `DATATYPE`; the rest is read leniently: names in any case, a
missing element is "").
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from mlconnector.systems.intacct.errors import IntacctError
from mlconnector.systems.intacct.functions.base import check_object, new_controlid
from mlconnector.systems.intacct.response import Result
from mlconnector.systems.intacct.xml import Element, el


@dataclass(frozen=True)
class Lookup:
    object: str
    controlid: str = field(default_factory=new_controlid)

    def __post_init__(self) -> None:
        check_object(self.object)

    def to_element(self) -> Element:
        return el("lookup", el("object", text=self.object))


@dataclass(frozen=True)
class FieldDefinition:
    id: str
    label: str = ""
    datatype: str = ""
    required: bool = False
    readonly: bool = False
    custom: bool = False


@dataclass(frozen=True)
class RelationshipDefinition:
    object_path: str
    """Prefix of the related fields in queries: `R_zendesk_ticket_vendor` (-> `R_zendesk_ticket_vendor.VENDORID`)."""
    object_name: str
    """The related object: `VENDOR`."""
    related_by: str
    """The element that sets the relationship in create/update: `RVENDOR`."""
    label: str = ""
    relationship_type: str = ""

    def field(self, name: str) -> str:
        """A related field for `query` select lists and filters: `R_zendesk_ticket_vendor.VENDORID`."""
        return f"{self.object_path}.{name}"


@dataclass(frozen=True)
class ObjectDefinition:
    name: str
    fields: tuple[FieldDefinition, ...]
    relationships: tuple[RelationshipDefinition, ...] = ()

    def field_ids(self) -> list[str]:
        return [f.id for f in self.fields]

    def relationship_to(self, object_name: str) -> RelationshipDefinition | None:
        """The relationship to a standard object (`VENDOR`), if the object has one."""
        wanted = object_name.upper()
        return next((r for r in self.relationships if r.object_name.upper() == wanted), None)


def _items(container: Any, name: str) -> list[Mapping[str, Any]]:
    """`{"FIELD": {...}}` or `{"FIELD": [{...}, ...]}` -> the list of mappings (none when absent or empty)."""
    if not isinstance(container, Mapping):
        return []
    found = container.get(name)
    items = found if isinstance(found, list) else [found]
    return [item for item in items if isinstance(item, Mapping)]


def _text(item: Mapping[str, Any], name: str) -> str:
    value = item.get(name, "")
    return value.strip() if isinstance(value, str) else ""


def _flag(item: Mapping[str, Any], name: str) -> bool:
    return _text(item, name).lower() in ("true", "t", "1", "yes")


def parse_lookup(result: Result) -> ObjectDefinition:
    """The definition in a successful `lookup` result (ValueError when it holds none)."""
    if not result.records:
        raise ValueError("lookup answered no object definition")
    record = result.records[0]
    attributes = result.data.attributes[0] if result.data is not None and result.data.attributes else {}
    fields = tuple(
        FieldDefinition(
            id=_text(item, "ID"),
            label=_text(item, "LABEL"),
            datatype=_text(item, "DATATYPE"),
            required=_flag(item, "REQUIRED"),
            readonly=_flag(item, "READONLY"),
            custom=_flag(item, "ISCUSTOM"),
        )
        for item in _items(record.get("FIELDS"), "FIELD")
    )
    relationships = tuple(
        RelationshipDefinition(
            object_path=_text(item, "OBJECTPATH"),
            object_name=_text(item, "OBJECTNAME"),
            related_by=_text(item, "RELATEDBY"),
            label=_text(item, "LABEL"),
            relationship_type=_text(item, "RELATIONSHIPTYPE"),
        )
        for item in _items(record.get("RELATIONSHIPS"), "RELATIONSHIP")
    )
    return ObjectDefinition(attributes.get("name", ""), fields, relationships)


def unknown_object(error: IntacctError) -> bool:
    """Whether a failed function says the object does not exist in the tenant ("Object definition X not found",
    reference §12; the errorno is not published). A custom object answers so without Platform Services or when
    its application is not installed."""
    texts = [detail.text().lower() for detail in error.errors]
    return any("object definition" in text and "not found" in text for text in texts)
