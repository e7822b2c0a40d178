"""`read` (by RECORDNO) and `readByName` (by the object's ID field), at most 100 keys per call."""

from __future__ import annotations

from dataclasses import dataclass, field

from mlconnector.systems.intacct.functions.base import check_object, field_list, key_list, new_controlid
from mlconnector.systems.intacct.xml import Element, el


@dataclass(frozen=True)
class Read:
    object: str
    keys: tuple[str | int, ...]
    fields: tuple[str, ...] = ("*",)
    docparid: str | None = None
    controlid: str = field(default_factory=new_controlid)

    def __post_init__(self) -> None:
        check_object(self.object)
        key_list(self.keys, "read")

    def to_element(self) -> Element:
        return _read_element("read", self.object, key_list(self.keys, "read"), self.fields, self.docparid)


@dataclass(frozen=True)
class ReadByName:
    object: str
    keys: tuple[str, ...]
    fields: tuple[str, ...] = ("*",)
    docparid: str | None = None
    controlid: str = field(default_factory=new_controlid)

    def __post_init__(self) -> None:
        check_object(self.object)
        key_list(self.keys, "readByName")

    def to_element(self) -> Element:
        return _read_element("readByName", self.object, key_list(self.keys, "readByName"), self.fields, self.docparid)


def _read_element(name: str, obj: str, keys: str, fields: tuple[str, ...], docparid: str | None) -> Element:
    parts = [
        el("object", text=obj),
        el("keys", text=keys),
        el("fields", text=field_list(fields)),
        el("returnFormat", text="xml"),
    ]
    if docparid:
        parts.append(el("docparid", text=docparid))
    return el(name, *parts)
