"""Records to XML. Dotted fields become nested elements, grouped under their first segment in order
of first appearance: selecting ``DISPLAYCONTACT.EMAIL1`` yields
``<DISPLAYCONTACT><EMAIL1>...</EMAIL1></DISPLAYCONTACT>`` (the gateway's XML shape for related
fields; how a JSON/CSV returnformat flattens them is not simulated)."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from functools import lru_cache

from sandbox.intacct.xmlwrite import escape

_OPEN, _LEAF, _CLOSE = 0, 1, 2
_Op = tuple[int, str, str]


def _tree(fields: Sequence[str]) -> dict[str, object]:
    root: dict[str, object] = {}
    for name in fields:
        node = root
        *parents, leaf = name.split(".")
        for part in parents:
            child = node.setdefault(part, {})
            if not isinstance(child, dict):  # a field and a group of the same name: keep the field
                break
            node = child
        else:
            node.setdefault(leaf, name)
    return root


def _flatten(tree: Mapping[str, object]) -> list[_Op]:
    ops: list[_Op] = []
    for tag, node in tree.items():
        if isinstance(node, dict):
            ops.append((_OPEN, tag, ""))
            ops.extend(_flatten(node))
            ops.append((_CLOSE, tag, ""))
        else:
            ops.append((_LEAF, tag, str(node)))
    return ops


@lru_cache(maxsize=512)
def _plan(fields: tuple[str, ...]) -> tuple[_Op, ...]:
    return tuple(_flatten(_tree(fields)))


def render_record(tag: str, record: Mapping[str, str], fields: Sequence[str], extra: str = "") -> str:
    """One record as ``<tag>...</tag>``; empty values as ``<FIELD/>``; ``extra`` goes last."""
    parts = [f"<{tag}>"]
    append = parts.append
    for kind, name, field in _plan(tuple(fields)):
        if kind == _LEAF:
            value = record.get(field)
            append(f"<{name}>{escape(value)}</{name}>" if value else f"<{name}/>")
        elif kind == _OPEN:
            append(f"<{name}>")
        else:
            append(f"</{name}>")
    parts.append(extra)
    parts.append(f"</{tag}>")
    return "".join(parts)


def render_records(tag: str, records: Sequence[Mapping[str, str]], fields: Sequence[str]) -> str:
    return "".join(render_record(tag, record, fields) for record in records)
