"""Audience members: the subscriber hash, merge fields, and a batch subscribe's reply matched back to its input.

A batch subscribe (`POST /lists/{id}`, at most 500 members) answers HTTP 200 even when every member failed:
`new_members[]`, `updated_members[]` and `errors[{email_address, error, error_code, field, field_message}]`. Each
input member gets exactly one `MemberOutcome`, matched by lower-cased, stripped email (Mailchimp strips too); a
member in none of the three arrays is failed with a reason saying so.
"""

from __future__ import annotations

import hashlib
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any, Literal

from mlconnector.systems.mailchimp.classify import refusal
from mlconnector.systems.mailchimp.errors import FieldError, ParseError, RecordError, scrub

MAX_BATCH_SUBSCRIBE = 500
Action = Literal["created", "updated", "failed"]


def normalise_email(email: str) -> str:
    return email.strip().lower()


def subscriber_hash(email: str) -> str:
    """Mailchimp's member id: the hex MD5 of the stripped, lower-cased address (a mixed-case hash is the classic
    cause of a spurious "Member Exists")."""
    return hashlib.md5(normalise_email(email).encode(), usedforsecurity=False).hexdigest()


@dataclass(frozen=True)
class MergeField:
    tag: str
    """The key in a member's `merge_fields` (FNAME, COMPANY, ...)."""
    name: str
    type: str
    """text, number, address, phone, date, url, imageurl, radio, dropdown, birthday or zip."""
    required: bool
    merge_id: int | None = None


def merge_field_of(item: Mapping[str, Any]) -> MergeField:
    merge_id = item.get("merge_id")
    return MergeField(
        tag=str(item.get("tag") or ""),
        name=str(item.get("name") or ""),
        type=str(item.get("type") or ""),
        required=bool(item.get("required")),
        merge_id=merge_id if isinstance(merge_id, int) else None,
    )


@dataclass(frozen=True)
class MemberOutcome:
    """One input member's result. `member` is Mailchimp's member object (created/updated); `error` is set exactly
    when `action` is "failed" (permanent refusals flagged, "exists" as AlreadyExists)."""

    email: str
    action: Action
    error: RecordError | None = None
    member: dict[str, Any] | None = None


def check_members(members: Sequence[Mapping[str, Any]]) -> None:
    if len(members) > MAX_BATCH_SUBSCRIBE:
        raise ValueError(
            f"Mailchimp takes at most {MAX_BATCH_SUBSCRIBE} members per batch subscribe, got {len(members)}"
        )
    for index, member in enumerate(members):
        email = member.get("email_address")
        if not isinstance(email, str) or not email.strip():
            raise ValueError(f"member {index} has no email_address")


def match_outcomes(
    members: Sequence[Mapping[str, Any]], reply: Mapping[str, Any], *, what: str, secrets: Sequence[str]
) -> list[MemberOutcome]:
    """One outcome per input member, in input order. A duplicate address in the input shares its outcome."""
    found: dict[str, MemberOutcome] = {}
    arrays: tuple[tuple[str, Action], ...] = (("new_members", "created"), ("updated_members", "updated"))
    for key, action in arrays:
        for member in _objects(reply, key, what=what):
            email = member.get("email_address")
            if isinstance(email, str):
                found[normalise_email(email)] = MemberOutcome(normalise_email(email), action, None, member)
    for entry in _objects(reply, "errors", what=what):
        email = entry.get("email_address")
        if isinstance(email, str):
            address = normalise_email(email)
            found[address] = MemberOutcome(address, "failed", _entry_error(entry, what=what, secrets=secrets))
    addresses = [normalise_email(str(sent["email_address"])) for sent in members]
    return [found.get(address) or _missing(address, what) for address in addresses]


def _entry_error(entry: Mapping[str, Any], *, what: str, secrets: Sequence[str]) -> RecordError:
    text = scrub(str(entry.get("error") or ""), secrets)
    field, field_message = str(entry.get("field") or ""), str(entry.get("field_message") or "")
    fields = (FieldError(scrub(field, secrets), scrub(field_message, secrets)),) if field or field_message else ()
    code = str(entry.get("error_code") or "")
    return refusal(f"{what}: Mailchimp refused the member", detail=text or code, field_errors=fields, code=code)


def _missing(address: str, what: str) -> MemberOutcome:
    error = RecordError(
        f"{what}: Mailchimp's reply names this member in none of new_members, updated_members or errors; "
        "its state is unknown (the next run sends it again)"
    )
    return MemberOutcome(address, "failed", error)


def _objects(reply: Mapping[str, Any], key: str, *, what: str) -> list[dict[str, Any]]:
    value = reply.get(key)
    if value is None:
        return []
    if not isinstance(value, list):
        raise ParseError(f"{what}: {key} in Mailchimp's reply is not a list")
    return [item for item in value if isinstance(item, dict)]
