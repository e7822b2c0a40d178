"""The response envelope: ``{"requestId", "result"|"errors", "success"}`` as compact UTF-8 JSON, and
the HTTP-level answers (413/414/404) that never reach the API."""

from __future__ import annotations

import json
import secrets
from collections.abc import Mapping, Sequence
from datetime import datetime
from typing import Any

from sandbox.core.messages import SimResponse
from sandbox.core.pages import html_error_page, reason_phrase
from sandbox.marketo.codes import Problem

JSON_CONTENT_TYPE = "application/json;charset=UTF-8"


def request_id(now: datetime) -> str:
    """``<hex>#<hex>`` like ``e42b#14272d07d78``: a random part, then epoch milliseconds."""
    return f"{secrets.randbelow(0xFFFFF) + 1:x}#{int(now.timestamp() * 1000):x}"


def json_response(
    payload: Mapping[str, Any], status: int = 200, headers: Mapping[str, str] | None = None
) -> SimResponse:
    body = json.dumps(payload, separators=(",", ":"), ensure_ascii=False).encode()
    return SimResponse(status=status, headers={"Content-Type": JSON_CONTENT_TYPE, **(headers or {})}, body=body)


def succeeded(rid: str, result: Sequence[Mapping[str, Any]], more: Mapping[str, Any] | None = None) -> SimResponse:
    return json_response({"requestId": rid, "result": list(result), "success": True, **(more or {})})


def failed(rid: str, problems: Sequence[Problem]) -> SimResponse:
    """Response-level failure: HTTP 200, success false, no result."""
    return json_response({"requestId": rid, "success": False, "errors": [p.as_json() for p in problems]})


def http_error(status: int) -> SimResponse:
    """What the gateway in front of the API answers (413, 414, 404): an HTML page."""
    return SimResponse(
        status=status,
        headers={"Content-Type": "text/html; charset=UTF-8"},
        body=html_error_page(status).encode(),
        reason=reason_phrase(status),
    )
