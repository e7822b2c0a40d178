"""Organizations (reference §4, verified §3.1): unique trimmed names, unique case-insensitive external ids (numbers
kept as strings), custom field values under ``organization_fields`` keyed by the field's key; create, show, update,
delete, show_many by ids or external ids, search by external_id or name, create_or_update (matches on id or
external_id only: 201 created, 200 updated) and the bulk jobs create_many and update_many."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sandbox.zendesk import jobs
from sandbox.zendesk.context import ApiContext, Call, Reply
from sandbox.zendesk.errors import ApiError, bad_request, field_error, not_found, record_invalid, too_many_values
from sandbox.zendesk.org_fields import field_values
from sandbox.zendesk.pages import list_page
from sandbox.zendesk.values import Json, comma_list, external_key, external_text, int_ids, name_key, stamp

WRITABLE = (
    "name",
    "external_id",
    "domain_names",
    "details",
    "notes",
    "group_id",
    "shared_tickets",
    "shared_comments",
    "tags",
    "organization_fields",
)
_DEFAULTS: Json = {
    "external_id": None,
    "domain_names": [],
    "details": None,
    "notes": None,
    "group_id": None,
    "shared_tickets": False,
    "shared_comments": False,
    "tags": [],
    "organization_fields": {},
}


def org_json(ctx: ApiContext, org: Json) -> Json:
    """The REST shape: every defined custom field's key is present (null when unset)."""
    defined = dict.fromkeys(ctx.db.org_fields)
    return {
        **org,
        "url": ctx.api_url(f"organizations/{org['id']}.json"),
        "organization_fields": {**defined, **org["organization_fields"]},
    }


def _checked(ctx: ApiContext, values: Json, existing: Json | None) -> Json:
    """The org after applying ``values``; RecordInvalid (422) for a blank or taken name or a taken external id."""
    if not isinstance(values, dict):
        raise bad_request("organization must be a JSON object", "InvalidJson")
    merged: Json = dict(existing) if existing is not None else dict(_DEFAULTS)
    for key in WRITABLE:
        if key in values:
            merged[key] = values[key]
    name = merged.get("name")
    if not isinstance(name, str) or not name.strip():
        raise record_invalid(field_error("name", "BlankValue", "cannot be blank"))
    merged["name"] = name.strip()
    own_id = existing["id"] if existing is not None else None
    same_name = ctx.db.org_by_name(merged["name"])
    if same_name is not None and same_name["id"] != own_id:
        raise record_invalid(field_error("name", "DuplicateValue", f"{merged['name']} has already been taken"))
    merged["external_id"] = external_text(merged.get("external_id"))
    if external_key(merged["external_id"]) == "":
        merged["external_id"] = None
    same_external = ctx.db.org_by_external(merged["external_id"])
    if same_external is not None and same_external["id"] != own_id:
        raise record_invalid(
            field_error("external_id", "DuplicateValue", f"{merged['external_id']} has already been taken")
        )
    if "organization_fields" in values:
        previous = existing["organization_fields"] if existing is not None else {}
        merged["organization_fields"] = field_values(ctx, previous, values["organization_fields"])
    return merged


def create_org(ctx: ApiContext, values: Json, moment: datetime | None = None) -> Json:
    """Validate and store a new org (caller holds the lock)."""
    org = _checked(ctx, values, None)
    when = stamp(moment or ctx.moment)
    org.update(id=ctx.db.next_id(), created_at=when, updated_at=when)
    ctx.db.put_org(org)
    return org


def update_org(ctx: ApiContext, existing: Json, values: Json, moment: datetime | None = None) -> Json:
    org = _checked(ctx, values, existing)
    org["updated_at"] = stamp(moment or ctx.moment)
    ctx.db.put_org(org)
    return org


def _by_id(ctx: ApiContext, record_id: object) -> Json:
    org = ctx.db.organizations.get(int(str(record_id))) if str(record_id).isdigit() else None
    if org is None:
        raise not_found()
    return org


def _body_org(call: Call) -> Json:
    values = call.member("organization")
    if not isinstance(values, dict):
        raise bad_request("organization must be a JSON object", "InvalidJson")
    return values


# ---------------------------------------------------------------------- single records
def create(ctx: ApiContext, call: Call) -> Reply:
    with ctx.db.lock:
        return Reply({"organization": org_json(ctx, create_org(ctx, _body_org(call)))}, 201)


def show(ctx: ApiContext, call: Call) -> Reply:
    with ctx.db.lock:
        return Reply({"organization": org_json(ctx, _by_id(ctx, call.record_id))})


def update(ctx: ApiContext, call: Call) -> Reply:
    with ctx.db.lock:
        org = update_org(ctx, _by_id(ctx, call.record_id), _body_org(call))
        return Reply({"organization": org_json(ctx, org)})


def delete(ctx: ApiContext, call: Call) -> Reply:
    with ctx.db.lock:
        ctx.db.drop_org(_by_id(ctx, call.record_id)["id"])
        return Reply(None, 204)


def create_or_update(ctx: ApiContext, call: Call) -> Reply:
    """Matches on id or external_id, never on name (verified): without either, an existing name is a 422."""
    values = _body_org(call)
    with ctx.db.lock:
        found = None
        if values.get("id") is not None:
            found = ctx.db.organizations.get(int(values["id"])) if str(values["id"]).isdigit() else None
        if found is None and values.get("external_id") is not None:
            found = ctx.db.org_by_external(values["external_id"])
        if found is not None:
            return Reply({"organization": org_json(ctx, update_org(ctx, found, values))}, 200)
        return Reply({"organization": org_json(ctx, create_org(ctx, values))}, 201)


# ---------------------------------------------------------------------- reads of many
def _id_lists(ctx: ApiContext, call: Call) -> tuple[list[str], list[str]]:
    ids, externals = comma_list(call.query.get("ids", "")), comma_list(call.query.get("external_ids", ""))
    if len(ids) > ctx.config.max_bulk:
        raise too_many_values("ids", ctx.config.max_bulk)
    if len(externals) > ctx.config.max_bulk:
        raise too_many_values("external_ids", ctx.config.max_bulk)
    return ids, externals


def show_many(ctx: ApiContext, call: Call) -> Reply:
    """``?ids=`` or ``?external_ids=`` (at most 100); orgs not found are simply absent."""
    ids, externals = _id_lists(ctx, call)
    if not ids and not externals:
        raise bad_request("ids or external_ids is required", "InvalidParameter")
    with ctx.db.lock:
        found = [ctx.db.organizations.get(org_id) for org_id in int_ids(ids)]
        found += [ctx.db.org_by_external(value) for value in externals]
        unique = {org["id"]: org for org in found if org is not None}  # an org named twice is answered once
        orgs = list(unique.values())
        return Reply(
            {
                "organizations": [org_json(ctx, org) for org in orgs],
                "next_page": None,
                "previous_page": None,
                "count": len(orgs),
            }
        )


def search(ctx: ApiContext, call: Call) -> Reply:
    """Exact, case-insensitive ``?external_id=`` or ``?name=``; one of the two, not both (verified)."""
    external, name = call.query.get("external_id"), call.query.get("name")
    if (external is None) == (name is None):
        raise bad_request("Exactly one of external_id or name is required", "InvalidParameter")
    with ctx.db.lock:
        if external is not None:
            found = ctx.db.org_by_external(external)
        else:
            wanted = name_key(str(name), True)
            found = next((org for org in ctx.db.organizations.values() if name_key(org["name"], True) == wanted), None)
        orgs = [org_json(ctx, found)] if found is not None else []
        return Reply({"organizations": orgs, "count": len(orgs), "next_page": None, "previous_page": None})


def listing(ctx: ApiContext, call: Call) -> Reply:
    with ctx.db.lock:
        orgs = [org_json(ctx, org) for _, org in sorted(ctx.db.organizations.items())]
    return Reply(list_page(ctx, call, "organizations", orgs))


# ---------------------------------------------------------------------- bulk jobs
def _items(ctx: ApiContext, call: Call, key: str) -> list[Any]:
    items = call.member(key)
    if not isinstance(items, list):
        raise bad_request(f"{key} must be a list", "InvalidJson")
    if len(items) > ctx.config.max_bulk:
        raise too_many_values(key, ctx.config.max_bulk)
    return items


def create_many(ctx: ApiContext, call: Call) -> Reply:
    """At most 100 -> 200 job_status; each row ``{id, index}`` or a failure with error and details."""
    items = _items(ctx, call, "organizations")

    def work(moment: datetime) -> list[Json]:
        results: list[Json] = []
        for index, values in enumerate(items):
            try:
                results.append({"id": create_org(ctx, values, moment)["id"], "index": index})
            except ApiError as error:
                results.append(_failure(ctx.config.create_failed_error, error, index=index))
        return results

    return Reply({"job_status": jobs.start(ctx, "bulk_create_organizations", len(items), work)})


def update_many(ctx: ApiContext, call: Call) -> Reply:
    """Bulk form: ``?ids=`` / ``?external_ids=`` and one ``organization`` applied to each; batch form:
    ``organizations: [{id, ...}]`` (by external_id only when ``batch_update_by_external_id``, UNVERIFIED)."""
    ids, externals = _id_lists(ctx, call)
    if ids or externals:
        change = _body_org(call)
        targets: list[tuple[object, str, Json]] = [(value, "id", change) for value in ids]
        targets += [(value, "external_id", change) for value in externals]
    else:
        targets = []
        for item in _items(ctx, call, "organizations"):
            values: Json = item if isinstance(item, dict) else {}
            if values.get("id") is None and ctx.config.batch_update_by_external_id and values.get("external_id"):
                targets.append((values["external_id"], "external_id", values))
            else:
                targets.append((values.get("id"), "id", values))

    def work(moment: datetime) -> list[Json]:
        results: list[Json] = []
        for index, (key, kind, values) in enumerate(targets):
            org = (
                ctx.db.org_by_external(key)
                if kind == "external_id"
                else (ctx.db.organizations.get(int(str(key))) if str(key).isdigit() else None)
            )
            if org is None:
                results.append(
                    {
                        "index": index,
                        "id": key,
                        "action": "update",
                        "success": False,
                        "status": "Failed",
                        "error": ctx.config.not_found_error,
                        "details": "Organization not found",
                    }
                )
                continue
            changes = {name: value for name, value in values.items() if name not in ("id",)}
            if kind == "external_id":
                changes.pop("external_id", None)
            try:
                update_org(ctx, org, changes, moment)
            except ApiError as error:
                results.append(
                    {
                        **_failure(ctx.config.update_failed_error, error, index=index),
                        "id": org["id"],
                        "action": "update",
                        "success": False,
                    }
                )
                continue
            results.append({"id": org["id"], "action": "update", "success": True, "status": "Updated"})
        return results

    return Reply({"job_status": jobs.start(ctx, "bulk_update_organizations", len(targets), work)})


def _failure(error_word: str, error: ApiError, *, index: int) -> Json:
    """A failed row: the error word and the validation text as ``details`` (reference §4.2 example)."""
    details = error.payload.get("details")
    texts = [item["description"] for items in (details or {}).values() for item in items] if details else []
    return {
        "index": index,
        "error": error_word,
        "details": "; ".join(texts) or error.payload.get("description", ""),
        "status": "Failed",
    }
