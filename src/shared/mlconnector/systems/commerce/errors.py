"""Typed Adobe Commerce failures. Messages name what failed (the call and the entity) and carry the server's
message with its template filled in; anything that could be a secret is scrubbed before it reaches a message."""

from __future__ import annotations

from mlconnector import errors as kinds

REDACTED = kinds.REDACTED
scrub = kinds.scrub


class CommerceError(kinds.ConnectorError):
    """Base class. `status` is the HTTP status when there was a reply (0 otherwise); `detail` is the server's
    message with its parameters filled in (may be empty)."""

    def __init__(self, context: str, *, status: int = 0, detail: str = "") -> None:
        self.context = context
        self.status = status
        self.detail = detail
        super().__init__(f"{context} - {detail}" if detail else context)


class ConfigurationError(CommerceError, kinds.ConfigurationError):
    """Our side is wrong: a URL we may not send credentials to, a missing secret key, a bad flavour."""


class AuthenticationError(CommerceError, kinds.AuthenticationError):
    """Credentials refused (PaaS OAuth 1.0a or Bearer), an IMS token refused right after a fresh one, or the
    integration lacks an ACL resource (Commerce answers both with the same 401). Fail fast."""

    def __init__(self, context: str, *, status: int = 0, detail: str = "", resources: str = "") -> None:
        self.resources = resources
        """The ACL resource(s) Commerce named in `parameters.resources`, if any."""
        super().__init__(context, status=status, detail=detail)


class TokenRejected(AuthenticationError, kinds.TokenRejected):
    """A 401 on a call made with an IMS token: the client mints a new token once and replays."""


class RequestError(CommerceError, kinds.RecordError):
    """Commerce refused this request (400, 404, 405, ...): the same request would fail again."""


class NotFound(RequestError):
    """404 for an entity that does not exist (NoSuchEntityException)."""


class B2BUnavailable(RequestError):
    """A B2B route does not exist on this store (404 "Request does not match any route."): the B2B extension
    is not installed (Magento Open Source, or B2B not enabled), or the route is not offered over REST."""


class TransientError(CommerceError, kinds.TransientError):
    """Retry with backoff: 5xx, 429, 408, dropped connections, unreadable replies.

    `may_have_run` is False when Commerce cannot have processed the request (no connection was made); only then
    is a non-idempotent call (create) repeated."""

    def __init__(
        self,
        context: str,
        *,
        status: int = 0,
        detail: str = "",
        retry_after: float | None = None,
        may_have_run: bool = True,
    ) -> None:
        self.retry_after = retry_after
        self.may_have_run = may_have_run
        super().__init__(context, status=status, detail=detail)


class RateLimited(TransientError, kinds.RateLimited):
    """429: refused before processing, so even a create may be repeated after the pause."""

    def __init__(self, context: str, *, status: int = 0, detail: str = "", retry_after: float | None = None) -> None:
        super().__init__(context, status=status, detail=detail, retry_after=retry_after, may_have_run=False)


class ParseError(TransientError, kinds.ParseError):
    """A 2xx reply whose body is not the JSON we expect (a CDN page, a truncated body)."""
