"""Typed Marketo failures. Each carries the `{code, message}` pairs Marketo returned (codes are strings,
as in the API) and a message naming what failed. Messages come from Marketo's own text and from names
we choose; values that could be secrets are scrubbed before they reach a message."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from mlconnector import errors as kinds

REDACTED = kinds.REDACTED
scrub = kinds.scrub


@dataclass(frozen=True)
class ErrorDetail:
    """One `errors[]` entry of a failed call, or one `reasons[]` entry of a skipped record."""

    code: str
    message: str = ""

    def __str__(self) -> str:
        return f"{self.code} {self.message}".strip()


def scrub_details(details: Sequence[ErrorDetail], secrets: Sequence[str]) -> tuple[ErrorDetail, ...]:
    return tuple(ErrorDetail(scrub(d.code, secrets), scrub(d.message, secrets)) for d in details)


class MarketoError(kinds.ConnectorError):
    """Base class. `context` says what failed; `errors` holds Marketo's error list (may be empty)."""

    def __init__(self, context: str, errors: Sequence[ErrorDetail] = ()) -> None:
        self.context = context
        self.errors = tuple(errors)
        super().__init__(" - ".join([context, *(str(e) for e in self.errors if str(e))]))

    @property
    def code(self) -> str:
        """The first error code ("606", "607", ...), or "" when Marketo gave none."""
        return self.errors[0].code if self.errors else ""

    @property
    def message(self) -> str:
        return self.errors[0].message if self.errors else ""


class ConfigurationError(MarketoError, kinds.ConfigurationError):
    """Our side is wrong: bad Munchkin id, base URL not allowed, missing secret keys."""


class AuthenticationError(MarketoError, kinds.AuthenticationError):
    """Bad client id or secret (identity HTTP 401), or a token refused again right after a fresh one.
    Fail fast: retrying cannot help."""


class IdentityUnavailable(MarketoError):
    """The identity service kept failing transiently; the run stops and the next one tries again."""


class TokenRejected(MarketoError, kinds.TokenRejected):
    """601 (token invalid) or 602 (token expired): the client fetches a new token once and replays."""


class RequestError(MarketoError, kinds.RecordError):
    """Marketo refused this request (1003, 609, 610, 413 ...): not retried, the same request fails again."""


class PermissionDenied(RequestError):
    """603: the API user's role lacks a permission (or an IP allow-list blocks us). `permission` names
    the role permission the call needs."""

    def __init__(self, context: str, errors: Sequence[ErrorDetail] = (), *, permission: str = "") -> None:
        self.permission = permission
        super().__init__(context, errors)


class QuotaExceeded(MarketoError, kinds.QuotaExceeded):
    """607: the daily call quota is used up. Systemic and never retried: the run stops cleanly and the next
    run (after the reset at midnight US Central) resumes from its checkpoint."""


class TransientError(MarketoError, kinds.TransientError):
    """Retry with backoff: 604/608/611/713, 5xx, dropped connections, unreadable bodies.

    `may_have_run` is False when Marketo cannot have processed the request (no connection, or refused
    before processing); only then is a non-idempotent call (createDuplicate) repeated."""

    def __init__(
        self,
        context: str,
        errors: Sequence[ErrorDetail] = (),
        *,
        retry_after: float | None = None,
        min_wait: float = 0.0,
        may_have_run: bool = True,
    ) -> None:
        self.retry_after = retry_after
        self.min_wait = min_wait
        self.may_have_run = may_have_run
        super().__init__(context, errors)


class RateLimited(TransientError, kinds.RateLimited):
    """606 (100 calls / 20 s), 615 (10 concurrent) or HTTP 429. `window_full` is True when the whole
    instance's 20-second window is used up (606, 429): every flow sharing the call budget pauses."""

    def __init__(
        self,
        context: str,
        errors: Sequence[ErrorDetail] = (),
        *,
        retry_after: float | None = None,
        min_wait: float = 0.0,
        window_full: bool = False,
    ) -> None:
        self.window_full = window_full
        super().__init__(context, errors, retry_after=retry_after, min_wait=min_wait, may_have_run=False)


class ParseError(TransientError, kinds.ParseError):
    """The body was not the JSON envelope we expect, or results did not match the input."""
