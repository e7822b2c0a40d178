"""Users (reference §6): show, show_many by ids or external ids, search by external_id or email, create_or_update
(matched on email or external_id: 201 created, 200 updated) and the create_or_update_many job (at most 100; rows
``{id, index, status: Created|Updated, email, external_id}`` or Failed with error and details)."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sandbox.zendesk import jobs
from sandbox.zendesk.context import ApiContext, Call, Reply
from sandbox.zendesk.errors import ApiError, bad_request, field_error, not_found, record_invalid, too_many_values
from sandbox.zendesk.values import Json, comma_list, external_text, int_ids, stamp

WRITABLE = (
    "name",
    "email",
    "external_id",
    "organization_id",
    "role",
    "phone",
    "tags",
    "details",
    "notes",
    "user_fields",
    "verified",
)
ROLES = ("end-user", "agent", "admin")
_DEFAULTS: Json = {
    "email": None,
    "external_id": None,
    "organization_id": None,
    "role": "end-user",
    "phone": None,
    "tags": [],
    "details": "",
    "notes": "",
    "user_fields": {},
    "verified": False,
    "active": True,
}


def user_json(ctx: ApiContext, user: Json) -> Json:
    return {**user, "url": ctx.api_url(f"users/{user['id']}.json")}


def match(ctx: ApiContext, values: Json) -> Json | None:
    """The user a create_or_update names: by email, else by external_id."""
    return ctx.db.user_by_email(values.get("email")) or ctx.db.user_by_external(values.get("external_id"))


def save(ctx: ApiContext, values: Json, existing: Json | None, moment: datetime | None = None) -> Json:
    """Validate and store (caller holds the lock); RecordInvalid for a missing name, a bad or taken email, an unknown
    organization or role."""
    if not isinstance(values, dict):
        raise bad_request("user must be a JSON object", "InvalidJson")
    user: Json = dict(existing) if existing is not None else dict(_DEFAULTS)
    user.update({key: values[key] for key in WRITABLE if key in values})
    own_id = existing["id"] if existing is not None else None
    if not isinstance(user.get("name"), str) or not user["name"].strip():
        raise record_invalid(field_error("name", "BlankValue", "cannot be blank"))
    email = user.get("email")
    if email is not None:
        if not isinstance(email, str) or "@" not in email:
            raise record_invalid(field_error("email", "InvalidValue", f"{email} is not properly formatted"))
        user["email"] = email = email.strip().lower()  # identities are kept in lower case
        other = ctx.db.user_by_email(email)
        if other is not None and other["id"] != own_id:
            raise record_invalid(
                field_error("email", "DuplicateValue", f"{email} is already being used by another user")
            )
    user["external_id"] = external_text(user.get("external_id"))
    other = ctx.db.user_by_external(user["external_id"])
    if other is not None and other["id"] != own_id:
        raise record_invalid(field_error("external_id", "DuplicateValue", "has already been taken"))
    org_id = user.get("organization_id")
    if org_id is not None and (not isinstance(org_id, int) or org_id not in ctx.db.organizations):
        raise record_invalid(field_error("organization_id", "InvalidValue", f"{org_id} is not a valid organization"))
    if user.get("role") not in ROLES:
        raise record_invalid(field_error("role", "InvalidValue", f"{user.get('role')} is not a valid role"))
    when = stamp(moment or ctx.moment)
    if existing is None:
        user.update(id=ctx.db.next_id(), created_at=when)
    user["updated_at"] = when
    ctx.db.put_user(user)
    return user


def _body_user(call: Call) -> Json:
    values = call.member("user")
    if not isinstance(values, dict):
        raise bad_request("user must be a JSON object", "InvalidJson")
    return values


def show(ctx: ApiContext, call: Call) -> Reply:
    with ctx.db.lock:
        user = ctx.db.users.get(int(call.record_id)) if call.record_id.isdigit() else None
        if user is None:
            raise not_found()
        return Reply({"user": user_json(ctx, user)})


def me(ctx: ApiContext, call: Call) -> Reply:
    del call
    with ctx.db.lock:
        user = ctx.db.user_by_email(ctx.config.email)
        assert user is not None  # seeded with the account
        return Reply({"user": user_json(ctx, user)})


def show_many(ctx: ApiContext, call: Call) -> Reply:
    ids, externals = comma_list(call.query.get("ids", "")), comma_list(call.query.get("external_ids", ""))
    if len(ids) > ctx.config.max_bulk or len(externals) > ctx.config.max_bulk:
        raise too_many_values("ids" if ids else "external_ids", ctx.config.max_bulk)
    with ctx.db.lock:
        found = [ctx.db.users.get(user_id) for user_id in int_ids(ids)]
        found += [ctx.db.user_by_external(value) for value in externals]
        users = [user_json(ctx, user) for user in found if user is not None]
        return Reply({"users": users, "next_page": None, "previous_page": None, "count": len(users)})


def search(ctx: ApiContext, call: Call) -> Reply:
    """``?external_id=`` exact, or ``?query=`` matched against email (exact) and name (contains)."""
    with ctx.db.lock:
        if "external_id" in call.query:
            one = ctx.db.user_by_external(call.query["external_id"])
            found = [one] if one is not None else []
        else:
            text = call.query.get("query", "").strip().lower()
            found = [
                user
                for user in ctx.db.users.values()
                if text and ((user.get("email") or "").lower() == text or text in user["name"].lower())
            ]
        users = [user_json(ctx, user) for user in found]
        return Reply({"users": users, "count": len(users), "next_page": None, "previous_page": None})


def create_or_update(ctx: ApiContext, call: Call) -> Reply:
    values = _body_user(call)
    with ctx.db.lock:
        existing = match(ctx, values)
        user = save(ctx, values, existing)
        return Reply({"user": user_json(ctx, user)}, 200 if existing is not None else 201)


def create_or_update_many(ctx: ApiContext, call: Call) -> Reply:
    items = call.member("users")
    if not isinstance(items, list):
        raise bad_request("users must be a list", "InvalidJson")
    if len(items) > ctx.config.max_bulk:
        raise too_many_values("users", ctx.config.max_bulk)

    def work(moment: datetime) -> list[Json]:
        results: list[Json] = []
        for index, values in enumerate(items):
            results.append(_one(ctx, index, values, moment))
        return results

    return Reply({"job_status": jobs.start(ctx, "create_or_update_many_users", len(items), work)})


def _one(ctx: ApiContext, index: int, values: Any, moment: datetime) -> Json:
    try:
        existing = match(ctx, values) if isinstance(values, dict) else None
        user = save(ctx, values, existing, moment)
    except ApiError as error:
        details = error.payload.get("details") or {}
        texts = [item["description"] for entries in details.values() for item in entries]
        return {
            "index": index,
            "error": "UserCreateOrUpdateFailed" if details else error.payload.get("error"),
            "details": "; ".join(texts) or error.payload.get("description", ""),
            "status": "Failed",
        }
    row: Json = {"id": user["id"], "index": index, "status": "Updated" if existing is not None else "Created"}
    if user.get("email"):
        row["email"] = user["email"]
    if user.get("external_id"):
        row["external_id"] = user["external_id"]
    return row
