"""orderby: stable multi-key sort by typed values; nulls last ascending, first descending (Oracle)."""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from typing import Any

from sandbox.intacct.schema import ObjectDef
from sandbox.intacct.values import FieldType, comparable


def _key(field: str, field_type: FieldType) -> Callable[[Mapping[str, str]], tuple[int, Any]]:
    """(0, typed value) for values, (1, "") for nulls; values of one field share one type."""

    def key(record: Mapping[str, str]) -> tuple[int, Any]:
        raw = record.get(field)
        if not raw:
            return (1, "")
        try:
            return (0, comparable(field_type, raw))
        except ValueError:
            return (1, "")

    return key


def sort_records(
    obj: ObjectDef, records: list[Mapping[str, str]], order: Sequence[tuple[str, bool]]
) -> list[Mapping[str, str]]:
    """``order`` = [(FIELD, descending), ...]; the first key is the most significant."""
    result = list(records)
    for field, descending in reversed(order):
        result.sort(key=_key(field, obj.fields[field]), reverse=descending)
    return result
