"""What goes on the wire: JSON bodies as ``application/json; charset=utf-8``, problem documents as
``application/problem+json; charset=utf-8`` with their ``Link`` header, and an ``X-Request-Id`` on every answer
(a problem repeats it as ``instance``)."""

from __future__ import annotations

import json
import uuid
from typing import Any

from sandbox.core.messages import SimResponse
from sandbox.core.pages import reason_phrase
from sandbox.mailchimp.errors import ERRORS_DOC, ApiError

JSON_TYPE = "application/json; charset=utf-8"
PROBLEM_TYPE = "application/problem+json; charset=utf-8"


def request_id() -> str:
    return str(uuid.uuid4())


def dumps(payload: Any) -> bytes:
    return json.dumps(payload, separators=(",", ":"), ensure_ascii=False).encode()


def json_response(payload: Any, rid: str, status: int = 200) -> SimResponse:
    headers = {"Content-Type": JSON_TYPE, "X-Request-Id": rid}
    return SimResponse(status=status, headers=headers, body=dumps(payload), reason=reason_phrase(status))


def no_content(rid: str) -> SimResponse:
    """204: an empty body that still says application/json (captured), so SDKs hand back the raw response."""
    return SimResponse(status=204, headers={"Content-Type": JSON_TYPE, "X-Request-Id": rid}, reason="No Content")


def problem_body(error: ApiError, rid: str, *, with_type: bool) -> dict[str, Any]:
    body: dict[str, Any] = {"type": ERRORS_DOC} if with_type else {}
    body.update(title=error.title, status=error.status, detail=error.detail, instance=rid)
    if error.errors:
        body["errors"] = [item.as_json() for item in error.errors]
    return body


def problem_response(error: ApiError, rid: str, *, dc: str, with_type: bool) -> SimResponse:
    link = f'<https://{dc}.api.mailchimp.com/schema/3.0/Definitions/ProblemDetailDocument.json>; rel="describedBy"'
    headers = {"Content-Type": PROBLEM_TYPE, "X-Request-Id": rid, "Link": link, **error.headers}
    body = dumps(problem_body(error, rid, with_type=with_type))
    return SimResponse(status=error.status, headers=headers, body=body, reason=reason_phrase(error.status))


def empty_response(status: int, rid: str) -> SimResponse:
    """A refusal from the edge in front of the API: the status and nothing else (no JSON, no content type)."""
    return SimResponse(status=status, headers={"X-Request-Id": rid}, reason=reason_phrase(status))
