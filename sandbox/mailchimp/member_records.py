"""Audience members: the rules every member write follows (PUT, POST, PATCH, batch subscribe, e-commerce
customers), the stored record and its JSON view.

* Keyed by ``subscriber_hash`` = md5 of the lower-cased address; an archived member keeps its record (status
  ``archived``), a permanently deleted one leaves its hash in ``forgotten``.
* Creating needs an acceptable address (not forgotten: 400 Forgotten Email Not Subscribed whatever the status;
  not fake: 400 Invalid Resource) and complete merge fields unless ``skip_merge_validation``; ``tags`` are applied
  only then (verified: tags on PUT/PATCH of an existing member are ignored).
* Updating applies ``status`` only when sent; asking ``subscribed`` for an unsubscribed or cleaned member (also
  one archived in that state) is 400 Member In Compliance State; ``pending`` is allowed.
Callers hold the database lock.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from sandbox.mailchimp import emails
from sandbox.mailchimp.context import ApiContext
from sandbox.mailchimp.errors import (
    FieldError,
    compliance_state,
    forgotten_email,
    json_type,
    member_exists,
    schema_error,
    wrong_type,
)
from sandbox.mailchimp.merge_fields import member_values, member_view
from sandbox.mailchimp.store import Audience
from sandbox.mailchimp.values import Json, short_id, subscriber_hash, web_id

STATUSES = ("subscribed", "unsubscribed", "cleaned", "pending", "transactional")
NOT_SUBSCRIBABLE = frozenset({"unsubscribed", "cleaned"})
ARCHIVED = "archived"
_EXTRAS = (
    "email_type", "language", "vip", "interests", "ip_signup", "timestamp_signup", "ip_opt", "timestamp_opt",
    "location", "marketing_permissions",
)  # fmt: skip


@dataclass(frozen=True)
class MemberWrite:
    """What one member write asks for, parsed once from a request body or a batch-subscribe entry."""

    email: str | None = None
    status: str | None = None
    status_if_new: str | None = None
    merge_fields: object = None
    tags: tuple[str, ...] = ()
    extras: Json = field(default_factory=dict)

    @classmethod
    def parse(cls, body: Json) -> MemberWrite:
        email = body.get("email_address")
        if email is not None and not isinstance(email, str):
            raise schema_error([wrong_type("email_address", "string", json_type(email))])
        return cls(
            email=emails.normalized(email) if email else None,
            status=_status(body, "status"),
            status_if_new=_status(body, "status_if_new"),
            merge_fields=body.get("merge_fields"),
            tags=_tag_names(body.get("tags")),
            extras={key: body[key] for key in _EXTRAS if key in body},
        )


def _status(body: Json, name: str) -> str | None:
    value = body.get(name)
    if value is None or value == "":
        return None
    if value not in STATUSES:  # UNVERIFIED message, in the style of the captured dropdown one
        raise schema_error([FieldError(name, f"Value must be one of: {', '.join(STATUSES)} (not {value})")])
    return str(value)


def _tag_names(raw: object) -> tuple[str, ...]:
    if raw is None:
        return ()
    if not isinstance(raw, list):
        raise schema_error([wrong_type("tags", "array", json_type(raw))])
    names = [item.get("name") if isinstance(item, dict) else item for item in raw]
    return tuple(str(name).strip() for name in names if isinstance(name, str | int) and str(name).strip())


# ---------------------------------------------------------------------------------------------- the rules
def find(audience: Audience, key: str) -> Json | None:
    return audience.members.get(key)


def create(
    ctx: ApiContext, audience: Audience, write: MemberWrite, status: str, *, skip_merge_validation: bool
) -> Json:
    """A new member (the address is not in the audience, or only archived there: then it is replaced)."""
    assert write.email is not None
    key = subscriber_hash(write.email)
    if key in audience.forgotten:
        raise forgotten_email(write.email)
    refusal = emails.refusal(write.email, ctx.config.fake_email_patterns)
    if refusal is not None:
        raise refusal
    merge = member_values(audience, write.merge_fields, creating=True, skip_validation=skip_merge_validation)
    record = new_record(ctx, audience, write.email, status, merge)
    record.update(write.extras)
    add_tags(ctx, audience, record, write.tags)
    audience.members[key] = record
    return record


def new_record(ctx: ApiContext, audience: Audience, email: str, status: str, merge: Json) -> Json:
    key = subscriber_hash(email)
    return {
        "id": key,
        "email_address": email,
        "unique_email_id": short_id("unique", audience.id, key),
        "contact_id": short_id("contact", audience.id, key, length=32),
        "web_id": web_id("member", audience.id, key),
        "email_type": "html",
        "status": status,
        "merge_fields": merge,
        "interests": {},
        "ip_signup": "",
        "timestamp_signup": "",
        "ip_opt": "",
        "timestamp_opt": ctx.now if status == "subscribed" else "",
        "member_rating": 2,
        "last_changed": ctx.now,
        "language": "",
        "vip": False,
        "email_client": "",
        "location": {"latitude": 0, "longitude": 0, "gmtoff": 0, "dstoff": 0, "country_code": "", "timezone": ""},
        "marketing_permissions": [],
        "source": "API - Generic",
        "tags": [],
        "list_id": audience.id,
    }


def update(
    ctx: ApiContext,
    audience: Audience,
    record: Json,
    write: MemberWrite,
    status: str | None,
    *,
    skip_merge_validation: bool,
) -> Json:
    """Change an existing member: ``status`` (None = keep), merge fields, extras, and a new address when the body's
    ``email_address`` is another one (UNVERIFIED: the member is renamed; taken -> Member Exists)."""
    if status is not None:
        check_status_change(record, status)
    merge = member_values(
        audience,
        write.merge_fields,
        creating=False,
        skip_validation=skip_merge_validation,
        stored=record["merge_fields"],
    )
    if write.email is not None and subscriber_hash(write.email) != record["id"]:
        _rename(ctx, audience, record, write.email)
    record["merge_fields"] = merge
    record.update(write.extras)
    if status is not None:
        set_status(ctx, record, status)
    record["last_changed"] = ctx.now
    return record


def check_status_change(record: Json, status: str) -> None:
    current = record.get("_archived_status", record["status"]) if record["status"] == ARCHIVED else record["status"]
    if status == "subscribed" and current in NOT_SUBSCRIBABLE:
        raise compliance_state(record["email_address"])


def set_status(ctx: ApiContext, record: Json, status: str) -> None:
    if status == record["status"]:
        return
    record.pop("_archived_status", None)
    if status == ARCHIVED:
        record["_archived_status"] = record["status"]
    if status == "subscribed":
        record["timestamp_opt"] = ctx.now
    record["status"] = status
    record["last_changed"] = ctx.now


def _rename(ctx: ApiContext, audience: Audience, record: Json, email: str) -> None:
    key = subscriber_hash(email)
    if key in audience.members:
        raise member_exists(email)
    refusal = emails.refusal(email, ctx.config.fake_email_patterns)
    if refusal is not None:
        raise refusal
    del audience.members[record["id"]]
    record.update(id=key, email_address=email)
    audience.members[key] = record


def add_tags(ctx: ApiContext, audience: Audience, record: Json, names: tuple[str, ...]) -> None:
    have = {tag["name"] for tag in record["tags"]}
    for name in names:
        if name not in have:
            record["tags"].append({"id": audience.tag_id(name), "name": name, "date_added": ctx.now})
            have.add(name)


def remove_tags(record: Json, names: set[str]) -> None:
    record["tags"] = [tag for tag in record["tags"] if tag["name"] not in names]


def view(ctx: ApiContext, audience: Audience, record: Json) -> Json:
    shown: dict[str, Any] = {key: value for key, value in record.items() if not key.startswith("_")}
    merge = member_view(audience, record["merge_fields"])
    names = [str(merge.get(tag, "")).strip() for tag in ("FNAME", "LNAME")]
    href = f"{ctx.api_url}/lists/{audience.id}/members/{record['id']}"
    shown.update(
        merge_fields=merge,
        full_name=" ".join(name for name in names if name),
        stats={"avg_open_rate": 0, "avg_click_rate": 0},
        tags_count=len(record["tags"]),
        tags=[{"id": tag["id"], "name": tag["name"]} for tag in record["tags"]],
        _links=[{"rel": "self", "href": href, "method": "GET"}],
    )
    return shown
