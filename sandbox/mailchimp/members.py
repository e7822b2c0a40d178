"""The member endpoints: list, GET, POST (add), PUT (upsert), PATCH, DELETE (archive), delete-permanent, tags."""

from __future__ import annotations

from sandbox.mailchimp import member_records as records
from sandbox.mailchimp.context import ApiContext, Call, Reply
from sandbox.mailchimp.errors import (
    FieldError,
    json_type,
    member_exists,
    not_found,
    required_fields,
    schema_error,
    wrong_type,
)
from sandbox.mailchimp.lookup import audience_of, member_key
from sandbox.mailchimp.member_records import ARCHIVED, MemberWrite
from sandbox.mailchimp.params import body_object, collection, flag
from sandbox.mailchimp.store import Audience
from sandbox.mailchimp.values import Json, subscriber_hash

SKIP_MERGE = "skip_merge_validation"


def _existing(audience: Audience, call: Call) -> Json:
    record = records.find(audience, member_key(call.params["subscriber_hash"]))
    if record is None:
        raise not_found()
    return record


def list_members(ctx: ApiContext, call: Call) -> Reply:
    wanted = call.query.get("status") or None
    since, before = call.query.get("since_last_changed"), call.query.get("before_last_changed")
    with ctx.db.lock:
        audience = audience_of(ctx, call)
        chosen = [
            records.view(ctx, audience, record)
            for record in audience.members.values()
            if (record["status"] == wanted if wanted else record["status"] != ARCHIVED)
            and (not since or record["last_changed"] >= _iso(since))
            and (not before or record["last_changed"] < _iso(before))
        ]
    return Reply(collection("members", chosen, call.query, ctx.config, list_id=audience.id))


def _iso(text: str) -> str:
    """Compare like Mailchimp's stored stamps: ``2024-01-01 10:00:00`` or with a T and offset."""
    return text.strip().replace(" ", "T")[:19]


def get_member(ctx: ApiContext, call: Call) -> Reply:
    with ctx.db.lock:
        audience = audience_of(ctx, call)
        return Reply(records.view(ctx, audience, _existing(audience, call)))


def add_member(ctx: ApiContext, call: Call) -> Reply:
    """POST: a new address only; any known one (archived and unsubscribed ones too) is Member Exists."""
    write = MemberWrite.parse(body_object(call.body))
    missing = [name for name, value in (("email_address", write.email), ("status", write.status)) if not value]
    if missing:
        raise required_fields(missing)
    assert write.email is not None
    assert write.status is not None
    with ctx.db.lock:
        audience = audience_of(ctx, call)
        if records.find(audience, subscriber_hash(write.email)) is not None:
            raise member_exists(write.email)
        record = records.create(ctx, audience, write, write.status, skip_merge_validation=flag(call.query, SKIP_MERGE))
        return Reply(records.view(ctx, audience, record))


def put_member(ctx: ApiContext, call: Call) -> Reply:
    """PUT: update the member the path names, else create it from ``email_address`` + ``status_if_new``."""
    write = MemberWrite.parse(body_object(call.body))
    skip = flag(call.query, SKIP_MERGE)
    with ctx.db.lock:
        audience = audience_of(ctx, call)
        record = records.find(audience, member_key(call.params["subscriber_hash"]))
        if record is not None and record["status"] != ARCHIVED:
            record = records.update(ctx, audience, record, write, write.status, skip_merge_validation=skip)
            return Reply(records.view(ctx, audience, record))
        status = _status_for_new(ctx, write)
        if record is not None:  # an archived member comes back
            record = records.update(ctx, audience, record, write, status, skip_merge_validation=skip)
            return Reply(records.view(ctx, audience, record))
        if write.email is None:
            raise required_fields(["email_address"])
        if records.find(audience, subscriber_hash(write.email)) is not None:
            # The path hash is not the address's (a mixed-case hash): the classic PUT "Member Exists".
            raise member_exists(write.email)
        record = records.create(ctx, audience, write, status, skip_merge_validation=skip)
        return Reply(records.view(ctx, audience, record))


def _status_for_new(ctx: ApiContext, write: MemberWrite) -> str:
    if write.status_if_new is not None:
        return write.status_if_new
    if write.status is not None and not ctx.config.put_requires_status_if_new:
        return write.status
    raise schema_error([wrong_type("status_if_new", "enum", "NULL")])


def patch_member(ctx: ApiContext, call: Call) -> Reply:
    write = MemberWrite.parse(body_object(call.body))
    with ctx.db.lock:
        audience = audience_of(ctx, call)
        record = _existing(audience, call)
        record = records.update(
            ctx, audience, record, write, write.status, skip_merge_validation=flag(call.query, SKIP_MERGE)
        )
        return Reply(records.view(ctx, audience, record))


def archive_member(ctx: ApiContext, call: Call) -> Reply:
    """DELETE archives: the record stays (status ``archived``) and a PUT can bring it back."""
    with ctx.db.lock:
        record = _existing(audience_of(ctx, call), call)
        records.set_status(ctx, record, ARCHIVED)
    return Reply(None, 204)


def delete_permanent(ctx: ApiContext, call: Call) -> Reply:
    """GDPR delete: the member is gone and its address can never be re-imported through the API."""
    with ctx.db.lock:
        audience = audience_of(ctx, call)
        record = _existing(audience, call)
        del audience.members[record["id"]]
        audience.forgotten[record["id"]] = record["email_address"]
    return Reply(None, 204)


def list_tags(ctx: ApiContext, call: Call) -> Reply:
    with ctx.db.lock:
        record = _existing(audience_of(ctx, call), call)
        tags = [dict(tag) for tag in record["tags"]]
    return Reply(collection("tags", tags, call.query, ctx.config))


def update_tags(ctx: ApiContext, call: Call) -> Reply:
    """``{"tags": [{"name", "status": "active"|"inactive"}], "is_syncing"}`` -> 204."""
    body = body_object(call.body)
    if "tags" not in body:
        raise required_fields(["tags"])
    items = body["tags"]
    if not isinstance(items, list):
        raise schema_error([wrong_type("tags", "array", json_type(items))])
    active: list[str] = []
    inactive: set[str] = set()
    for index, item in enumerate(items):
        name = item.get("name") if isinstance(item, dict) else None
        status = item.get("status", "active") if isinstance(item, dict) else None
        if not isinstance(name, str) or not name.strip() or status not in ("active", "inactive"):
            raise schema_error([FieldError(f"tags.item:{index}", "Each tag needs a name and a status")])
        if status == "active":
            active.append(name.strip())
        else:
            inactive.add(name.strip())
    with ctx.db.lock:
        audience = audience_of(ctx, call)
        record = _existing(audience, call)
        records.remove_tags(record, inactive)
        records.add_tags(ctx, audience, record, tuple(active))
        record["last_changed"] = ctx.now
    return Reply(None, 204)
