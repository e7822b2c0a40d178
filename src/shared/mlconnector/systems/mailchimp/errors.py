"""Typed Mailchimp failures. Each carries what Mailchimp said (problem+json `title`, `detail` and the per-field
`errors[]`, any of them possibly absent) and a message naming what failed; anything that could be a secret is
scrubbed before it reaches a message (see classify.py)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import TypedDict, Unpack

from mlconnector import errors as kinds

REDACTED = kinds.REDACTED
scrub = kinds.scrub


@dataclass(frozen=True)
class FieldError:
    """One `errors[]` entry of a problem: the field (a merge tag, `email_address`, `operations.item:3`) and why."""

    field: str
    message: str

    def __str__(self) -> str:
        return f"{self.field}: {self.message}" if self.field else self.message


class Said(TypedDict, total=False):
    """What Mailchimp said about a failure, as far as it said anything."""

    status: int
    """The HTTP status (0 when there was no reply)."""
    title: str
    detail: str
    field_errors: Sequence[FieldError]


class MailchimpError(kinds.ConnectorError):
    """Base class. `status` is the HTTP status (0 when there was no reply); `title` and `detail` are Mailchimp's
    (empty when the body was not problem+json); `field_errors` its per-field errors."""

    def __init__(self, context: str, **said: Unpack[Said]) -> None:
        self.context = context
        self.status = said.get("status", 0)
        self.title = said.get("title", "")
        self.detail = said.get("detail", "")
        self.field_errors = tuple(said.get("field_errors", ()))
        reason = self.reason
        super().__init__(f"{context} - {reason}" if reason else context)

    @property
    def reason(self) -> str:
        """Mailchimp's own words: title, detail and field errors ("Invalid Resource: Your merge fields were invalid.
        (FNAME: Please enter a value)"), or "" when it gave none."""
        text = ": ".join(part for part in (self.title, self.detail) if part)
        if self.field_errors:
            fields = "; ".join(str(e) for e in self.field_errors)
            text = f"{text} ({fields})" if text else fields
        return text


class ConfigurationError(MailchimpError, kinds.ConfigurationError):
    """Our side is wrong: an API key without a data centre, a URL we may not send credentials to, an audience or
    store that does not exist."""


class AuthenticationError(MailchimpError, kinds.AuthenticationError):
    """The API key or OAuth token was refused (401; the OAuth metadata's `invalid_token`). Fail fast."""


class PermissionDenied(AuthenticationError):
    """403 with a problem body: the key's user may not do this (Forbidden, User Disabled, Wrong Datacenter)."""


class RecordError(MailchimpError, kinds.RecordError):
    """Mailchimp refused this record (400/404/405 on a record's call, or a member's entry in a batch subscribe's
    `errors`): the same input fails again; the others go on.

    `permanent` is True when no later run can succeed either (a member in compliance state, a permanently deleted
    address, a fake address): the flow remembers it instead of replaying it. `refusal` names which rule matched
    ("compliance_state", "forgotten_email", "fake_email", "too_many_signups"; "" for none)."""

    def __init__(self, context: str, *, permanent: bool = False, refusal: str = "", **said: Unpack[Said]) -> None:
        self.permanent = permanent
        self.refusal = refusal
        super().__init__(context, **said)


class AlreadyExists(RecordError):
    """The record already exists (Member Exists, "An order/A product with the provided ID already exists"). Ids
    are ours, so this is what a repeated create answers: read the record back or PATCH it."""


class NotFound(RecordError):
    """404: no such member, customer, product or order (or, for a run-level call, the audience or store: the
    client turns that into a ConfigurationError naming the id)."""


class TransientError(MailchimpError, kinds.TransientError):
    """Worth another try with backoff: 5xx, 408, a dropped connection, a timeout, an unreadable reply, a batch
    whose results are gone. `may_have_run` is False when Mailchimp cannot have processed the request (None: the
    kind's default, False for RateLimited)."""

    def __init__(
        self,
        context: str,
        *,
        retry_after: float | None = None,
        min_wait: float = 0.0,
        may_have_run: bool | None = None,
        **said: Unpack[Said],
    ) -> None:
        self.retry_after = retry_after
        self.min_wait = min_wait
        if may_have_run is not None:
            self.may_have_run = may_have_run
        super().__init__(context, **said)


class RateLimited(TransientError, kinds.RateLimited):
    """429 (over 10 connections at once, or 500 pending batches), or a 403 without a problem body (Mailchimp's
    edge throttling). Refused before processing (`may_have_run` False)."""


class ParseError(TransientError, kinds.ParseError):
    """A 2xx reply (or a batch archive) that is not the JSON we expect."""
