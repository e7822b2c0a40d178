"""Which Commerce failures are retried, refreshed, or raised at once (reference §3).

| reply                                      | becomes                                                     |
|--------------------------------------------|-------------------------------------------------------------|
| 5xx, 429, 408, lost connection, bad JSON   | TransientError: backoff, Retry-After honoured               |
| 400 (validation, pageSize > 300, ...)      | RequestError naming the entity, message template filled in  |
| 401                                        | TokenRejected: SaaS re-mints once; PaaS fails fast          |
| 403                                        | AuthenticationError (OAuth permission / consumer problems)  |
| 404 on a B2B route, route missing          | B2BUnavailable                                              |
| 404 otherwise                              | NotFound (no such entity) or RequestError (no such route)   |
| anything else                              | RequestError                                                |

429/503 on PaaS usually come from a CDN or WAF with an HTML body: the body is then simply not an envelope.
"""

from __future__ import annotations

import json
from collections.abc import Sequence

import requests

from mlconnector.http import FAIL, HttpReply, RetryDecision, connection_never_established, retry_after_from
from mlconnector.systems.commerce.entities import Entity
from mlconnector.systems.commerce.envelope import parse_error_body
from mlconnector.systems.commerce.errors import (
    AuthenticationError,
    B2BUnavailable,
    CommerceError,
    NotFound,
    RequestError,
    TokenRejected,
    TransientError,
    scrub,
)

MAX_DETAIL = 500


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
    if status in {408, 429} or status >= 500:
        retry_after = retry_after_from(reply.headers, now=now)
        return TransientError(context, status=status, detail=detail, retry_after=retry_after)
    if status == 401:
        resources = scrub(body.parameters.get("resources", ""), secrets) if body is not None else ""
        return TokenRejected(context, status=status, detail=detail, resources=resources)
    if status == 403:
        return AuthenticationError(f"{context} (forbidden)", status=status, detail=detail)
    if status == 404:
        return _not_found(context, entity, detail, route_missing=body is None or body.route_missing)
    label = f" the {entity.what} request" if entity is not None else " the request"
    return RequestError(f"{context}: Commerce refused{label}", status=status, detail=detail)


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
    if connection_never_established(exc):
        return TransientError(f"{what}: could not connect to Commerce ({type(exc).__name__})", may_have_run=False)
    return TransientError(f"{what}: connection to Commerce failed ({type(exc).__name__})")


def retry_decision(exc: BaseException) -> RetryDecision:
    """The classifier for `mlconnector.http.Retrier`: only TransientError is retried (401 is handled by the
    client, which re-mints an IMS token once)."""
    if isinstance(exc, TransientError):
        return RetryDecision(retry=True, retry_after=exc.retry_after)
    return FAIL


def retry_decision_not_idempotent(exc: BaseException) -> RetryDecision:
    """For calls that must not run twice (create): retry only what cannot have reached Commerce, or a 429
    (refused before processing)."""
    if isinstance(exc, TransientError) and (not exc.may_have_run or exc.status == 429):
        return retry_decision(exc)
    return FAIL


def ims_failure(reply: HttpReply, *, now: float, secrets: Sequence[str]) -> CommerceError | None:
    """None for a 2xx IMS reply, else the error. Refused client credentials fail fast: no retry storm."""
    if 200 <= reply.status < 300:
        return None
    context = f"Adobe IMS token: HTTP {reply.status}"
    if reply.status in (400, 401, 403):
        return AuthenticationError(
            f"{context}: client id, secret or scopes refused; check the OAuth server-to-server credential",
            status=reply.status,
            detail=_oauth_error_text(reply.body, secrets),
        )
    if reply.status in {408, 429} or reply.status >= 500:
        return TransientError(context, status=reply.status, retry_after=retry_after_from(reply.headers, now=now))
    return RequestError(f"{context}; check ims_token_url", status=reply.status)


def _oauth_error_text(body: bytes, secrets: Sequence[str]) -> str:
    try:
        data = json.loads(body)
    except (ValueError, UnicodeDecodeError):
        return ""
    if not isinstance(data, dict):
        return ""
    parts = [str(data[k]) for k in ("error", "error_description") if data.get(k)]
    return scrub(": ".join(parts), secrets)[:300]
