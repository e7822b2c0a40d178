"""Upsert's duplicate check (Kaizen #56, verified): the fields it matches on, in order, and the record it finds.

Without ``duplicate_check_fields``: the module's system duplicate-check field, then every user-defined unique field.
With it: the listed fields in that order, then the remaining user-defined unique fields; the system field is used
only when listed. Only the system field and unique fields may be listed. Text compares case-insensitively
(unique fields say ``casesensitive: "false"``).
"""

from __future__ import annotations

from typing import Any

from sandbox.zoho.context import ApiContext
from sandbox.zoho.errors import INVALID_DATA, ApiError
from sandbox.zoho.schema import MODULES
from sandbox.zoho.store import StoredRecord


def unique_fields(ctx: ApiContext, module: str) -> list[str]:
    return [spec.api_name for spec in ctx.visible_fields(module) if spec.unique]


def check_order(ctx: ApiContext, module: str, listed: Any) -> list[str]:
    system_field = MODULES[module].duplicate_field
    unique = unique_fields(ctx, module)
    if listed is None:
        return [system_field, *unique]
    if not isinstance(listed, list) or not all(isinstance(name, str) for name in listed):
        raise ApiError(400, "INVALID_DATA", INVALID_DATA, {"api_name": "duplicate_check_fields"})
    allowed = {system_field, *unique}
    for position, name in enumerate(listed):
        if name not in allowed:  # UNVERIFIED code and details for a field that cannot be a duplicate check
            details = {"api_name": name, "json_path": f"$.duplicate_check_fields[{position}]"}
            raise ApiError(400, "INVALID_DATA", INVALID_DATA, details)
    ordered = list(dict.fromkeys(listed))
    return ordered + [name for name in unique if name not in ordered]


def _key(value: Any) -> Any:
    return value.strip().casefold() if isinstance(value, str) else value


class ValueIndex:
    """A module's records by the value of each duplicate-check and unique field, built once per upsert call (so a
    call costs one pass over the module, not one per record and field) and kept current as the call writes."""

    def __init__(self, ctx: ApiContext, module: str, names: list[str]) -> None:
        self._by: dict[str, dict[Any, list[StoredRecord]]] = {name: {} for name in names}
        with ctx.db.lock:
            for record in ctx.db.records[module].values():
                self.add(record)

    def add(self, record: StoredRecord) -> None:
        for name, table in self._by.items():
            value = record.values.get(name)
            if value is not None and value != "":
                table.setdefault(_key(value), []).append(record)

    def remove(self, record: StoredRecord) -> None:
        for name, table in self._by.items():
            value = record.values.get(name)
            if value is not None and value != "":
                holders = table.get(_key(value), [])
                holders[:] = [other for other in holders if other is not record]

    def holders(self, name: str, value: Any) -> list[StoredRecord]:
        """The records whose field ``name`` equals ``value``, oldest first."""
        found = self._by[name].get(_key(value), [])
        return sorted(found, key=lambda record: (record.created_at, int(record.id)))


def find_match(values: dict[str, Any], order: list[str], index: ValueIndex) -> tuple[StoredRecord, str] | None:
    """The record an upsert updates and the field it matched on; several matches: the oldest (UNVERIFIED)."""
    for api_name in order:
        value = values.get(api_name)
        if value is None or value == "":
            continue
        found = index.holders(api_name, value)
        if found:
            return found[0], api_name
    return None
