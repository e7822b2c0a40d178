"""Describe results as one shape for companies and leads: field name -> type, length, updateable.

Two layouts exist: object-style (companies, custom objects, leads/describe2) with `fields[]`,
`dedupeFields` and `searchableFields` in `result[0]`; and field-per-entry (leads/describe.json) where
each entry has `dataType`, `length` and `rest: {name, readOnly}` (fields without a REST name are SOAP-only
and left out).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from mlconnector.systems.marketo.errors import ParseError


@dataclass(frozen=True)
class FieldInfo:
    name: str
    data_type: str
    length: int | None
    updateable: bool


@dataclass(frozen=True)
class Describe:
    name: str
    fields: Mapping[str, FieldInfo] = field(repr=False)
    dedupe_fields: tuple[str, ...] = ()
    searchable_fields: tuple[tuple[str, ...], ...] = ()
    id_field: str | None = None

    def updateable(self) -> frozenset[str]:
        return frozenset(name for name, info in self.fields.items() if info.updateable)


def _length(value: object) -> int | None:
    return value if isinstance(value, int) and not isinstance(value, bool) else None


def _names(value: object) -> tuple[str, ...]:
    return tuple(str(v) for v in value) if isinstance(value, list) else ()


def _object_style(entry: Mapping[str, Any], default_name: str) -> Describe:
    fields: dict[str, FieldInfo] = {}
    for raw in entry.get("fields") or ():
        if isinstance(raw, dict) and isinstance(raw.get("name"), str):
            fields[raw["name"]] = FieldInfo(
                raw["name"], str(raw.get("dataType", "")), _length(raw.get("length")), bool(raw.get("updateable"))
            )
    searchable = entry.get("searchableFields")
    return Describe(
        name=str(entry.get("name") or default_name),
        fields=fields,
        dedupe_fields=_names(entry.get("dedupeFields")),
        searchable_fields=tuple(_names(s) for s in searchable) if isinstance(searchable, list) else (),
        id_field=str(entry["idField"]) if entry.get("idField") else None,
    )


def _field_per_entry(entries: Sequence[Mapping[str, Any]], default_name: str, dedupe: tuple[str, ...]) -> Describe:
    fields: dict[str, FieldInfo] = {}
    for raw in entries:
        rest = raw.get("rest")
        if not isinstance(rest, dict) or not isinstance(rest.get("name"), str):
            continue
        name = rest["name"]
        fields[name] = FieldInfo(
            name, str(raw.get("dataType", "")), _length(raw.get("length")), not bool(rest.get("readOnly"))
        )
    return Describe(name=default_name, fields=fields, dedupe_fields=dedupe)


def parse_describe(
    result: Sequence[Mapping[str, Any]], *, default_name: str, default_dedupe: tuple[str, ...] = ()
) -> Describe:
    """`default_dedupe` applies when the layout names no dedupe fields (leads: the default lookup field)."""
    if not result:
        raise ParseError(f"Marketo describe {default_name} returned no result")
    if len(result) == 1 and "fields" in result[0]:
        described = _object_style(result[0], default_name)
        if not described.dedupe_fields and default_dedupe:
            return Describe(
                described.name, described.fields, default_dedupe, described.searchable_fields, described.id_field
            )
        return described
    return _field_per_entry(result, default_name, default_dedupe)
