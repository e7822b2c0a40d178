"""Which Zoho CRM failures are retried, stop the run, fail fast or are the request's own (reference §1.4, §2.3, §3.5,
§6; verified §2).

| reply                                                       | becomes                                            |
|-------------------------------------------------------------|----------------------------------------------------|
| INVALID_TOKEN (401), a 401 without an envelope               | TokenRejected: a new token once, then fail         |
| AUTHENTICATION_FAILURE (401)                                 | AuthenticationError: fail fast                     |
| OAUTH_SCOPE_MISMATCH (401)                                   | ScopeMissing: names the scope to add               |
| NO_PERMISSION (403), AUTHORIZATION_FAILED (400)              | PermissionDenied: fail fast                        |
| TOO_MANY_REQUESTS (429)                                      | RateLimited: back off, Retry-After honoured        |
| ... saying credits, or X-API-CREDITS-REMAINING: 0            | CreditsExhausted: stop the run, resume next run    |
| INVALID_MODULE, NOT_SUPPORTED (400)                          | ModuleUnavailable: skip that module                |
| INVALID_URL_PATTERN (404), INVALID_REQUEST_METHOD            | ConfigurationError                                 |
| INTERNAL_ERROR, 5xx, 408                                     | TransientError: back off with jitter               |
| INVALID_DATA, LIMIT_EXCEEDED, INVALID_QUERY, ... (400)       | RequestError: this request is refused              |

Whether credit exhaustion answers TOO_MANY_REQUESTS or LIMIT_REACHED, and with which text, is UNVERIFIED: either
code saying "credit" is taken as exhaustion, and so is a credits header at 0. 429s that go on for minutes with no
such hint are too (the reference's advice; the client keeps that clock, see `RateLimitStreak`).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from mlconnector import request_core
from mlconnector.errors import Rule, StatusTable
from mlconnector.http import HttpReply, retry_after_from
from mlconnector.systems.zoho.envelope import Envelope, data_items, envelope_of, parse_json
from mlconnector.systems.zoho.errors import (
    AuthenticationError,
    ConfigurationError,
    CreditsExhausted,
    ModuleUnavailable,
    PermissionDenied,
    RateLimited,
    RequestError,
    Said,
    ScopeMissing,
    TokenRejected,
    TransientError,
    ZohoError,
    scrub,
)

ERRORS = request_core.SystemErrors("Zoho", TransientError)

RATE_LIMIT_MIN_WAIT = 2.0
"""The shortest pause after a 429 (the reference suggests 1-5 s for the concurrency limit; no Retry-After is
documented)."""
CREDITS_HEADER = "X-API-CREDITS-REMAINING"
"""Sent once half the day's credits are used (SECONDARY)."""
CREDITS_BACK_SECONDS = 24 * 3600.0

HTTP_STATUS = StatusTable(
    {
        400: Rule(RequestError, "refused"),
        401: Rule(TokenRejected, "token refused"),
        403: Rule(PermissionDenied, "forbidden: the user's profile may not do this"),
        404: Rule(ConfigurationError, "no such URL: check the api_domain and the module's API name"),
        408: Rule(TransientError, "timed out"),
        429: Rule(RateLimited, "too many requests at once"),
        "5xx": Rule(TransientError, "server error"),
    },
    default=Rule(RequestError, "refused"),
)
"""For replies without Zoho's envelope (an edge page, an empty body)."""

CODES: Mapping[str, Rule] = {
    "INVALID_TOKEN": Rule(TokenRejected, "access token refused"),
    "AUTHENTICATION_FAILURE": Rule(AuthenticationError, "authentication failed: the Authorization header was refused"),
    "OAUTH_SCOPE_MISMATCH": Rule(ScopeMissing, "the refresh token was granted without a scope this call needs"),
    "NO_PERMISSION": Rule(PermissionDenied, "the user's profile lacks a permission"),
    "AUTHORIZATION_FAILED": Rule(PermissionDenied, "the user's profile lacks a privilege"),
    "TOO_MANY_REQUESTS": Rule(RateLimited, "more calls at once than the edition allows"),
    "INVALID_MODULE": Rule(ModuleUnavailable, "the module is not available to this org (edition, tab permission)"),
    "NOT_SUPPORTED": Rule(ModuleUnavailable, "the module is not supported by the API for this operation"),
    "INVALID_URL_PATTERN": Rule(ConfigurationError, "no such URL: check the api_domain and the API version"),
    "INVALID_REQUEST_METHOD": Rule(ConfigurationError, "method not allowed on this URL"),
    "INTERNAL_ERROR": Rule(TransientError, "Zoho internal error"),
}
"""Request-level codes; any other code is the request's own refusal (RequestError, or the status's rule)."""

NEEDED_SCOPES = (
    "ZohoCRM.modules.ALL",
    "ZohoCRM.settings.modules.READ",
    "ZohoCRM.settings.fields.READ",
    "ZohoCRM.org.READ",
    "ZohoSearch.securesearch.READ",
)
"""Every scope the connector uses (ZohoCRM.settings.ALL covers the two settings scopes)."""


@dataclass(frozen=True)
class Call:
    """What a call is, for its messages: `what` failed, on which `module`, needing which OAuth `scope`."""

    what: str
    scope: str
    module: str | None = None


def reply_failure(
    reply: HttpReply, data: Any, *, call: Call, now: float, secrets: Sequence[str], credits_left: int | None
) -> ZohoError | None:
    """None when the reply is an answer (2xx; 304, nothing modified since If-Modified-Since; or an upsert's `data[]`
    of per-record results, which comes as 400 when every record failed), else its error. `data` is the decoded body
    (None when empty or unreadable)."""
    envelope = _request_envelope(data)
    ok_status = 200 <= reply.status < 300 or reply.status == 304
    if envelope is None and (ok_status or (reply.status == 400 and data_items(data) is not None)):
        return None
    retry_after = retry_after_from(reply.headers, now=now)
    if envelope is not None:
        return code_failure(
            envelope,
            status=reply.status,
            call=call,
            secrets=secrets,
            retry_after=retry_after,
            credits_left=credits_left,
        )
    rule = HTTP_STATUS.rule(reply.status)
    context = f"{call.what}: HTTP {reply.status} from Zoho ({rule.note})"
    return _build(rule.kind, context, call=call, retry_after=retry_after, said=Said(status=reply.status))


def code_failure(
    envelope: Envelope,
    *,
    status: int,
    call: Call,
    secrets: Sequence[str],
    retry_after: float | None = None,
    credits_left: int | None = None,
) -> ZohoError:
    """The error for one envelope, by its code (else by the HTTP status)."""
    detail = scrub(envelope.message, secrets)
    said = Said(status=status, code=envelope.code, detail=detail)
    if _credits_exhausted(envelope, detail, credits_left):
        return CreditsExhausted(
            f"{call.what}: Zoho's API credits for the rolling 24 hours are used up; the run stops here and the next "
            "run resumes (credits come back 24 hours after they were spent; add-on credits raise the allowance)",
            retry_after=CREDITS_BACK_SECONDS,
            **said,
        )
    rule = CODES.get(envelope.code) or HTTP_STATUS.rule(status)
    context = f"{call.what}: Zoho refused the call ({rule.note})"
    permissions = envelope.details.get("permissions")
    names = tuple(str(p) for p in permissions) if isinstance(permissions, list) else ()
    return _build(rule.kind, context, call=call, retry_after=retry_after, said=said, permissions=names)


def _build(
    kind: type[Any],
    context: str,
    *,
    call: Call,
    retry_after: float | None,
    said: Said,
    permissions: tuple[str, ...] = (),
) -> ZohoError:
    """One error of `kind`, with what its class needs to say what to do."""
    extra: dict[str, Any] = {}
    if issubclass(kind, TransientError):
        extra = {"retry_after": retry_after, "min_wait": RATE_LIMIT_MIN_WAIT if issubclass(kind, RateLimited) else 0.0}
    elif issubclass(kind, ModuleUnavailable):
        if call.module is None:
            kind = ConfigurationError
        else:
            context = f"{context}: skip {call.module} or check the edition and the profile's permissions"
            extra = {"module": call.module}
    elif issubclass(kind, ScopeMissing):
        context = (
            f"{context}: generate a refresh token with {call.scope} (the connector needs {', '.join(NEEDED_SCOPES)})"
        )
        extra = {"scope": call.scope}
    elif issubclass(kind, PermissionDenied):
        needs = f" ({', '.join(permissions)})" if permissions else ""
        context = f"{context}{needs}: give the user's profile that permission"
        extra = {"permissions": permissions}
    if not issubclass(kind, ZohoError):
        raise TypeError(f"a Zoho rule names {kind.__name__}, not a ZohoError")  # a bug in the tables
    error: ZohoError = kind(context, **extra, **said)
    return error


def _request_envelope(data: object) -> Envelope | None:
    """The request-level error envelope of a reply: at the top level, or (UNVERIFIED, the v8 OAS's upsert example) a
    request-level code as an error item of `data[]`. A success envelope, or a record that merely has a `code` field,
    is none."""
    top = envelope_of(data)
    if top is not None and top.code != "SUCCESS" and top.status != "success":
        return top
    for item in data_items(data) or ():
        found = envelope_of(item)
        if found is not None and found.code in CODES and found.status in ("error", ""):
            return found
    return None


def _credits_exhausted(envelope: Envelope, detail: str, credits_left: int | None) -> bool:
    if envelope.code not in ("TOO_MANY_REQUESTS", "LIMIT_REACHED"):
        return False
    return credits_left == 0 or "credit" in detail.lower()


def credits_left(headers: Mapping[str, str]) -> int | None:
    """X-API-CREDITS-REMAINING as a number, or None when absent or unreadable."""
    value = next((v for k, v in headers.items() if k.lower() == CREDITS_HEADER.lower()), None)
    if value is None or not value.strip().isdigit():
        return None
    return int(value.strip())


def decoded(reply: HttpReply, *, what: str) -> Any:
    """The reply's JSON (None for an empty body). An unreadable 2xx body is a ParseError; an unreadable error body is
    None (its status decides)."""
    if not reply.body.strip():
        return None
    if 200 <= reply.status < 300:
        return parse_json(reply.body, what=what, status=reply.status)
    try:
        return parse_json(reply.body, what=what, status=reply.status)
    except ZohoError:
        return None


@dataclass
class RateLimitStreak:
    """429s that go on for `stop_after` seconds with no answer between are taken as credits used up (the reference:
    "if repeated for minutes, assume credit exhaustion and stop the run")."""

    stop_after: float = 300.0
    since: float | None = None

    def answered(self) -> None:
        self.since = None

    def limited(self, now: float, error: RateLimited, call: Call) -> ZohoError:
        """The error to raise for this 429: itself, or CreditsExhausted once the streak is long enough."""
        if self.since is None:
            self.since = now
        if now - self.since < self.stop_after:
            return error
        return CreditsExhausted(
            f"{call.what}: Zoho has answered TOO_MANY_REQUESTS for {now - self.since:.0f} s; taking the org's API "
            "credits as used up, the run stops here and the next run resumes",
            retry_after=CREDITS_BACK_SECONDS,
            status=error.status,
            code=error.code,
            detail=error.detail,
        )
