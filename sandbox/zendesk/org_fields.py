"""Organization custom fields (reference §4.1): ``GET /organization_fields`` lists them; an org carries their values
in ``organization_fields`` keyed by each field's ``key`` (dropdowns by option value, dates ``YYYY-MM-DD``)."""

from __future__ import annotations

import re
from typing import Any

from sandbox.zendesk.context import ApiContext, Call, Reply
from sandbox.zendesk.errors import bad_request, field_error, record_invalid
from sandbox.zendesk.store import OrgField
from sandbox.zendesk.values import Json, stamp

TYPES = frozenset({"text", "textarea", "checkbox", "date", "integer", "decimal", "regexp", "dropdown", "lookup"})
_KEY = re.compile(r"[a-z0-9_]+")
_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")


def field_json(ctx: ApiContext, spec: OrgField) -> Json:
    data: Json = {
        "id": spec.id,
        "url": ctx.api_url(f"organization_fields/{spec.id}.json"),
        "key": spec.key,
        "type": spec.type,
        "title": spec.title,
        "raw_title": spec.title,
        "description": "",
        "position": list(ctx.db.org_fields).index(spec.key),
        "active": spec.active,
        "regexp_for_validation": None,
        "created_at": stamp(spec.created_at),
        "updated_at": stamp(spec.created_at),
    }
    if spec.type == "dropdown":
        data["custom_field_options"] = [
            {"id": ctx.db.next_id(), "name": option, "raw_name": option, "value": option} for option in spec.options
        ]
    return data


def add_field(ctx: ApiContext, key: str, field_type: str, title: str, options: tuple[str, ...] = ()) -> OrgField:
    """Define a field (caller holds the lock); ValueError for a bad key or type or a taken key."""
    if not _KEY.fullmatch(key):
        raise ValueError(f"field key {key!r} must be lower-case letters, digits and underscores")
    if field_type not in TYPES:
        raise ValueError(f"field type must be one of {sorted(TYPES)}")
    if key in ctx.db.org_fields:
        raise ValueError(f"an organization field {key!r} exists already")
    spec = OrgField(ctx.db.next_id(), key, field_type, title, ctx.moment, tuple(options))
    ctx.db.org_fields[key] = spec
    return spec


def _valid(spec: OrgField, value: Any) -> bool:
    if value is None:
        return True
    checks = {
        "checkbox": lambda: isinstance(value, bool),
        "integer": lambda: isinstance(value, int) and not isinstance(value, bool),
        "decimal": lambda: isinstance(value, int | float) and not isinstance(value, bool),
        "date": lambda: isinstance(value, str) and _DATE.fullmatch(value) is not None,
        "dropdown": lambda: value in spec.options,
    }
    check = checks.get(spec.type)
    return check() if check is not None else isinstance(value, str | int)


def field_values(ctx: ApiContext, previous: Json, given: Any) -> Json:
    """Merge written values into the org's; unknown keys ignored or refused (``unknown_org_fields``, UNVERIFIED)."""
    if not isinstance(given, dict):
        raise record_invalid(field_error("organization_fields", "InvalidValue", "must be an object"))
    merged = dict(previous)
    for key, value in given.items():
        spec = ctx.db.org_fields.get(key)
        if spec is None:
            if ctx.config.unknown_org_fields == "invalid":
                raise record_invalid(field_error(key, "InvalidValue", "is not an organization field"))
            continue
        if not _valid(spec, value):
            raise record_invalid(field_error(key, "InvalidValue", f"{value!r} is not a valid {spec.type} value"))
        merged[key] = value
    return merged


def listing(ctx: ApiContext, call: Call) -> Reply:
    del call
    with ctx.db.lock:
        specs = [field_json(ctx, spec) for spec in ctx.db.org_fields.values()]
    return Reply({"organization_fields": specs, "next_page": None, "previous_page": None, "count": len(specs)})


def create(ctx: ApiContext, call: Call) -> Reply:
    values = call.member("organization_field")
    if not isinstance(values, dict):
        raise bad_request("organization_field must be a JSON object", "InvalidJson")
    options = tuple(
        str(item.get("value")) for item in values.get("custom_field_options") or [] if isinstance(item, dict)
    )
    with ctx.db.lock:
        try:
            spec = add_field(
                ctx, str(values.get("key", "")), str(values.get("type", "")), str(values.get("title", "")), options
            )
        except ValueError as exc:
            raise record_invalid(field_error("key", "InvalidValue", str(exc))) from exc
        return Reply({"organization_field": field_json(ctx, spec)}, 201)
