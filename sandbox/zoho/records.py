"""Records as the API shows them (lookups as ``{"name", "id"}``, users as ``{"name", "id", "email"}``, ISO
timestamps, ``Full_Name`` computed) and as the admin accessors show them (lookups resolved to plain ids)."""

from __future__ import annotations

from collections.abc import Collection
from typing import Any

from sandbox.zoho.context import ApiContext
from sandbox.zoho.fields import FieldSpec
from sandbox.zoho.schema import CONTACTS, MODULES
from sandbox.zoho.store import StoredRecord
from sandbox.zoho.values import Json, stamp

_USER_FIELDS = {"Owner", "Created_By", "Modified_By"}


def record_name(module: str, record: StoredRecord) -> str:
    """What a lookup to this record shows as ``name``."""
    if module == CONTACTS:
        parts = (record.values.get("First_Name"), record.values.get("Last_Name"))
        return " ".join(str(part) for part in parts if part)
    return str(record.values.get(MODULES[module].name_field) or "")


def raw_value(record: StoredRecord, module: str, spec: FieldSpec) -> Any:
    """The stored value, with the audit fields and computed ones filled in; lookups stay ids."""
    match spec.api_name:
        case "Created_Time":
            return stamp(record.created_at)
        case "Modified_Time":
            return stamp(record.modified_at)
        case "Created_By":
            return record.created_by
        case "Modified_By":
            return record.modified_by
        case "Full_Name" if module == CONTACTS:
            return record_name(module, record) or None
    return record.values.get(spec.api_name)


def view(ctx: ApiContext, module: str, record: StoredRecord, fields: Collection[str] | None = None) -> Json:
    """One record as GET and search answer it; ``fields`` limits the keys (``id`` is always there)."""
    data: Json = {}
    for spec in ctx.visible_fields(module):
        if fields is not None and spec.api_name not in fields:
            continue
        data[spec.api_name] = _field_view(ctx, module, record, spec)
    data["id"] = ctx.out_id(record.id)
    return data


def _field_view(ctx: ApiContext, module: str, record: StoredRecord, spec: FieldSpec) -> Any:
    value = raw_value(record, module, spec)
    if value is None:
        return None
    if spec.api_name in _USER_FIELDS or spec.data_type == "ownerlookup":
        return ctx.user()
    if spec.data_type == "lookup":
        assert spec.lookup_module is not None
        target = ctx.db.records[spec.lookup_module].get(str(value))
        if target is None:
            return None
        return {"name": record_name(spec.lookup_module, target), "id": ctx.out_id(target.id)}
    return value


def flat(ctx: ApiContext, module: str, record: StoredRecord) -> Json:
    """One record for tests and the admin endpoints: every field, lookups and users as plain id strings."""
    data: Json = {"id": record.id}
    for spec in ctx.db.fields[module].values():
        data[spec.api_name] = raw_value(record, module, spec)
    return data
