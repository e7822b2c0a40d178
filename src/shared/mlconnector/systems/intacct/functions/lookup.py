"""`lookup`: the object's field definitions in this tenant (fields vary per company and module)."""

from __future__ import annotations

from dataclasses import dataclass, field

from mlconnector.systems.intacct.functions.base import check_object, new_controlid
from mlconnector.systems.intacct.xml import Element, el


@dataclass(frozen=True)
class Lookup:
    object: str
    controlid: str = field(default_factory=new_controlid)

    def __post_init__(self) -> None:
        check_object(self.object)

    def to_element(self) -> Element:
        return el("lookup", el("object", text=self.object))
