"""Field definitions: one ``FieldSpec`` per field, system or custom, with the data type names of the Fields
metadata API (``text``, ``picklist``, ``lookup``, ...). Only Single Line (``text``), Email, Phone, Number
(``integer``), Long Integer (``bigint``) and URL (``website``) fields can be unique (verified, Kaizen #56)."""

from __future__ import annotations

import re
from dataclasses import dataclass, replace

# data_type -> (json_type, default length)
DATA_TYPES: dict[str, tuple[str, int | None]] = {
    "text": ("string", 255),
    "textarea": ("string", 32_000),
    "email": ("string", 100),
    "phone": ("string", 30),
    "website": ("string", 255),
    "picklist": ("string", 120),
    "lookup": ("jsonobject", None),
    "ownerlookup": ("jsonobject", None),
    "integer": ("integer", 9),
    "bigint": ("string", 18),
    "double": ("double", 16),
    "currency": ("double", 16),
    "boolean": ("boolean", None),
    "date": ("string", None),
    "datetime": ("string", None),
}
UNIQUE_TYPES = frozenset({"text", "email", "phone", "integer", "bigint", "website"})
STRING_TYPES = frozenset({"text", "textarea", "email", "phone", "website"})
# Letters, digits and underscores, starting with a letter, no double underscore, not ending with one.
_CUSTOM_NAME = re.compile(r"[A-Za-z](?:[A-Za-z0-9]|_(?!_))*(?<!_)")


@dataclass(frozen=True)
class FieldSpec:
    """A field of a module. ``options`` are a picklist's values; ``restricted=False`` lets a picklist take a value
    outside them (stored as an unused value, as Zoho documents for non-restricted picklists)."""

    api_name: str
    data_type: str = "text"
    label: str = ""
    length: int | None = None
    unique: bool = False
    mandatory: bool = False
    options: tuple[str, ...] = ()
    restricted: bool = True
    lookup_module: str | None = None
    read_only: bool = False
    custom: bool = True

    def __post_init__(self) -> None:
        if self.data_type not in DATA_TYPES:
            raise ValueError(f"unknown data_type {self.data_type!r}; known: {sorted(DATA_TYPES)}")
        if self.unique and self.data_type not in UNIQUE_TYPES:
            raise ValueError(f"{self.api_name}: only {sorted(UNIQUE_TYPES)} fields can be unique")
        if (self.data_type == "lookup") != (self.lookup_module is not None):
            raise ValueError(f"{self.api_name}: a lookup field (and only one) names its lookup_module")
        if self.custom and not _CUSTOM_NAME.fullmatch(self.api_name):
            raise ValueError(f"invalid custom field API name {self.api_name!r}")

    @property
    def display_label(self) -> str:
        return self.label or self.api_name.replace("_", " ")

    @property
    def json_type(self) -> str:
        return DATA_TYPES[self.data_type][0]

    @property
    def max_length(self) -> int | None:
        return self.length if self.length is not None else DATA_TYPES[self.data_type][1]

    @property
    def is_lookup(self) -> bool:
        return self.data_type in ("lookup", "ownerlookup")

    def with_option(self, value: str) -> FieldSpec:
        return self if value in self.options else replace(self, options=(*self.options, value))


def system(
    api_name: str,
    data_type: str = "text",
    *,
    length: int | None = None,
    mandatory: bool = False,
    options: tuple[str, ...] = (),
    lookup_module: str | None = None,
    read_only: bool = False,
) -> FieldSpec:
    """A field Zoho defines (``custom_field: false``)."""
    return FieldSpec(
        api_name,
        data_type,
        length=length,
        mandatory=mandatory,
        options=options,
        lookup_module=lookup_module,
        read_only=read_only,
        custom=False,
    )
