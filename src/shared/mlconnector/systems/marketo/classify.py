"""Which Marketo failures are retried, refreshed, or raised at once (reference §3-§4).

| failure                                        | becomes                                        |
|------------------------------------------------|------------------------------------------------|
| 601 / 602 (token invalid / expired)            | TokenRejected: new token once, replay once     |
| 606 (100 calls / 20 s), HTTP 429               | RateLimited: wait for the window (Retry-After) |
| 615 (10 concurrent calls)                      | RateLimited: backoff                           |
| 607 (daily quota)                              | QuotaExceeded: never retried, the run stops    |
| 603 (access denied)                            | PermissionDenied naming the role permission    |
| 502/604/608/611/713, HTTP 5xx, lost connection | TransientError: backoff                        |
| 614 (subscription unreachable)                 | TransientError: slow backoff                   |
| 1003, 609, 610, ... anything else              | RequestError: not retried                      |
| identity HTTP 401                              | AuthenticationError: fail fast                 |
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import cast

import requests

from mlconnector import request_core
from mlconnector.http import HttpReply, retry_after_from
from mlconnector.oauth_tokens import oauth_error_text
from mlconnector.systems.marketo.errors import (
    AuthenticationError,
    ConfigurationError,
    ErrorDetail,
    MarketoError,
    PermissionDenied,
    QuotaExceeded,
    RateLimited,
    RequestError,
    TokenRejected,
    TransientError,
)

ERRORS = request_core.SystemErrors("Marketo", TransientError)


@dataclass(frozen=True)
class ErrorRules:
    """Codes (strings, as Marketo sends them) deciding the class of a failure, and the pauses that go with
    them. Entries marked UNVERIFIED are assumptions (see the reference); change them per deployment or to
    match the simulator."""

    # "600" (empty access token) is only listed by third parties (UNVERIFIED); a refresh is harmless.
    token_codes: frozenset[str] = frozenset({"600", "601", "602"})
    window_codes: frozenset[str] = frozenset({"606"})
    concurrency_codes: frozenset[str] = frozenset({"615"})
    quota_codes: frozenset[str] = frozenset({"607"})
    permission_codes: frozenset[str] = frozenset({"603"})
    # 1014/1016/1019/1029 at response level are retried by marketorestpython as well.
    transient_codes: frozenset[str] = frozenset(
        {"502", "604", "608", "611", "713", "719", "1014", "1016", "1019", "1029"}
    )
    slow_transient_codes: frozenset[str] = frozenset({"614"})
    empty_search_codes: frozenset[str] = frozenset({"702"})
    window_seconds: float = 20.0
    """Marketo's sliding rate window: after a 606, waiting this long frees every call it counted."""
    concurrency_min_wait: float = 1.0  # UNVERIFIED: Marketo documents no pause for 615
    slow_min_wait: float = 30.0
    rest_401_is_token_problem: bool = True
    """UNVERIFIED: Marketo reports token problems as 601/602 inside HTTP 200; an HTTP 401 on a REST call
    is treated the same way (refresh once) rather than as bad credentials."""

    def has(self, errors: Sequence[ErrorDetail], codes: frozenset[str]) -> bool:
        return any(e.code in codes for e in errors)


DEFAULT_RULES = ErrorRules()


def window_wait(retry_after: float | None, rules: ErrorRules) -> float:
    """How long to pause after the window filled up: Retry-After when the server gave one, else a full window."""
    return retry_after if retry_after is not None else rules.window_seconds


def is_empty_search(errors: Sequence[ErrorDetail], rules: ErrorRules = DEFAULT_RULES) -> bool:
    """702 "no data found": a query that matched nothing, not a failure."""
    return bool(errors) and all(e.code in rules.empty_search_codes for e in errors)


def _limit_failure(
    errors: Sequence[ErrorDetail], *, what: str, retry_after: float | None, rules: ErrorRules
) -> MarketoError | None:
    """Quota (607), rate window (606) and concurrency (615)."""
    if rules.has(errors, rules.quota_codes):
        return QuotaExceeded(
            f"{what}: Marketo daily API quota used up; resume after the reset (midnight US Central)", errors
        )
    if rules.has(errors, rules.window_codes):
        return RateLimited(
            f"{what}: Marketo rate limit (100 calls / 20 s per instance)",
            errors,
            retry_after=retry_after,
            min_wait=window_wait(retry_after, rules),
            window_full=True,
        )
    if rules.has(errors, rules.concurrency_codes):
        return RateLimited(
            f"{what}: Marketo concurrency limit (10 calls at once per instance)",
            errors,
            retry_after=retry_after,
            min_wait=rules.concurrency_min_wait,
        )
    return None


def _transient_failure(
    errors: Sequence[ErrorDetail], *, what: str, retry_after: float | None, rules: ErrorRules
) -> MarketoError | None:
    if rules.has(errors, rules.transient_codes):
        return TransientError(f"{what}: Marketo could not process the request now", errors, retry_after=retry_after)
    if rules.has(errors, rules.slow_transient_codes):
        return TransientError(
            f"{what}: Marketo subscription unreachable", errors, retry_after=retry_after, min_wait=rules.slow_min_wait
        )
    return None


def response_failure(
    errors: Sequence[ErrorDetail],
    *,
    what: str,
    permission: str,
    retry_after: float | None = None,
    rules: ErrorRules = DEFAULT_RULES,
) -> MarketoError:
    """The error for a `success: false` envelope. `permission` names the role permission the call needs."""
    found = _limit_failure(errors, what=what, retry_after=retry_after, rules=rules)
    if found is not None:
        return found
    if rules.has(errors, rules.token_codes):
        return TokenRejected(f"{what}: Marketo refused the access token", errors)
    if rules.has(errors, rules.permission_codes):
        return PermissionDenied(
            f"{what}: Marketo denied access; the API user's role needs the '{permission}' permission "
            "(or an IP allow-list blocks this caller)",
            errors,
            permission=permission,
        )
    found = _transient_failure(errors, what=what, retry_after=retry_after, rules=rules)
    return found or RequestError(f"{what}: Marketo rejected the request", errors)


_TOO_LARGE = {413: "request body over Marketo's 1 MB limit", 414: "URI over Marketo's 8 KB limit"}


def http_failure(reply: HttpReply, *, what: str, now: float, rules: ErrorRules = DEFAULT_RULES) -> MarketoError | None:
    """None when a REST reply's body should be read as the envelope (2xx), else the error."""
    if 200 <= reply.status < 300:
        return None
    retry_after = retry_after_from(reply.headers, now=now)
    context = f"{what}: HTTP {reply.status} from Marketo"
    if reply.status == 401 and rules.rest_401_is_token_problem:
        return TokenRejected(f"{context} (token refused)")
    if reply.status == 429:
        return RateLimited(
            f"{context} (rate limited)",
            retry_after=retry_after,
            min_wait=window_wait(retry_after, rules),
            window_full=True,
        )
    if reply.status in _TOO_LARGE:
        return RequestError(f"{context} ({_TOO_LARGE[reply.status]})")
    if reply.status >= 500 or reply.status == 408:
        return TransientError(context, retry_after=retry_after)
    return RequestError(f"{context} ({reply.content_type or 'no content type'}); check the base URL and path")


def identity_failure(reply: HttpReply, *, now: float, secrets: Sequence[str]) -> MarketoError | None:
    """None for a 2xx token reply, else the error. Bad credentials fail fast: no retry storm."""
    if 200 <= reply.status < 300:
        return None
    context = f"Marketo identity: HTTP {reply.status}"
    if reply.status in (400, 401, 403):
        return AuthenticationError(
            f"{context}: client id or secret refused - {identity_error_text(reply.body, secrets)}; "
            "check the LaunchPoint custom service in the secret"
        )
    retry_after = retry_after_from(reply.headers, now=now)
    if reply.status == 429 or reply.status >= 500 or reply.status == 408:
        return TransientError(context, retry_after=retry_after)
    return ConfigurationError(f"{context}; check the base URL")


def identity_error_text(body: bytes, secrets: Sequence[str]) -> str:
    """`error: error_description` of the Spring-style OAuth error body, scrubbed, or a placeholder."""
    return oauth_error_text(body, secrets) or "no details"


def transport_failure(exc: requests.RequestException, *, what: str) -> TransientError:
    """A network failure as a TransientError; the message names the exception type, never its text (which
    may include the URL and so the identity call's query string)."""
    return cast(TransientError, request_core.transport_failure(exc, what=what, errors=ERRORS))


retry_decision = request_core.retry_decision
"""TokenRejected is not retried (the request core refreshes the token once and replays); QuotaExceeded, permission
and request errors are never retried."""
retry_decision_not_idempotent = request_core.retry_decision_not_idempotent
"""For calls that must not run twice (createDuplicate): retry only what cannot have run."""
