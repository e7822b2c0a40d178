"""Query parameters: booleans as clients spell them (``true``, ``True``, ``1``), paging with ``count`` and
``offset``, and collection pages with ``total_items``."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from sandbox.mailchimp.config import MailchimpSimConfig
from sandbox.mailchimp.errors import FieldError, schema_error
from sandbox.mailchimp.values import Json

_TRUE = frozenset({"true", "1", "yes"})


def flag(query: Mapping[str, str], name: str) -> bool:
    """A boolean query parameter; requests sends Python's True as ``True``."""
    return query.get(name, "").strip().lower() in _TRUE


def _integer(query: Mapping[str, str], name: str, default: int) -> int:
    raw = query.get(name)
    if raw is None or raw == "":
        return default
    try:
        value = int(raw)
    except ValueError:
        raise schema_error([FieldError(name, "Schema describes integer, string found instead")]) from None
    if value < 0:
        raise schema_error([FieldError(name, "Value must not be negative")])
    return value


def page_window(query: Mapping[str, str], config: MailchimpSimConfig) -> tuple[int, int]:
    """(offset, count): count defaults to 10 and is capped at 1000 (UNVERIFIED: capped, not refused)."""
    count = min(_integer(query, "count", config.default_count), config.max_count)
    return _integer(query, "offset", 0), count


def collection(
    name: str, items: Sequence[Json], query: Mapping[str, str], config: MailchimpSimConfig, **extra: Any
) -> Json:
    """``{name: [page], **extra, "total_items": n, "_links": []}``."""
    offset, count = page_window(query, config)
    return {name: list(items[offset : offset + count]), **extra, "total_items": len(items), "_links": []}


def body_object(body: Any) -> Json:
    """The request body as an object (a missing body is an empty one); anything else is a schema error."""
    if body is None:
        return {}
    if not isinstance(body, dict):
        raise schema_error([FieldError("", "Schema describes object, array found instead")])
    return body
