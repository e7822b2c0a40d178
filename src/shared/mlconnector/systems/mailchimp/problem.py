"""Mailchimp's error body: RFC 7807 problem+json, `{type?, title, status, detail, instance, errors?[{field,
message}]}`. Newer replies often omit `type`, so nothing here requires it; a body that is empty, HTML (an edge or
gateway page) or JSON without `title` and `detail` is not a problem."""

from __future__ import annotations

import json
from dataclasses import dataclass

from mlconnector.systems.mailchimp.errors import FieldError

MAX_TEXT = 500


@dataclass(frozen=True)
class Problem:
    title: str
    detail: str
    status: int | None = None
    instance: str = ""
    """The request id Mailchimp logged (worth quoting to its support)."""
    errors: tuple[FieldError, ...] = ()


def parse_problem(body: bytes | str) -> Problem | None:
    """The problem in a reply body, or None when the body is not one."""
    try:
        data = json.loads(body)
    except (ValueError, UnicodeDecodeError):
        return None
    return problem_of(data)


def problem_of(data: object) -> Problem | None:
    """The problem in decoded JSON (a batch archive's `response`), or None when it is not one."""
    if not isinstance(data, dict):
        return None
    title, detail = _text(data.get("title")), _text(data.get("detail"))
    if not title and not detail:
        return None
    status = data.get("status")
    errors = tuple(
        FieldError(_text(item.get("field")), _text(item.get("message")))
        for item in data.get("errors") or ()
        if isinstance(item, dict)
    )
    return Problem(
        title=title,
        detail=detail,
        status=status if isinstance(status, int) and not isinstance(status, bool) else None,
        instance=_text(data.get("instance")),
        errors=errors,
    )


def _text(value: object) -> str:
    return value[:MAX_TEXT] if isinstance(value, str) else ""
