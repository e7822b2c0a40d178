"""Typed Intacct failures. Each carries every `<error>` the gateway returned (often a specific error
followed by generic wrappers) and a message that names what failed. Messages are built from the
gateway's own text and from ids we choose (function, controlid); never from credentials."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from mlconnector import errors as kinds

HOSTILE_ATTEMPTS = 2
"""A hostile response is deterministic: one more try (a proxy's passing fault) and no more."""


@dataclass(frozen=True)
class ErrorDetail:
    """One `<error>` element."""

    errorno: str
    description: str = ""
    description2: str = ""
    correction: str = ""

    def __str__(self) -> str:
        parts = (self.errorno, self.description, self.description2, self.correction)
        return " ".join(p for p in parts if p)

    def text(self) -> str:
        """All human-readable parts, for phrase matching."""
        return " ".join((self.description, self.description2, self.correction))


class IntacctError(kinds.ConnectorError):
    """Base class. `context` says what failed; `errors` holds the gateway's error list (may be empty)."""

    def __init__(
        self,
        context: str,
        errors: Sequence[ErrorDetail] = (),
        *,
        function: str | None = None,
        controlid: str | None = None,
    ) -> None:
        self.context = context
        self.errors = tuple(errors)
        self.function = function
        self.controlid = controlid
        super().__init__(self._message())

    def _message(self) -> str:
        where = self.context
        if self.function or self.controlid:
            where += f" [function={self.function or '?'} controlid={self.controlid or '?'}]"
        return " - ".join([where, *(str(e) for e in self.errors if str(e))])

    @property
    def errorno(self) -> str:
        return self.errors[0].errorno if self.errors else ""

    @property
    def description(self) -> str:
        return self.errors[0].description if self.errors else ""

    @property
    def description2(self) -> str:
        return self.errors[0].description2 if self.errors else ""

    @property
    def correction(self) -> str:
        return self.errors[0].correction if self.errors else ""


class AuthenticationError(IntacctError, kinds.AuthenticationError):
    """Wrong sender or user credentials, sender not authorised, or a session refused again after a
    fresh login. Fail fast: retrying cannot help and may lock the user out."""


class ConfigurationError(IntacctError, kinds.ConfigurationError):
    """Our side is wrong: invalid request XML (XL03000003), endpoint not allowed, missing secret keys."""


class SessionExpired(IntacctError, kinds.TokenRejected):
    """The session id was refused. The client logs in again once and replays the request."""


class ResultError(IntacctError, kinds.RecordError):
    """One function failed (validation, missing field, not found). The other functions are unaffected."""


class TransientError(IntacctError, kinds.TransientError):
    """Infrastructure trouble (5xx, HTML error page, dropped connection on a read, outage message). Retry.

    `may_have_run` is False when the gateway cannot have run the request (no connection, refused
    before processing): then even a non-idempotent call such as readMore may be repeated."""

    def __init__(
        self,
        context: str,
        errors: Sequence[ErrorDetail] = (),
        *,
        function: str | None = None,
        controlid: str | None = None,
        retry_after: float | None = None,
        min_wait: float = 0.0,
        may_have_run: bool = True,
    ) -> None:
        self.retry_after = retry_after
        self.min_wait = min_wait
        self.may_have_run = may_have_run
        super().__init__(context, errors, function=function, controlid=controlid)


class RateLimited(TransientError, kinds.RateLimited):
    """HTTP 429 / GW-0010 / "API rate limit exceeded". Retry after Retry-After (if given) or a backoff."""


class ParseError(IntacctError, kinds.ParseError):
    """The response was not well-formed, not the expected shape, or hostile (DTD, entities)."""


class HostileResponse(ParseError):
    """The response holds a DTD, an entity or an external reference: never read, retried once at most."""

    max_attempts = HOSTILE_ATTEMPTS


class UnknownOutcome(IntacctError, kinds.UnknownOutcome):
    """A write may or may not have been applied (HTTP 524, timeout or dropped connection after sending,
    unparsable response). Never retry blindly: read the record back by its external key first."""


class DuplicateControlId(IntacctError, kinds.UnknownOutcome):
    """uniqueid=true refused a function controlid that was already executed: the write was probably
    applied by an earlier attempt. Verify by reading the record back."""


class RequestSlotsBusy(IntacctError, kinds.QuotaExceeded):
    """Every one of the company's concurrent-request slots stayed held (by this or other flows and containers) until
    the run's deadline: the run stops cleanly at its checkpoint and the next one resumes. Nothing was sent."""
