"""`inspect`: which objects the tenant has (`*`), or one object's field names. A Platform Services custom
object appears only where the subscription is on and its application is installed, so `inspect *` (or a
`lookup` of the object) tells which mode a tenant runs in.

Read leniently: `<type typename="zendesk_ticket">Zendesk Ticket</type>` gives the name from `typename` (else
`Name`, else the text); `<Type Name="X"><Fields><Field>ID</Field>…` gives field names.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from mlconnector.systems.intacct.functions.base import new_controlid
from mlconnector.systems.intacct.response import Result
from mlconnector.systems.intacct.xml import Element, check_name, el


@dataclass(frozen=True)
class Inspect:
    object: str = "*"
    detail: bool = False
    controlid: str = field(default_factory=new_controlid)

    def __post_init__(self) -> None:
        if self.object != "*":
            check_name(self.object)

    def to_element(self) -> Element:
        attrs = {"detail": "1"} if self.detail else None
        return el("inspect", el("object", text=self.object), attrs=attrs)


@dataclass(frozen=True)
class ObjectType:
    name: str
    label: str = ""


def parse_inspect(result: Result) -> list[ObjectType]:
    """The objects an `inspect *` listed."""
    attributes = result.data.attributes if result.data is not None else ()
    types: list[ObjectType] = []
    for index, record in enumerate(result.records):
        attrs = attributes[index] if index < len(attributes) else {}
        text = next((value for value in record.values() if isinstance(value, str)), "").strip()
        name = attrs.get("typename") or attrs.get("name") or text
        types.append(ObjectType(name, text if text != name else ""))
    return types


def has_object(result: Result, name: str) -> bool:
    """Whether an `inspect *` listed `name` (integration names compare case-insensitively)."""
    return any(t.name.lower() == name.lower() for t in parse_inspect(result))


def inspected_fields(result: Result) -> list[str]:
    """The field names of an `inspect <object>`."""
    if not result.records:
        return []
    fields = result.records[0].get("FIELDS")
    found = fields.get("FIELD", []) if isinstance(fields, dict) else []
    names = found if isinstance(found, list) else [found]
    return [name.strip() for name in names if isinstance(name, str) and name.strip()]
