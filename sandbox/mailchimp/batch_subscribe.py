"""Batch subscribe or unsubscribe, ``POST /lists/{list_id}``: up to 500 members in one synchronous call, HTTP 200
with per-member outcomes even when every member failed.

Each entry follows the member rules (member_records). An existing member with ``update_existing`` false is an
``ERROR_CONTACT_EXISTS`` error; with it true, a sent ``status`` is applied (``subscribed`` on an unsubscribed
member is the compliance error) and ``status_if_new`` alone leaves the status as it is; ``sync_tags`` replaces the
tags. Every other refusal is ``ERROR_GENERIC`` with the text the single-member call would give.
"""

from __future__ import annotations

from dataclasses import dataclass

from sandbox.mailchimp import member_records as records
from sandbox.mailchimp.context import ApiContext, Call, Reply
from sandbox.mailchimp.errors import (
    CONTACT_EXISTS,
    ApiError,
    FieldError,
    json_type,
    required_fields,
    schema_error,
    wrong_type,
)
from sandbox.mailchimp.lookup import audience_of
from sandbox.mailchimp.member_records import ARCHIVED, MemberWrite
from sandbox.mailchimp.params import body_object, flag
from sandbox.mailchimp.store import Audience
from sandbox.mailchimp.values import Json, subscriber_hash

# UNVERIFIED wordings (the spec gives only the error codes):
DUPLICATE = "{email} appears more than once in this request"
NO_STATUS = "{email} needs a status or a status_if_new"
NO_EMAIL = "An email address is required"


def _error(email: str, detail: str, code: str = "ERROR_GENERIC", field: FieldError | None = None) -> Json:
    return {
        "email_address": email,
        "error": detail,
        "error_code": code,
        "field": field.field if field else "",
        "field_message": field.message if field else "",
    }


def _refused(email: str, error: ApiError) -> Json:
    return _error(email, error.detail, field=error.errors[0] if error.errors else None)


def batch_subscribe(ctx: ApiContext, call: Call) -> Reply:
    body = body_object(call.body)
    if "members" not in body:
        raise required_fields(["members"])
    entries = body["members"]
    if not isinstance(entries, list):
        raise schema_error([wrong_type("members", "array", json_type(entries))])
    limit = ctx.config.max_batch_subscribe
    if len(entries) > limit:  # UNVERIFIED message
        raise schema_error([FieldError("members", f"You may not submit more than {limit} members per request")])
    options = _Options(
        update_existing=bool(body.get("update_existing", False)),
        sync_tags=bool(body.get("sync_tags", False)),
        skip_merge=flag(call.query, "skip_merge_validation"),
        skip_duplicates=flag(call.query, "skip_duplicate_check"),
    )
    created: list[Json] = []
    updated: list[Json] = []
    errors: list[Json] = []
    with ctx.db.lock:
        audience = audience_of(ctx, call)
        seen: set[str] = set()
        for entry in entries:
            outcome = _one(ctx, audience, entry, options, seen)
            if outcome is None:
                continue
            kind, payload = outcome
            {"created": created, "updated": updated, "error": errors}[kind].append(payload)
    return Reply(
        {
            "new_members": created,
            "updated_members": updated,
            "errors": errors,
            "total_created": len(created),
            "total_updated": len(updated),
            "error_count": len(errors),
            "_links": [],
        }
    )


@dataclass(frozen=True)
class _Options:
    update_existing: bool
    sync_tags: bool
    skip_merge: bool
    skip_duplicates: bool


Outcome = tuple[str, Json]  # ("created" | "updated" | "error", member view or error entry)


def _one(ctx: ApiContext, audience: Audience, entry: object, options: _Options, seen: set[str]) -> Outcome | None:
    """The outcome of one entry, or None for a duplicate that skip_duplicate_check drops."""
    raw_email = entry.get("email_address") if isinstance(entry, dict) else None
    email = str(raw_email or "").strip()
    try:
        if not isinstance(entry, dict):
            raise schema_error([wrong_type("members.item", "object", json_type(entry))])
        write = MemberWrite.parse(entry)
        if write.email is None:
            return "error", _error(email, NO_EMAIL, field=FieldError("email_address", "This value should not be blank"))
        key = subscriber_hash(write.email)
        if key in seen:
            return None if options.skip_duplicates else ("error", _error(email, DUPLICATE.format(email=email)))
        seen.add(key)
        record = records.find(audience, key)
        if record is not None and record["status"] != ARCHIVED:
            return _existing(ctx, audience, record, write, options)
        return _new(ctx, audience, record, write, options)
    except ApiError as error:
        return "error", _refused(email, error)


def _existing(ctx: ApiContext, audience: Audience, record: Json, write: MemberWrite, options: _Options) -> Outcome:
    email = write.email or record["email_address"]
    if not options.update_existing:
        return "error", _error(email, CONTACT_EXISTS.format(email=email), "ERROR_CONTACT_EXISTS")
    records.update(ctx, audience, record, write, write.status, skip_merge_validation=options.skip_merge)
    if options.sync_tags:
        records.remove_tags(record, {tag["name"] for tag in record["tags"]} - set(write.tags))
        records.add_tags(ctx, audience, record, write.tags)
    return "updated", records.view(ctx, audience, record)


def _new(ctx: ApiContext, audience: Audience, archived: Json | None, write: MemberWrite, options: _Options) -> Outcome:
    assert write.email is not None
    status = write.status_if_new or write.status
    if status is None:
        return "error", _error(write.email, NO_STATUS.format(email=write.email))
    if archived is not None:  # an archived member comes back as a new one
        record = records.update(ctx, audience, archived, write, status, skip_merge_validation=options.skip_merge)
    else:
        record = records.create(ctx, audience, write, status, skip_merge_validation=options.skip_merge)
    return "created", records.view(ctx, audience, record)
