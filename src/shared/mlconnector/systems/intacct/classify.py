"""Which exception a failure becomes, and whether to retry it: §9 "Retry matrix" of the reference.

| condition                                            | read                    | write (uniqueid=true)            |
|------------------------------------------------------|-------------------------|----------------------------------|
| connection not established (connect error/timeout)   | TransientError          | TransientError                   |
| read timeout / dropped after send / HTTP 524         | TransientError          | UnknownOutcome (read back first) |
| HTTP 429, GW-0010, "API rate limit exceeded"         | RateLimited (>= 5 s)    | RateLimited (same controlid)     |
| HTTP 5xx, HTML or Cloudflare page                    | TransientError          | TransientError (same controlid)  |
| response not parsable                                | ParseError (retried)    | UnknownOutcome                   |
| hostile response (DTD, entity, external reference)   | HostileResponse (1 retry) | UnknownOutcome                 |
| "Temporarily Off-line", "Please Try Again Later"     | TransientError (longer) | TransientError (longer)          |
| authentication failure about the session            | SessionExpired: re-login once, replay                      |
| other authentication failures, GW-0011, JPP0002      | AuthenticationError (fail fast)                            |
| control XL03000003 (our XML is invalid)              | ConfigurationError (fail fast)                             |
| result failure (BL…, XL03000010, …)                  | ResultError for that function only                         |
| duplicate function controlid                         | -                       | DuplicateControlId (read back)   |
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from typing import cast

import requests

from mlconnector import request_core
from mlconnector.systems.intacct.errors import (
    AuthenticationError,
    ConfigurationError,
    DuplicateControlId,
    ErrorDetail,
    IntacctError,
    ParseError,
    RateLimited,
    ResultError,
    SessionExpired,
    TransientError,
    UnknownOutcome,
)


@dataclass(frozen=True)
class ErrorRules:
    """Codes and phrases that decide the class of a failure. Phrases are matched case-insensitively
    against description, description2 and correction. Entries marked UNVERIFIED are assumptions
    (see the reference) and can be changed per deployment or for the simulator."""

    auth_errornos: frozenset[str] = frozenset({"XL03000006", "XMLGW_JPP0002", "GW-0011"})
    config_errornos: frozenset[str] = frozenset({"XL03000003"})
    rate_limit_errornos: frozenset[str] = frozenset({"GW-0010"})
    rate_limit_phrases: tuple[str, ...] = ("api rate limit exceeded",)
    transient_phrases: tuple[str, ...] = ("temporarily off-line", "temporarily offline", "please try again later")
    session_phrases: tuple[str, ...] = ("session",)  # UNVERIFIED beyond "Invalid session"
    # UNVERIFIED: no published example of the duplicate-controlid error exists. The simulator's
    # placeholder code is listed; the patterns catch wording such as "control ID … already used".
    duplicate_errornos: frozenset[str] = frozenset({"SIM-DUPLICATE-CONTROLID"})
    duplicate_patterns: tuple[str, ...] = (
        r"control\s*id\b.*\b(already|duplicate|previously|used)",
        r"\b(duplicate|already)\b.*\bcontrol\s*id",
    )
    rate_limit_min_wait: float = 5.0
    outage_min_wait: float = 30.0

    def matches(self, errors: Sequence[ErrorDetail], phrases: Sequence[str]) -> bool:
        text = " ".join(e.text() for e in errors).lower()
        return any(p in text for p in phrases)

    def has_errorno(self, errors: Sequence[ErrorDetail], codes: frozenset[str]) -> bool:
        return any(e.errorno.upper() in codes for e in errors)

    def is_duplicate(self, errors: Sequence[ErrorDetail]) -> bool:
        if self.has_errorno(errors, self.duplicate_errornos):
            return True
        text = " ".join(e.text() for e in errors).lower()
        return any(re.search(p, text) for p in self.duplicate_patterns)


DEFAULT_RULES = ErrorRules()
ERRORS = request_core.SystemErrors("Intacct", TransientError, unknown_outcome=UnknownOutcome)


def _throttle_or_outage(
    context: str, errors: Sequence[ErrorDetail], rules: ErrorRules, retry_after: float | None, **where: str
) -> IntacctError | None:
    # Control- and authentication-level refusals happen before any function runs.
    ran = bool(where)
    if rules.has_errorno(errors, rules.rate_limit_errornos) or rules.matches(errors, rules.rate_limit_phrases):
        return RateLimited(
            context, errors, retry_after=retry_after, min_wait=rules.rate_limit_min_wait, may_have_run=ran, **where
        )
    if rules.matches(errors, rules.transient_phrases):
        return TransientError(
            context, errors, retry_after=retry_after, min_wait=rules.outage_min_wait, may_have_run=ran, **where
        )
    return None


def control_failure(
    errors: Sequence[ErrorDetail],
    *,
    http_status: int = 200,
    retry_after: float | None = None,
    rules: ErrorRules = DEFAULT_RULES,
) -> IntacctError:
    """Control status failure: nothing in the request ran."""
    context = "Intacct refused the request (control block)"
    if http_status == 429:
        return RateLimited(
            context, errors, retry_after=retry_after, min_wait=rules.rate_limit_min_wait, may_have_run=False
        )
    found = _throttle_or_outage(context, errors, rules, retry_after)
    if found is not None:
        return found
    if http_status == 401 or rules.has_errorno(errors, rules.auth_errornos):
        return AuthenticationError("Intacct refused the sender credentials or the sign-in", errors)
    if rules.has_errorno(errors, rules.config_errornos):
        return ConfigurationError("Intacct could not parse or validate our request XML", errors)
    return IntacctError(context, errors)


def authentication_failure(
    errors: Sequence[ErrorDetail],
    *,
    used_session: bool,
    rules: ErrorRules = DEFAULT_RULES,
) -> IntacctError:
    """Operation-level authentication failure: no function ran."""
    found = _throttle_or_outage("Intacct authentication unavailable", errors, rules, None)
    if found is not None:
        return found
    if used_session or rules.matches(errors, rules.session_phrases):
        return SessionExpired("Intacct refused the session", errors)
    return AuthenticationError("Intacct refused the login (user id, company id or user password)", errors)


def result_failure(
    errors: Sequence[ErrorDetail],
    *,
    function: str,
    controlid: str,
    status: str,
    uniqueid: bool,
    rules: ErrorRules = DEFAULT_RULES,
) -> IntacctError:
    """One function's failure; the other functions of the request are unaffected."""
    where = {"function": function, "controlid": controlid}
    if uniqueid and (not status or rules.is_duplicate(errors)):
        # A result without <status> was the only real-world duplicate report (intacct-sdk-js#70).
        return DuplicateControlId("Intacct refused a repeated function controlid (probably applied)", errors, **where)
    if not status:
        return ParseError("Intacct result has no status", errors, **where)
    found = _throttle_or_outage("Intacct function could not run now", errors, rules, None, **where)
    if found is not None:
        return found
    if status == "aborted":
        return ResultError("Intacct function rolled back with its transaction", errors, **where)
    return ResultError("Intacct function failed", errors, **where)


def transport_failure(exc: requests.RequestException, *, write: bool, what: str) -> IntacctError:
    """A `requests` exception as an Intacct error. Only a write that never left us is safe to retry."""
    return cast(IntacctError, request_core.transport_failure(exc, what=what, errors=ERRORS, write=write))


retry_decision = request_core.retry_decision
"""The classifier given to `mlconnector.http.Retrier`, by kind. SessionExpired is not retried here: the request
core logs in again once and replays. UnknownOutcome and DuplicateControlId are never retried; a HostileResponse
is tried twice at most (HOSTILE_ATTEMPTS)."""
retry_decision_not_idempotent = request_core.retry_decision_not_idempotent
"""For reads that move a server-side position (readMore): retry only what cannot have run."""


__all__ = [
    "DEFAULT_RULES",
    "ErrorRules",
    "authentication_failure",
    "control_failure",
    "result_failure",
    "retry_decision",
    "retry_decision_not_idempotent",
    "transport_failure",
]
