"""The JSON envelope of every REST reply: success, result, errors, warnings, paging.

Tolerant where Marketo is loose: a reply without `result` (only `warnings`) is an empty result,
codes may be numbers or strings, and warnings may be strings or `{code, message}` objects."""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from typing import Any

from mlconnector.systems.marketo.errors import ErrorDetail, ParseError


@dataclass(frozen=True)
class Envelope:
    success: bool
    result: list[dict[str, Any]] = field(default_factory=list, repr=False)
    errors: tuple[ErrorDetail, ...] = ()
    warnings: tuple[str, ...] = ()
    next_page_token: str | None = None
    more_result: bool | None = None
    request_id: str = ""


def _detail(item: object) -> ErrorDetail:
    if isinstance(item, dict):
        return ErrorDetail(str(item.get("code", "")), str(item.get("message", "")))
    return ErrorDetail("", str(item))


def details(items: object) -> tuple[ErrorDetail, ...]:
    """`errors[]` or `reasons[]` as ErrorDetails; anything that is not a list gives none."""
    return tuple(_detail(i) for i in items) if isinstance(items, list) else ()


def _warnings(items: object) -> tuple[str, ...]:
    if not isinstance(items, list):
        return ()
    return tuple(str(w.get("message", "")) if isinstance(w, dict) else str(w) for w in items)


def parse_envelope(body: bytes, *, what: str) -> Envelope:
    try:
        data = json.loads(body)
    except (ValueError, UnicodeDecodeError):
        raise ParseError(f"{what}: Marketo reply is not JSON") from None
    if not isinstance(data, dict) or not isinstance(data.get("success"), bool):
        raise ParseError(f"{what}: Marketo reply has no success flag")
    result = data.get("result", [])
    if not isinstance(result, list) or not all(isinstance(r, dict) for r in result):
        raise ParseError(f"{what}: Marketo reply has a malformed result list")
    token = data.get("nextPageToken")
    more = data.get("moreResult")
    return Envelope(
        success=data["success"],
        result=result,
        errors=details(data.get("errors")),
        warnings=_warnings(data.get("warnings")),
        next_page_token=token if isinstance(token, str) and token else None,
        more_result=more if isinstance(more, bool) else None,
        request_id=str(data.get("requestId", "")),
    )
