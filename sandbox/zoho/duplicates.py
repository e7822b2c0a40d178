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


def same(left: Any, right: Any) -> bool:
    if isinstance(left, str) and isinstance(right, str):
        return left.strip().casefold() == right.strip().casefold()
    return bool(left == right)


def holders(ctx: ApiContext, module: str, api_name: str, value: Any) -> list[StoredRecord]:
    """The records whose ``api_name`` equals ``value``, oldest first."""
    with ctx.db.lock:
        found = [record for record in ctx.db.records[module].values() if same(record.values.get(api_name), value)]
    return sorted(found, key=lambda record: (record.created_at, int(record.id)))


def find_match(
    ctx: ApiContext, module: str, values: dict[str, Any], order: list[str]
) -> tuple[StoredRecord, str] | None:
    """The record an upsert updates and the field it matched on; several matches: the oldest (UNVERIFIED)."""
    for api_name in order:
        value = values.get(api_name)
        if value is None or value == "":
            continue
        found = holders(ctx, module, api_name, value)
        if found:
            return found[0], api_name
    return None
