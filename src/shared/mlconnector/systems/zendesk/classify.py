"""Which Zendesk failures are retried, stop the run, fail fast or are the record's own (reference §1.3, §2, §3;
verified §3).

| reply                                                  | becomes                                                   |
|--------------------------------------------------------|-----------------------------------------------------------|
| 401 (`Couldn't authenticate you`, `invalid_token`)      | TokenRejected for a refreshable OAuth pair (once), else   |
|                                                        | AuthenticationError: fail fast                            |
| 403 (`Forbidden`)                                      | PermissionDenied naming the role the call needs           |
| 429 (`APIRateLimitExceeded`, any body)                 | RateLimited, Retry-After honoured; TooManyJobs for jobs   |
| ... Retry-After beyond the run's time left             | RetryLater: the run stops at its checkpoint (client.py)   |
| 409 (a concurrent write)                               | TransientError, refused before processing: retried        |
| 408, 5xx (520/524 too)                                 | TransientError: back off                                  |
| 400 (`TooManyValues`), 404 (`RecordNotFound`), 422      | RequestError with Zendesk's text (per record/request)     |
| (`RecordInvalid`, `DuplicateValue` in details)         |                                                           |

Bodies are read in every shape Zendesk uses: `{"error", "description", "details"}`, `{"error": {"title",
"message"}}`, OAuth's `{"error", "error_description"}` and JSON:API `{"errors": [{"code", "title", "detail"}]}`; a
429's may be plain text (the status and Retry-After decide). Kinds key on `error` words and statuses, never on the
localised `description`; which words mean the job queue is full is UNVERIFIED (any 429 body naming jobs).
"""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from mlconnector import request_core
from mlconnector.errors import Rule, StatusTable
from mlconnector.http import HttpReply, retry_after_from
from mlconnector.systems.zendesk.errors import (
    AuthenticationError,
    ParseError,
    PermissionDenied,
    RateLimited,
    RequestError,
    Said,
    TooManyJobs,
    TransientError,
    ZendeskError,
    scrub,
)

ERRORS = request_core.SystemErrors("Zendesk", TransientError)
RATE_LIMIT_MIN_WAIT = 1.0
"""The shortest pause after a 429 without Retry-After."""
MAX_TEXT = 500

HTTP_STATUS = StatusTable(
    {
        400: Rule(RequestError, "refused"),
        401: Rule(AuthenticationError, "credentials refused"),
        403: Rule(PermissionDenied, "forbidden"),
        404: Rule(RequestError, "not found"),
        408: Rule(TransientError, "timed out"),
        409: Rule(TransientError, "conflict with a concurrent write"),
        422: Rule(RequestError, "record invalid"),
        429: Rule(RateLimited, "rate limited"),
        "5xx": Rule(TransientError, "server error"),
    },
    default=Rule(RequestError, "refused"),
)


@dataclass(frozen=True)
class Call:
    """What a call is, for its messages: `what` failed, and what the user behind the credentials needs for it."""

    what: str
    needs: str = "an agent or admin role with access to this"


def said_of(body: bytes, *, status: int, secrets: Sequence[str]) -> Said:
    """What Zendesk said in an error body (any of its shapes), scrubbed and cut; {} parts when it said nothing."""
    try:
        data: Any = json.loads(body) if body.strip() else None
    except (ValueError, UnicodeDecodeError):
        data = None
    word, parts = "", list[str]()
    if isinstance(data, dict):
        error = data.get("error")
        if isinstance(error, str):
            word = error
        elif isinstance(error, dict):
            word = _text(error.get("title"))
            parts.append(_text(error.get("message")))
        parts.append(_text(data.get("description")) or _text(data.get("error_description")))
        parts.append(details_text(data.get("details")))
        errors = data.get("errors")
        if isinstance(errors, list):
            for item in errors:
                if isinstance(item, dict):
                    word = word or _text(item.get("code"))
                    parts.append(": ".join(p for p in (_text(item.get("title")), _text(item.get("detail"))) if p))
    elif body.strip() and data is None and status == 429:
        parts.append(body[:200].decode("utf-8", "replace").strip())
    detail = scrub("; ".join(p for p in parts if p), secrets)[:MAX_TEXT]
    return Said(status=status, error=scrub(word, secrets)[:80], detail=detail)


def details_text(details: object) -> str:
    """`details` as text: `{"name": [{"description": "Name: Acme has already been taken", "error":
    "DuplicateValue"}]}` -> "name: DuplicateValue Name: Acme has already been taken"; a string as it is."""
    if isinstance(details, str):
        return details
    if not isinstance(details, Mapping):
        return ""
    out = []
    for field_name, items in details.items():
        for item in items if isinstance(items, list) else [items]:
            if isinstance(item, Mapping):
                text = " ".join(p for p in (_text(item.get("error")), _text(item.get("description"))) if p)
            else:
                text = _text(item)
            if text:
                out.append(f"{field_name}: {text}")
    return "; ".join(out)


def reply_failure(reply: HttpReply, *, call: Call, now: float, secrets: Sequence[str]) -> ZendeskError | None:
    """None for a 2xx reply, else its error by status (and the body's words where they decide)."""
    if 200 <= reply.status < 300:
        return None
    said = said_of(reply.body, status=reply.status, secrets=secrets)
    rule = HTTP_STATUS.rule(reply.status)
    context = f"{call.what}: HTTP {reply.status} from Zendesk ({rule.note})"
    kind = rule.kind
    if issubclass(kind, RateLimited):
        wait = retry_after_from(reply.headers, now=now)
        limited = TooManyJobs if _about_jobs(said) else RateLimited
        if limited is TooManyJobs:
            context = f"{call.what}: Zendesk refused the job: too many jobs queued or running for the account"
        return limited(context, retry_after=wait, min_wait=RATE_LIMIT_MIN_WAIT, **said)
    if issubclass(kind, TransientError):
        conflict = reply.status == 409  # refused, not applied: even a create may be sent again
        return TransientError(context, may_have_run=False if conflict else None, **said)
    if issubclass(kind, PermissionDenied):
        return PermissionDenied(f"{context}: this needs {call.needs}", needs=call.needs, **said)
    if issubclass(kind, AuthenticationError):
        return AuthenticationError(f"{context}: check the credentials in the Zendesk secret", **said)
    if not issubclass(kind, ZendeskError):
        raise TypeError(f"a Zendesk rule names {kind.__name__}")  # a bug in the table
    error: ZendeskError = kind(context, **said)
    return error


def json_body(reply: HttpReply, *, what: str) -> Any:
    """The JSON of a 2xx reply (None when empty); an unreadable body is a ParseError (retried at most twice)."""
    if not reply.body.strip():
        return None
    try:
        return json.loads(reply.body)
    except (ValueError, UnicodeDecodeError):
        raise ParseError(f"{what}: Zendesk's reply is not JSON", status=reply.status, max_attempts=2) from None


def _about_jobs(said: Said) -> bool:
    text = f"{said.get('error', '')} {said.get('detail', '')}".lower()
    return "job" in text


def _text(value: object) -> str:
    return value.strip() if isinstance(value, str) else ""
