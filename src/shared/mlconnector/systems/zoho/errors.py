"""Typed Zoho CRM failures. Each carries what Zoho said, as far as it said anything: the HTTP status, the `code`
keyword of its error envelope (`INVALID_TOKEN`, `TOO_MANY_REQUESTS`, ...) or the accounts server's `error`, and its
message; anything that could be a secret is scrubbed before it reaches a message (see classify.py)."""

from __future__ import annotations

from typing import TypedDict, Unpack

from mlconnector import errors as kinds

REDACTED = kinds.REDACTED
scrub = kinds.scrub


class Said(TypedDict, total=False):
    """What Zoho said about a failure."""

    status: int
    """The HTTP status (0 when there was no reply)."""
    code: str
    """The envelope's `code` (`INVALID_MODULE`), or the accounts server's `error` (`invalid_code`)."""
    detail: str
    """Zoho's message (scrubbed)."""


class ZohoError(kinds.ConnectorError):
    """Base class. `context` says what failed; `status`, `code` and `detail` are what Zoho said."""

    def __init__(self, context: str, **said: Unpack[Said]) -> None:
        self.context = context
        self.status = said.get("status", 0)
        self.code = said.get("code", "")
        self.detail = said.get("detail", "")
        reason = ": ".join(part for part in (self.code, self.detail) if part)
        super().__init__(f"{context} - {reason}" if reason else context)


class ConfigurationError(ZohoError, kinds.ConfigurationError):
    """Our side is wrong: a missing secret key, an unknown data centre, a host we may not send credentials to (an
    api_domain outside Zoho), a URL Zoho does not know."""


class ModuleUnavailable(ConfigurationError):
    """The module is not available to this org or through the API (`INVALID_MODULE`, `NOT_SUPPORTED`; Vendors on an
    edition without it): not retried. A flow skips the module's stream instead of failing the run."""

    def __init__(self, context: str, *, module: str, **said: Unpack[Said]) -> None:
        self.module = module
        super().__init__(context, **said)


class AuthenticationError(ZohoError, kinds.AuthenticationError):
    """Credentials refused (the refresh token or client at the accounts server, `AUTHENTICATION_FAILURE`), or a
    token refused again right after a new one. Fail fast: retrying cannot help."""


class PermissionDenied(AuthenticationError):
    """`NO_PERMISSION` or `AUTHORIZATION_FAILED`: the user's profile lacks a permission. `permissions` names the
    missing ones when Zoho lists them."""

    def __init__(self, context: str, *, permissions: tuple[str, ...] = (), **said: Unpack[Said]) -> None:
        self.permissions = permissions
        super().__init__(context, **said)


class ScopeMissing(AuthenticationError):
    """`OAUTH_SCOPE_MISMATCH`: the refresh token was granted without a scope this call needs; `scope` names it."""

    def __init__(self, context: str, *, scope: str, **said: Unpack[Said]) -> None:
        self.scope = scope
        super().__init__(context, **said)


class AccountsUnavailable(ZohoError):
    """The token grant kept failing transiently (5xx, no connection, unreadable replies) through its own retries: the
    call needing the token is not retried on top (that would multiply grants); the run stops and the next tries
    again."""


class TokenRejected(ZohoError, kinds.TokenRejected):
    """`INVALID_TOKEN`: the access token expired, was revoked, or belongs to another data centre. The client mints
    a new one once and replays; refused again, it is an AuthenticationError."""


class TransientError(ZohoError, kinds.TransientError):
    """Worth another try with backoff: 5xx, `INTERNAL_ERROR`, 408, a dropped connection, an unreadable reply.
    `may_have_run` is False when Zoho cannot have processed the request (None: the kind's default)."""

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
    """429 `TOO_MANY_REQUESTS`: more calls in flight than the edition allows (or the sub-limit of heavy calls).
    Refused before processing: back off (Retry-After when given) and try again."""


class ParseError(ZohoError, kinds.ParseError):
    """A reply that is not the JSON Zoho sends (an HTML error page, a cut body, a float where a record id must be):
    retried, at most `max_attempts` times when set (a hostile reply comes again)."""

    def __init__(self, context: str, *, max_attempts: int | None = None, **said: Unpack[Said]) -> None:
        self.max_attempts = max_attempts
        super().__init__(context, **said)


class QuotaExceeded(ZohoError, kinds.QuotaExceeded):
    """A limit that only time lifts: never retried in the run. The run stops cleanly at its checkpoint and the next
    one resumes. `retry_after` says roughly when, when known."""

    def __init__(self, context: str, *, retry_after: float | None = None, **said: Unpack[Said]) -> None:
        self.retry_after = retry_after
        super().__init__(context, **said)


class CreditsExhausted(QuotaExceeded):
    """The org's API credits for the rolling 24 hours are used up: credits spent come back 24 hours later."""


class TokenMintLimited(QuotaExceeded):
    """The accounts server mints no more access tokens for this refresh token for now (10 per 10 minutes), or
    this client stopped itself from asking: wait, do not ask again and again."""


class RequestError(ZohoError, kinds.RecordError):
    """Zoho refused this request (`INVALID_DATA` at request level, `LIMIT_EXCEEDED`, `INVALID_QUERY`, the search
    cap): the same request fails again; other requests go on."""
