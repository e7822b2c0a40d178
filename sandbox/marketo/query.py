"""Filter queries shared by companies and leads: ``filterType``, ``filterValues`` (comma list),
``fields``, ``batchSize`` and the opaque, position-based ``nextPageToken``."""

from __future__ import annotations

import base64
import hashlib
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from sandbox.marketo.codes import ApiFailure, blank, field_not_found, invalid_parameter
from sandbox.marketo.schema import Schema
from sandbox.marketo.store import Record


@dataclass(frozen=True)
class FilterQuery:
    filter_type: str
    values: tuple[str, ...]
    fields: tuple[str, ...]
    batch_size: int
    offset: int

    @property
    def fingerprint(self) -> str:
        text = "\x1f".join((self.filter_type, *self.values, "|", *self.fields))
        return hashlib.sha256(text.encode()).hexdigest()[:12]


def parse_filter_query(
    params: Mapping[str, Any], schema: Schema, default_fields: Sequence[str], *, max_values: int, max_batch: int
) -> FilterQuery:
    filter_type = _text(params.get("filterType"))
    if not filter_type:
        raise ApiFailure(blank("filterType"))
    values = tuple(split_list(params.get("filterValues")))
    if not values:
        raise ApiFailure(blank("filterValues"))
    if len(values) > max_values:
        raise ApiFailure(invalid_parameter(f"Too many values in filterValues; the maximum is {max_values}"))
    fields = tuple(split_list(params.get("fields"))) or tuple(default_fields)
    unknown = [name for name in fields if name not in schema]
    if unknown:
        raise ApiFailure(field_not_found(unknown[0]))
    batch_size = _batch_size(params.get("batchSize"), max_batch)
    query = FilterQuery(filter_type, values, fields, batch_size, 0)
    token = _text(params.get("nextPageToken"))
    if token:
        query = FilterQuery(filter_type, values, fields, batch_size, _offset_of(token, query.fingerprint))
    return query


def split_list(raw: object) -> list[str]:
    """A comma-separated string (query string, form) or a JSON list."""
    if raw is None:
        return []
    items = raw if isinstance(raw, list) else str(raw).split(",")
    return [str(item).strip() for item in items if str(item).strip()]


def page[Row](rows: Sequence[Row], query: FilterQuery) -> tuple[Sequence[Row], dict[str, Any]]:
    """One page and the paging members of the envelope (none on the last page)."""
    end = query.offset + query.batch_size
    if end >= len(rows):
        return rows[query.offset :], {}
    return rows[query.offset : end], {"moreResult": True, "nextPageToken": _token(end, query.fingerprint)}


def project(record: Record, fields: Sequence[str]) -> dict[str, Any]:
    """The requested fields of a record; absent ones are null."""
    return {name: record.get(name) for name in fields}


def _token(offset: int, fingerprint: str) -> str:
    return base64.b32encode(f"{offset}:{fingerprint}".encode()).decode()


def _offset_of(token: str, fingerprint: str) -> int:
    """UNVERIFIED: a token from another query, or garbage, answers 1003."""
    try:
        offset, _, owner = base64.b32decode(token.encode(), casefold=True).decode().partition(":")
        if owner == fingerprint and offset.isdigit():
            return int(offset)
    except ValueError:
        pass
    raise ApiFailure(invalid_parameter("Invalid nextPageToken"))


def _batch_size(raw: object, max_batch: int) -> int:
    if raw is None or raw == "":
        return max_batch
    text = str(raw).strip()
    if not text.isdigit() or not 1 <= int(text) <= max_batch:
        raise ApiFailure(invalid_parameter(f"batchSize must be between 1 and {max_batch}"))
    return int(text)


def _text(raw: object) -> str:
    return "" if raw is None else str(raw).strip()
