"""Which Commerce failures are retried, refreshed, or raised at once (reference §3).

| reply                                      | becomes                                                     |
|--------------------------------------------|-------------------------------------------------------------|
| 5xx, 408, lost connection, bad JSON        | TransientError: backoff, Retry-After honoured               |
| 429                                        | RateLimited: backoff, Retry-After; refused before processing |
| 400 (validation, pageSize > 300, ...)      | RequestError naming the entity, message template filled in  |
| 401                                        | TokenRejected: SaaS re-mints once; PaaS fails fast          |
| 403                                        | AuthenticationError (OAuth permission / consumer problems)  |
| 404 on a B2B route, route missing          | B2BUnavailable                                              |
| 404 otherwise                              | NotFound (no such entity) or RequestError (no such route)   |
| anything else                              | RequestError                                                |

429/503 on PaaS usually come from a CDN or WAF with an HTML body: the body is then simply not an envelope.
The HTTP part of this table is `HTTP_STATUS` (and `IMS_STATUS` for the token call): status → kind → action.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import cast

import requests

from mlconnector import request_core
from mlconnector.errors import Rule, StatusTable
from mlconnector.http import HttpReply, RetryDecision, retry_after_from
from mlconnector.oauth_tokens import oauth_error_text
from mlconnector.systems.commerce.entities import Entity
from mlconnector.systems.commerce.envelope import parse_error_body
from mlconnector.systems.commerce.errors import (
    AuthenticationError,
    B2BUnavailable,
    CommerceError,
    NotFound,
    RateLimited,
    RequestError,
    TokenRejected,
    TransientError,
    scrub,
)

MAX_DETAIL = 500
ERRORS = request_core.SystemErrors("Commerce", TransientError)

HTTP_STATUS = StatusTable(
    {
        401: Rule(TokenRejected, "SaaS re-mints the IMS token once; PaaS fails fast"),
        403: Rule(AuthenticationError, "forbidden"),
        404: Rule(NotFound, "no such entity, no such route, or no B2B extension"),
        408: Rule(TransientError),
        429: Rule(RateLimited),
        "5xx": Rule(TransientError),
    },
    default=Rule(RequestError, "Commerce refused"),
)
IMS_STATUS = StatusTable(
    {
        400: Rule(AuthenticationError, "client id, secret or scopes refused"),
        401: Rule(AuthenticationError, "client id, secret or scopes refused"),
        403: Rule(AuthenticationError, "client id, secret or scopes refused"),
        408: Rule(TransientError),
        429: Rule(RateLimited),
        "5xx": Rule(TransientError),
    },
    default=Rule(RequestError, "check ims_token_url"),
)


def http_failure(
    reply: HttpReply, *, what: str, entity: Entity | None, now: float, secrets: Sequence[str]
) -> CommerceError | None:
    """None for a 2xx reply, else the error for it."""
    status = reply.status
    if 200 <= status < 300:
        return None
    body = parse_error_body(reply.body)
    detail = scrub(body.text(), secrets)[:MAX_DETAIL] if body is not None else ""
    context = f"{what}: HTTP {status} from Commerce"
    rule = HTTP_STATUS.rule(status)
    if issubclass(rule.kind, TransientError):  # TransientError or RateLimited
        return rule.kind(context, status=status, detail=detail, retry_after=retry_after_from(reply.headers, now=now))
    if rule.kind is TokenRejected:
        resources = scrub(body.parameters.get("resources", ""), secrets) if body is not None else ""
        return TokenRejected(context, status=status, detail=detail, resources=resources)
    if rule.kind is AuthenticationError:
        return AuthenticationError(f"{context} ({rule.note})", status=status, detail=detail)
    if rule.kind is NotFound:
        return _not_found(context, entity, detail, route_missing=body is None or body.route_missing)
    label = f" the {entity.what} request" if entity is not None else " the request"
    return RequestError(f"{context}: {rule.note}{label}", status=status, detail=detail)


def _not_found(context: str, entity: Entity | None, detail: str, *, route_missing: bool) -> RequestError:
    if entity is not None and entity.b2b and route_missing:
        return B2BUnavailable(
            f"{context}: B2B not available on this store (no {entity.what} route; the B2B extension is not "
            "installed or this route is not offered over REST)",
            status=404,
            detail=detail,
        )
    if route_missing:
        return RequestError(f"{context}: no such route; check the base URL", status=404, detail=detail)
    label = entity.what if entity is not None else "entity"
    return NotFound(f"{context}: no such {label}", status=404, detail=detail)


def transport_failure(exc: requests.RequestException, *, what: str) -> TransientError:
    """A network failure; the message names the exception type, never its text (which may hold the URL)."""
    return cast(TransientError, request_core.transport_failure(exc, what=what, errors=ERRORS))


def retry_decision(exc: BaseException) -> RetryDecision:
    """The classifier for `mlconnector.http.Retrier`, by kind: only transient failures are retried (401 is handled
    by the request core, which re-mints an IMS token once)."""
    return request_core.retry_decision(exc)


def retry_decision_not_idempotent(exc: BaseException) -> RetryDecision:
    """For calls that must not run twice (create): retry only what cannot have reached Commerce, or a 429
    (RateLimited: refused before processing)."""
    return request_core.retry_decision_not_idempotent(exc)


def ims_failure(reply: HttpReply, *, now: float, secrets: Sequence[str]) -> CommerceError | None:
    """None for a 2xx IMS reply, else the error. Refused client credentials fail fast: no retry storm."""
    if 200 <= reply.status < 300:
        return None
    context = f"Adobe IMS token: HTTP {reply.status}"
    rule = IMS_STATUS.rule(reply.status)
    if rule.kind is AuthenticationError:
        return AuthenticationError(
            f"{context}: {rule.note}; check the OAuth server-to-server credential",
            status=reply.status,
            detail=oauth_error_text(reply.body, secrets),
        )
    if issubclass(rule.kind, TransientError):
        return rule.kind(context, status=reply.status, retry_after=retry_after_from(reply.headers, now=now))
    return RequestError(f"{context}; {rule.note}", status=reply.status)
