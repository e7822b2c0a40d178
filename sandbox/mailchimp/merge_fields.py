"""Audience merge fields: the defaults of a new audience, CRUD, and the check of a member's values.

A member write is refused with 400 "Your merge fields were invalid." and one ``errors[]`` entry per bad field
(captured messages: "Please enter a value", "Please enter a number", "Please enter a complete address").
Required fields are only enforced when a member is created or a required value is sent empty, and never with
``skip_merge_validation``. Unknown tags are ignored (UNVERIFIED).
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any

from sandbox.mailchimp.config import MERGE_TYPES, MergeFieldSpec
from sandbox.mailchimp.context import ApiContext, Call, Reply
from sandbox.mailchimp.errors import (
    FieldError,
    invalid_resource,
    json_type,
    merge_fields_invalid,
    not_found,
    required_fields,
    schema_error,
    wrong_type,
)
from sandbox.mailchimp.lookup import audience_of
from sandbox.mailchimp.params import body_object, collection
from sandbox.mailchimp.store import Audience
from sandbox.mailchimp.values import Json

_OPTIONS: dict[str, Json] = {
    "text": {"size": 25},
    "address": {"default_country": 164},
    "phone": {"phone_format": "none"},
    "number": {},
}
_ADDRESS_PARTS = ("addr1", "city", "state", "zip")
_EDITABLE = ("name", "required", "default_value", "public", "display_order", "options", "help_text", "tag")
MAX_TAG = 10  # UNVERIFIED: tags are short upper-case words (reference §7.1)
DEFAULT_FIELDS = (
    MergeFieldSpec("FNAME", "First Name"),
    MergeFieldSpec("LNAME", "Last Name"),
    MergeFieldSpec("ADDRESS", "Address", "address"),
    MergeFieldSpec("PHONE", "Phone Number", "phone"),
)


def add_field(audience: Audience, spec: MergeFieldSpec) -> Json:
    """Add a merge field from a spec (seed and admin); ValueError when the tag is taken."""
    if audience.merge_field_by_tag(spec.tag) is not None:
        raise ValueError(f"merge field {spec.tag} already exists")
    options: Json = dict(_OPTIONS.get(spec.type, {}))
    if spec.choices:
        options["choices"] = list(spec.choices)
    return _insert(
        audience, {"tag": spec.tag, "name": spec.name, "type": spec.type, "required": spec.required, "options": options}
    )


def _insert(audience: Audience, values: Json) -> Json:
    merge_id = audience.next_merge_id
    audience.next_merge_id += 1
    record: Json = {
        "merge_id": merge_id,
        "tag": values["tag"],
        "name": values["name"],
        "type": values["type"],
        "required": bool(values.get("required", False)),
        "default_value": str(values.get("default_value", "")),
        "public": bool(values.get("public", True)),
        "display_order": int(values.get("display_order", merge_id + 1)),
        "options": dict(values.get("options") or {}),
        "help_text": str(values.get("help_text", "")),
        "list_id": audience.id,
    }
    audience.merge_fields[merge_id] = record
    return record


def view(ctx: ApiContext, record: Json) -> Json:
    href = f"{ctx.api_url}/lists/{record['list_id']}/merge-fields/{record['merge_id']}"
    return {**record, "_links": [{"rel": "self", "href": href, "method": "GET"}]}


def ordered(audience: Audience) -> list[Json]:
    return sorted(audience.merge_fields.values(), key=lambda item: (item["display_order"], item["merge_id"]))


def _field_of(audience: Audience, call: Call) -> Json:
    try:
        record = audience.merge_fields.get(int(call.params["merge_id"]))
    except ValueError:
        record = None
    if record is None:
        raise not_found()
    return record


def _tag_for(audience: Audience, name: str, wanted: object) -> str:
    if wanted is not None:
        tag = str(wanted).strip().upper()
        if not re.fullmatch(rf"[A-Z0-9_]{{1,{MAX_TAG}}}", tag):
            raise schema_error([FieldError("tag", f"Tags must be 1 to {MAX_TAG} letters, digits or underscores")])
        if audience.merge_field_by_tag(tag) is not None:
            raise invalid_resource(f'A Merge Field with the tag "{tag}" already exists for this list.')  # UNVERIFIED
        return tag
    base = re.sub(r"[^A-Z0-9]", "", name.upper())[:MAX_TAG] or "MMERGE"
    tag, number = base, audience.next_merge_id
    while audience.merge_field_by_tag(tag) is not None:
        tag = f"MMERGE{number}"
        number += 1
    return tag


# ---------------------------------------------------------------------------------------------- operations
def list_fields(ctx: ApiContext, call: Call) -> Reply:
    with ctx.db.lock:
        audience = audience_of(ctx, call)
        items = [view(ctx, item) for item in ordered(audience)]
    if "type" in call.query:
        items = [item for item in items if item["type"] == call.query["type"]]
    if "required" in call.query:
        wanted = call.query["required"].lower() in ("true", "1")
        items = [item for item in items if item["required"] is wanted]
    return Reply(collection("merge_fields", items, call.query, ctx.config, list_id=audience.id))


def get_field(ctx: ApiContext, call: Call) -> Reply:
    with ctx.db.lock:
        return Reply(view(ctx, _field_of(audience_of(ctx, call), call)))


def create_field(ctx: ApiContext, call: Call) -> Reply:
    body = body_object(call.body)
    missing = [name for name in ("name", "type") if not body.get(name)]
    if missing:
        raise required_fields(missing)
    if body["type"] not in MERGE_TYPES:
        raise schema_error([FieldError("type", f"Schema describes enum, {body['type']!r} found instead")])
    with ctx.db.lock:
        audience = audience_of(ctx, call)
        tag = _tag_for(audience, str(body["name"]), body.get("tag"))
        options = body.get("options") or dict(_OPTIONS.get(str(body["type"]), {}))
        record = _insert(audience, {**body, "tag": tag, "options": options})
        return Reply(view(ctx, record))


def patch_field(ctx: ApiContext, call: Call) -> Reply:
    body = body_object(call.body)
    with ctx.db.lock:
        audience = audience_of(ctx, call)
        record = _field_of(audience, call)
        changes = {key: body[key] for key in _EDITABLE if key in body}
        if "tag" in changes and str(changes["tag"]).upper() != record["tag"]:
            changes["tag"] = _tag_for(audience, record["name"], changes["tag"])
        record.update(changes)
        return Reply(view(ctx, record))


def delete_field(ctx: ApiContext, call: Call) -> Reply:
    with ctx.db.lock:
        audience = audience_of(ctx, call)
        del audience.merge_fields[_field_of(audience, call)["merge_id"]]
    return Reply(None, 204)


# ---------------------------------------------------------------------------------------------- member values
def member_values(
    audience: Audience, given: object, *, creating: bool, skip_validation: bool, stored: Mapping[str, Any] | None = None
) -> Json:
    """The merge values to store (``stored`` updated with ``given``); ApiError when Mailchimp would refuse them."""
    if given is None:
        given = {}
    if not isinstance(given, dict):
        raise schema_error([wrong_type("merge_fields", "object", json_type(given))])
    result: Json = dict(stored or {})
    errors: list[FieldError] = []
    for record in ordered(audience):
        tag = record["tag"]
        if tag in given:
            value = given[tag]
            problem = None if _empty(value) else _problem(record, value)
            if problem is None and _empty(value) and record["required"] and not skip_validation:
                problem = "Please enter a value"
            if problem is not None:
                errors.append(FieldError(tag, problem))
            else:
                result[tag] = _stored(record, value)
        elif creating and record["required"] and not skip_validation and _empty(result.get(tag)):
            errors.append(FieldError(tag, "Please enter a value"))
    if errors:
        raise merge_fields_invalid(errors)
    return result


def member_view(audience: Audience, stored: Mapping[str, Any]) -> Json:
    """Every merge field of the audience, "" when the member has no value (as the live API shows them)."""
    return {record["tag"]: stored.get(record["tag"], "") for record in ordered(audience)}


def _empty(value: object) -> bool:
    if isinstance(value, dict):
        return not any(str(part).strip() for part in value.values() if part is not None)
    return value is None or (isinstance(value, str) and not value.strip())


def _stored(record: Json, value: object) -> object:
    if _empty(value):
        return ""
    if record["type"] == "address" and isinstance(value, dict):
        return {key: str(part) for key, part in value.items() if part is not None}
    return value if isinstance(value, int | float) and record["type"] == "number" else str(value)


def _problem(record: Json, value: object) -> str | None:
    kind = record["type"]
    if kind == "address":
        return _address_problem(value)
    if kind == "number":
        return None if _numeric(value) else "Please enter a number"
    if kind in ("dropdown", "radio"):
        choices = [str(choice) for choice in record["options"].get("choices", [])]
        return None if str(value) in choices else f"Value must be one of: {', '.join(choices)} (not {value})"
    return "Please enter a value" if isinstance(value, dict | list | bool) else None


def _numeric(value: object) -> bool:
    if isinstance(value, bool) or not isinstance(value, int | float | str):
        return False
    try:
        float(value)
    except ValueError:
        return False
    return True


def _address_problem(value: object) -> str | None:
    if isinstance(value, dict):
        complete = all(str(value.get(part) or "").strip() for part in _ADDRESS_PARTS)
        return None if complete else "Please enter a complete address"
    if isinstance(value, str) and len([part for part in value.split("  ") if part.strip()]) >= 4:
        return None  # the double-space separated form
    return "Please enter a complete address"
