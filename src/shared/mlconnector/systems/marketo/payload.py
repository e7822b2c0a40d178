"""Request bodies within Marketo's size limit: a batch whose JSON would exceed 1 MB is split in halves
until every part fits; a single record too large on its own is reported, not sent."""

from __future__ import annotations

import json
from collections.abc import Callable, Sequence
from typing import Any

MAX_BODY_BYTES = 1_000_000
"""Marketo's "1 MB" body limit (HTTP 413 above it). Whether that means 10^6 or 2^20 bytes is UNVERIFIED;
the smaller is used."""


def encode_json(body: Any) -> bytes:
    return json.dumps(body, separators=(",", ":"), ensure_ascii=False).encode("utf-8")


def split_to_fit[T](
    items: Sequence[T], size: Callable[[Sequence[T]], int], limit: int
) -> tuple[list[list[T]], list[T]]:
    """(parts in input order whose `size` is within `limit`, single items too large on their own)."""
    if not items:
        return [], []
    if size(items) <= limit:
        return [list(items)], []
    if len(items) == 1:
        return [], [items[0]]
    middle = len(items) // 2
    head_parts, head_over = split_to_fit(items[:middle], size, limit)
    tail_parts, tail_over = split_to_fit(items[middle:], size, limit)
    return head_parts + tail_parts, head_over + tail_over
