"""Zoho's JSON replies: parsed with record ids kept as text, and the one error envelope every failure shares,
`{"code": "<KEYWORD>", "details": {...}, "message": "...", "status": "error"}` (reference §1.4), found at the top
level or, for some upserts, as an item of `data[]` (the v8 OAS wraps INVALID_MODULE so; UNVERIFIED).

Record ids are 19-digit numbers, far above 2**53: Zoho sends them as JSON strings; should one come as a number,
Python's json keeps the integer exact and it is turned into its text here, so every id is a `str` downstream. An id
sent as a fractional or exponent number has lost its digits already: that reply is a ParseError.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from typing import Any

from mlconnector.systems.zoho.errors import ParseError

MAX_TEXT = 500


class _LossyId(ValueError):
    pass


def _ids_as_text(obj: dict[str, Any]) -> dict[str, Any]:
    """json object hook: an `id` number becomes its exact text."""
    value = obj.get("id")
    if isinstance(value, int) and not isinstance(value, bool):
        obj["id"] = str(value)
    elif isinstance(value, float):
        raise _LossyId
    return obj


def parse_json(body: bytes, *, what: str, status: int) -> Any:
    """The decoded body; ParseError (retried at most twice: a hostile reply is deterministic) when it is not JSON."""
    try:
        return json.loads(body, object_hook=_ids_as_text)
    except _LossyId:
        raise ParseError(
            f"{what}: Zoho sent a record id as a fractional number", status=status, max_attempts=2
        ) from None
    except (ValueError, UnicodeDecodeError):
        raise ParseError(f"{what}: Zoho's reply is not JSON", status=status, max_attempts=2) from None


@dataclass(frozen=True)
class Envelope:
    """One error envelope (or one upsert item): Zoho's `code`, `message` and `details`."""

    code: str
    message: str = ""
    details: dict[str, Any] = field(default_factory=dict, repr=False)
    status: str = ""
    """Zoho's own `status` word: "error" or "success"."""

    @property
    def api_name(self) -> str | None:
        """The field a record error names (`details.api_name`)."""
        value = self.details.get("api_name")
        return value if isinstance(value, str) and value else None


def envelope_of(item: object) -> Envelope | None:
    """The envelope in a decoded object, or None when it has no text `code`."""
    if not isinstance(item, dict) or not isinstance(item.get("code"), str):
        return None
    details = item.get("details")
    return Envelope(
        code=item["code"],
        message=text(item.get("message")),
        details=details if isinstance(details, dict) else {},
        status=text(item.get("status")),
    )


def data_items(data: object) -> list[object] | None:
    """A reply's `data[]` list, or None when it has none."""
    if isinstance(data, dict) and isinstance(data.get("data"), list):
        return list(data["data"])
    return None


def text(value: object) -> str:
    return value[:MAX_TEXT] if isinstance(value, str) else ""
