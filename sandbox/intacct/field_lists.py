"""Resolving field lists (``*`` or names, case-insensitive) against an object's definition."""

from __future__ import annotations

from collections.abc import Callable, Iterable

from sandbox.intacct.errors import FunctionFailure, IntacctError
from sandbox.intacct.schema import ObjectDef


def resolve_fields(
    obj: ObjectDef, names: Iterable[str], error: Callable[[str], IntacctError], *, allow_star: bool = True
) -> list[str]:
    """Canonical field names in request order; ``*`` expands to every field. Unknown -> ``error``."""
    resolved: list[str] = []
    for raw in names:
        name = raw.strip()
        if not name:
            continue
        if name == "*" and allow_star:
            resolved.extend(field for field in obj.fields if field not in resolved)
            continue
        canonical = name.upper()
        if canonical not in obj.fields:
            raise FunctionFailure(error(name))
        if canonical not in resolved:
            resolved.append(canonical)
    return resolved


def parse_field_list(text: str | None) -> list[str]:
    """A comma-separated ``<fields>`` value; empty or missing means ``*``."""
    names = [part.strip() for part in (text or "").split(",") if part.strip()]
    return names or ["*"]
