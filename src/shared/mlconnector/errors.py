"""One error taxonomy for every system: a root, the kinds of failure every client shares, and what each kind
means for the caller (its `Action`).

Each system subclasses its root from `ConnectorError` and each of its classes from the kind it is, e.g.
`marketo.RateLimited(marketo.TransientError, errors.RateLimited)`. Code that cares about one system catches that
system's classes, as before; code that only cares what to do (retry, stop the run, read back, tell the operator)
catches a kind, whatever the system. Which reply becomes which kind is data, one table per system (see
`StatusTable` and each system's classify.py), in the spirit of Airbyte's error mapping: status or code → kind →
action. The retry decision by kind is in request_core.py.

| kind                 | action            | meaning                                                           |
|----------------------|-------------------|-------------------------------------------------------------------|
| ConfigurationError   | FAIL              | our side is wrong (secret, URL, config): fix it, no retry         |
| AuthenticationError  | FAIL              | credentials refused: fail fast (retries could lock the user out)  |
| TokenRejected        | REFRESH_AND_RETRY | the token or session was refused: get a new one once, replay once |
| TransientError       | RETRY             | back off and try again (Retry-After and a floor honoured)         |
| RateLimited          | WAIT_AND_RETRY    | a limit was hit: wait (`min_wait`, Retry-After), then try again   |
| QuotaExceeded        | STOP              | the period's quota is used up: stop the run, resume next run      |
| UnknownOutcome       | VERIFY            | a write may have been applied: read it back before any retry      |
| ParseError           | RETRY             | a reply we cannot read (a write's becomes an UnknownOutcome)      |
| RecordError          | SKIP_RECORD       | this record (or request) is refused; the others go on             |
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from enum import StrEnum
from typing import ClassVar

REDACTED = "REDACTED"


def scrub(text: str, secrets: Iterable[str]) -> str:
    """`text` with every (non-empty) secret replaced, so a server echoing a value cannot leak it."""
    for secret in secrets:
        if secret:
            text = text.replace(secret, REDACTED)
    return text


class Action(StrEnum):
    """What the caller does with a failure of a kind (Airbyte's ResponseAction, plus what a sync engine needs)."""

    FAIL = "fail"
    RETRY = "retry"
    WAIT_AND_RETRY = "wait_and_retry"
    REFRESH_AND_RETRY = "refresh_and_retry"
    STOP = "stop"
    VERIFY = "verify"
    SKIP_RECORD = "skip_record"


class ConnectorError(Exception):
    """The root of every failure a system client raises. Catching it gives one line for the operator."""

    action: ClassVar[Action] = Action.FAIL


class ConfigurationError(ConnectorError, RuntimeError):
    """Our side is wrong: a missing or malformed secret, a URL we may not send credentials to, a bad setting.
    (A RuntimeError too, as `mlconnector.config.ConfigurationError` always was.)"""


class AuthenticationError(ConnectorError):
    """Credentials refused, or a token refused again right after a fresh one. Fail fast."""


class TokenRejected(AuthenticationError):
    """The access token or session was refused: the request core gets a new one once and replays once."""

    action = Action.REFRESH_AND_RETRY


class TransientError(ConnectorError):
    """Worth another try. `may_have_run` is False when the request cannot have been processed (no connection,
    refused before processing): only then is a call that must not run twice repeated."""

    action = Action.RETRY
    retry_after: float | None = None
    min_wait: float = 0.0
    may_have_run: bool = True


class RateLimited(TransientError):
    """A rate or concurrency limit: wait at least `min_wait` (or Retry-After), then try again. Refused before
    processing, so even a non-idempotent call may be repeated."""

    action = Action.WAIT_AND_RETRY
    may_have_run = False


class QuotaExceeded(ConnectorError):
    """The period's call quota is used up: never retried, the run stops cleanly and the next one resumes."""

    action = Action.STOP


class UnknownOutcome(ConnectorError):
    """A write may or may not have been applied: never retried blindly; read the record back first."""

    action = Action.VERIFY


class ParseError(ConnectorError):
    """A reply that is not what we expect (not JSON/XML, wrong shape, hostile). Retried for reads, at most
    `max_attempts` times when that is set."""

    action = Action.RETRY
    max_attempts: int | None = None


class RecordError(ConnectorError):
    """This record, or the request carrying it, was refused: the same input fails again; the others go on."""

    action = Action.SKIP_RECORD


def action_of(exc: BaseException) -> Action:
    return exc.action if isinstance(exc, ConnectorError) else Action.FAIL


# --------------------------------------------------------------------------- classification as data


@dataclass(frozen=True)
class Rule:
    """One row of a classification table: the system's error class (its kind decides the action) and a note
    for the message."""

    kind: type[ConnectorError]
    note: str = ""

    @property
    def action(self) -> Action:
        return self.kind.action


StatusKey = int | str
"""An HTTP status (429) or a class of them ("5xx")."""


@dataclass(frozen=True)
class StatusTable:
    """HTTP status → Rule, exact statuses before classes ("5xx"), then the default."""

    rules: Mapping[StatusKey, Rule]
    default: Rule

    def rule(self, status: int) -> Rule:
        return self.rules.get(status) or self.rules.get(f"{status // 100}xx") or self.default

    def rows(self) -> list[tuple[str, str, str]]:
        """(status, kind, action) rows, e.g. for documentation or a test."""
        rows = [(str(k), r.kind.__name__, r.action.value) for k, r in self.rules.items()]
        return [*rows, ("other", self.default.kind.__name__, self.default.action.value)]
