"""One record of an upsert, checked field by field against the module's fields: each value must suit its data type
(strings within their length, emails that look like emails, JSON booleans, whole numbers, picklist values among the
options unless the picklist is unrestricted, lookups ``{"id": ...}`` naming an existing record, as a JSON string or
number). A failure is INVALID_DATA naming ``details.api_name`` (and ``expected_data_type`` where Zoho gives one)."""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

from sandbox.zoho.context import ApiContext
from sandbox.zoho.errors import invalid_data
from sandbox.zoho.fields import STRING_TYPES, FieldSpec
from sandbox.zoho.values import Json, id_text, is_record_id

_EMAIL = re.compile(r"[^@\s]+@[^@\s]+\.[^@\s]+")
_INTEGER_DIGITS = 9
_BIGINT_DIGITS = 18
# Keys a client may send that are no fields (the record id, Zoho's "$..." properties): ignored.
_IGNORED_KEYS = frozenset({"id"})


@dataclass
class Prepared:
    """The values to store (lookups as target ids), and values new to unrestricted picklists."""

    values: dict[str, Any] = field(default_factory=dict)
    new_options: list[tuple[str, str]] = field(default_factory=list)


def prepare(ctx: ApiContext, module: str, index: int, row: Json) -> Prepared:
    fields = {spec.api_name: spec for spec in ctx.visible_fields(module)}
    hidden = {spec.api_name for spec in ctx.db.fields[module].values()} - set(fields)
    prepared = Prepared()
    for key, value in row.items():
        if key in _IGNORED_KEYS or key.startswith("$"):
            continue
        if key in hidden:  # e.g. Contacts.Vendor_Name where Vendors is not in the edition (UNVERIFIED)
            raise invalid_data(index, key)
        spec = fields.get(key)
        if spec is None:
            if ctx.config.unknown_fields == "invalid_data":
                raise invalid_data(index, key)
            continue
        if spec.read_only:
            continue
        prepared.values[key] = _stored(ctx, spec, index, value, prepared)
    return prepared


def _stored(ctx: ApiContext, spec: FieldSpec, index: int, value: Any, prepared: Prepared) -> Any:
    if value is None:
        return None
    check = _CHECKS["text" if spec.data_type in STRING_TYPES else spec.data_type]
    return check(ctx, spec, index, value, prepared)


def _string(ctx: ApiContext, spec: FieldSpec, index: int, value: Any, prepared: Prepared) -> str:
    del ctx, prepared
    if not isinstance(value, str):
        raise invalid_data(index, spec.api_name, expected_data_type=spec.data_type)
    limit = spec.max_length
    if limit is not None and len(value) > limit:
        raise invalid_data(index, spec.api_name, maximum_length=limit)  # UNVERIFIED detail key
    if spec.data_type == "email" and value and not _EMAIL.fullmatch(value):
        raise invalid_data(index, spec.api_name, expected_data_type="email")
    return value


def _picklist(ctx: ApiContext, spec: FieldSpec, index: int, value: Any, prepared: Prepared) -> str:
    del ctx
    if not isinstance(value, str):
        raise invalid_data(index, spec.api_name, expected_data_type="picklist")
    if value not in spec.options:
        if spec.restricted:
            raise invalid_data(index, spec.api_name)
        prepared.new_options.append((spec.api_name, value))
    return value


def _whole(ctx: ApiContext, spec: FieldSpec, index: int, value: Any, prepared: Prepared) -> int:
    del ctx, prepared
    digits = _INTEGER_DIGITS if spec.data_type == "integer" else _BIGINT_DIGITS
    text = str(value).removeprefix("-") if isinstance(value, int | str) and not isinstance(value, bool) else ""
    if not text.isdigit() or len(text) > digits:
        raise invalid_data(index, spec.api_name, expected_data_type=spec.data_type)
    return int(value)


def _decimal(ctx: ApiContext, spec: FieldSpec, index: int, value: Any, prepared: Prepared) -> float:
    del ctx, prepared
    if isinstance(value, bool) or not isinstance(value, int | float | str):
        raise invalid_data(index, spec.api_name, expected_data_type=spec.data_type)
    try:
        return float(value)
    except ValueError:
        raise invalid_data(index, spec.api_name, expected_data_type=spec.data_type) from None


def _boolean(ctx: ApiContext, spec: FieldSpec, index: int, value: Any, prepared: Prepared) -> bool:
    """JSON booleans only (a "true" string is refused)."""
    del ctx, prepared
    if not isinstance(value, bool):
        raise invalid_data(index, spec.api_name, expected_data_type="boolean")
    return value


def _owner(ctx: ApiContext, spec: FieldSpec, index: int, value: Any, prepared: Prepared) -> str:
    """``{"id": <user id>}``: the org's one user."""
    del prepared
    if not isinstance(value, dict) or id_text(value.get("id")) != ctx.db.user_id:
        raise invalid_data(index, spec.api_name, expected_data_type="ownerlookup")
    return ctx.db.user_id


def _moment(ctx: ApiContext, spec: FieldSpec, index: int, value: Any, prepared: Prepared) -> str:
    del ctx, prepared
    try:
        if not isinstance(value, str):
            raise ValueError(value)
        if spec.data_type == "date":
            date.fromisoformat(value)
        elif datetime.fromisoformat(value).tzinfo is None:
            raise ValueError(value)
    except ValueError:
        raise invalid_data(index, spec.api_name, expected_data_type=spec.data_type) from None
    return value


def _lookup(ctx: ApiContext, spec: FieldSpec, index: int, value: Any, prepared: Prepared) -> str:
    """``{"id": "..."}`` or ``{"id": 4150868000000376008}``: the target must exist in the lookup's module."""
    del prepared
    target = value.get("id") if isinstance(value, dict) else None
    if not is_record_id(target):
        raise invalid_data(index, spec.api_name, expected_data_type="jsonobject")
    record_id = id_text(target)
    assert spec.lookup_module is not None
    with ctx.db.lock:
        exists = record_id in ctx.db.records[spec.lookup_module]
    if not exists:
        raise invalid_data(index, spec.api_name, expected_data_type="lookup")
    return record_id


_CHECKS: dict[str, Callable[[ApiContext, FieldSpec, int, Any, Prepared], Any]] = {
    "text": _string,
    "picklist": _picklist,
    "integer": _whole,
    "bigint": _whole,
    "double": _decimal,
    "currency": _decimal,
    "boolean": _boolean,
    "date": _moment,
    "datetime": _moment,
    "ownerlookup": _owner,
    "lookup": _lookup,
}


def add_new_options(ctx: ApiContext, module: str, prepared: Prepared) -> None:
    """Add the values a record wrote to unrestricted picklists (stored as unused values)."""
    with ctx.db.lock:
        for api_name, value in prepared.new_options:
            spec = ctx.db.fields[module][api_name]
            ctx.db.replace_field(module, spec.with_option(value))
            ctx.db.unused_values.setdefault((module, api_name), set()).add(value)
