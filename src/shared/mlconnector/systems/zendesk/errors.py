"""Typed Zendesk Support failures. Each carries what Zendesk said, as far as it said anything: the HTTP status, the
body's `error` word (`RecordInvalid`, `DuplicateValue`, `invalid_token`, ...), its `description` and the `details`
flattened to text; anything that could be a secret is scrubbed before it reaches a message (see classify.py)."""

from __future__ import annotations

from typing import TypedDict, Unpack

from mlconnector import errors as kinds

REDACTED = kinds.REDACTED
scrub = kinds.scrub


class Said(TypedDict, total=False):
    """What Zendesk said about a failure."""

    status: int
    """The HTTP status (0 when there was no reply)."""
    error: str
    """The body's `error` word (or the OAuth server's)."""
    detail: str
    """`description` and `details`, as text (scrubbed)."""


class ZendeskError(kinds.ConnectorError):
    """Base class. `context` says what failed; `status`, `error` and `detail` are what Zendesk said."""

    def __init__(self, context: str, **said: Unpack[Said]) -> None:
        self.context = context
        self.status = said.get("status", 0)
        self.error = said.get("error", "")
        self.detail = said.get("detail", "")
        reason = ": ".join(part for part in (self.error, self.detail) if part)
        super().__init__(f"{context} - {reason}" if reason else context)


class ConfigurationError(ZendeskError, kinds.ConfigurationError):
    """Our side is wrong: a missing secret key, a subdomain that is not one, a host we may not send credentials to."""


class AuthenticationError(ZendeskError, kinds.AuthenticationError):
    """Credentials refused (401; the refresh grant refused): fail fast, retrying could lock the user out."""


class PermissionDenied(AuthenticationError):
    """403: the user behind the credentials lacks a role or scope; `needs` says which (e.g. an admin for the export)."""

    def __init__(self, context: str, *, needs: str = "", **said: Unpack[Said]) -> None:
        self.needs = needs
        super().__init__(context, **said)


class TokenRejected(ZendeskError, kinds.TokenRejected):
    """401 for an OAuth access token that can be refreshed: the client gets the next pair once and replays."""


class TransientError(ZendeskError, kinds.TransientError):
    """Worth another try with backoff: 5xx (520/524 edge errors too), 409 conflicts, a dropped connection."""

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
    """429: the account's (or the export's 10 per minute) limit; Retry-After honoured."""


class TooManyJobs(RateLimited):
    """429 refusing a bulk job because too many are queued or running for the account: back off, then submit."""


class TokenRefreshBusy(TransientError):
    """Another container holds the refresh of the token pair and stored no new pair in time; its claim expires by
    itself."""


class GrantUnanswered(ZendeskError):
    """The refresh grant kept failing transiently through its own retries, or its connection broke after sending: the
    call needing the token is not retried on top (a repeated grant would send a refresh token the first one may have
    killed). The run stops; if the refresh took effect at Zendesk without its reply, authorise again."""


class ParseError(ZendeskError, kinds.ParseError):
    """A reply that is not the JSON Zendesk sends (an HTML page, a cut body, a shape we do not know)."""

    def __init__(self, context: str, *, max_attempts: int | None = None, **said: Unpack[Said]) -> None:
        self.max_attempts = max_attempts
        super().__init__(context, **said)


class RetryLater(ZendeskError, kinds.QuotaExceeded):
    """Zendesk asked for a pause longer than the run has left (Retry-After, the export's per-minute budget): the run
    stops cleanly at its checkpoint and the next one resumes. `retry_after` says when."""

    def __init__(self, context: str, *, retry_after: float | None = None, **said: Unpack[Said]) -> None:
        self.retry_after = retry_after
        super().__init__(context, **said)


class RequestError(ZendeskError, kinds.RecordError):
    """Zendesk refused this request or record (422 RecordInvalid, 400 TooManyValues, 404 RecordNotFound): the same
    input fails again; other requests go on."""


class NameTaken(RequestError):
    """An organization's name is already taken by an organization without our external id (names are unique)."""

    def __init__(self, context: str, *, organization_id: int, external_id: str = "", **said: Unpack[Said]) -> None:
        self.organization_id = organization_id
        self.external_id = external_id
        """The holder's external id ("" when it has none)."""
        super().__init__(context, **said)
