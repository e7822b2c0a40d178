"""What goes on the wire: JSON as ``application/json;charset=UTF-8``, a 204/304 with no body and no content type
(the official SDK then hands back an empty response instead of parsing), errors in Zoho's envelope."""

from __future__ import annotations

import json
from collections.abc import Mapping
from typing import Any

from sandbox.core.messages import SimResponse
from sandbox.core.pages import reason_phrase
from sandbox.zoho.errors import ApiError

JSON_TYPE = "application/json;charset=UTF-8"


def dumps(payload: Any) -> bytes:
    return json.dumps(payload, separators=(",", ":"), ensure_ascii=False).encode()


def json_response(payload: Any, status: int = 200, headers: Mapping[str, str] | None = None) -> SimResponse:
    return SimResponse(
        status=status,
        headers={"Content-Type": JSON_TYPE, **(headers or {})},
        body=dumps(payload),
        reason=reason_phrase(status),
    )


def empty_response(status: int = 204, headers: Mapping[str, str] | None = None) -> SimResponse:
    return SimResponse(status=status, headers=dict(headers or {}), reason=reason_phrase(status))


def error_response(error: ApiError, headers: Mapping[str, str] | None = None) -> SimResponse:
    return json_response(error.body(), error.status, headers)
