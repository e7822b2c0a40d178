"""Partial responses: ``fields=items[entity_id,increment_id,extension_attributes[shipping_assignments]],total_count``.

Unknown names are simply absent from the answer; a list is projected member by member.
"""

from __future__ import annotations

from typing import Any

Selection = dict[str, "Selection | None"]


def parse_fields(text: str) -> Selection:
    """``a,b[c,d[e]]`` -> ``{"a": None, "b": {"c": None, "d": {"e": None}}}``; ValueError if unbalanced."""
    selection, end = _parse(text, 0)
    if end != len(text):
        raise ValueError(f"unbalanced brackets in fields={text!r}")
    return selection


def _parse(text: str, start: int) -> tuple[Selection, int]:
    selection: Selection = {}
    name = ""
    index = start
    while index < len(text):
        char = text[index]
        if char == "[":
            inner, index = _parse(text, index + 1)
            if index >= len(text) or text[index] != "]":
                raise ValueError(f"unbalanced brackets in fields={text!r}")
            if name.strip():
                selection[name.strip()] = inner
            name = ""
        elif char == "]":
            break
        elif char == ",":
            if name.strip():
                selection[name.strip()] = None
            name = ""
        else:
            name += char
        index += 1
    if name.strip():
        selection[name.strip()] = None
    return selection, index


def project(value: Any, selection: Selection | None) -> Any:
    if selection is None:
        return value
    if isinstance(value, list):
        return [project(member, selection) for member in value]
    if isinstance(value, dict):
        return {name: project(value[name], inner) for name, inner in selection.items() if name in value}
    return value
