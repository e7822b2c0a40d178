"""Records to XML, in the shape the configuration asks for.

Related fields (``DISPLAYCONTACT.EMAIL1``) are written as the real gateway answers a ``query`` that selects
them: one flat element named by the whole dotted path, ``<DISPLAYCONTACT.EMAIL1>…</DISPLAYCONTACT.EMAIL1>``,
beside ``<NAME>`` (reference §6.2, verified). ``nested`` groups them under their first segment instead, in order
of first appearance (``<DISPLAYCONTACT><EMAIL1>…</EMAIL1></DISPLAYCONTACT>``): whether ``read`` with ``*``
answers that way is UNVERIFIED, so clients are tested against both. How a JSON/CSV returnformat flattens them is
not simulated.

Characters XML forbids that sit in a stored value (typed into the UI, say) are written as ``forbidden`` says:
``raw`` (the response is then not well-formed), ``reference`` (``&#7;``, just as ill-formed) or ``strip``.
What the real gateway does is UNVERIFIED.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from functools import lru_cache
from typing import Literal

from sandbox.intacct.xmlwrite import escape

DottedShape = Literal["flat", "nested"]
ForbiddenChars = Literal["raw", "reference", "strip"]

_OPEN, _LEAF, _CLOSE = 0, 1, 2
_Op = tuple[int, str, str]
_FORBIDDEN = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")


@dataclass(frozen=True)
class RenderStyle:
    dotted: DottedShape = "flat"
    forbidden: ForbiddenChars = "raw"

    def text(self, value: str) -> str:
        if self.forbidden == "strip":
            value = _FORBIDDEN.sub("", value)
        escaped = escape(value)
        if self.forbidden == "reference":
            return _FORBIDDEN.sub(lambda m: f"&#{ord(m.group(0))};", escaped)
        return escaped


FLAT = RenderStyle()


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
def _plan(fields: tuple[str, ...], dotted: DottedShape) -> tuple[_Op, ...]:
    if dotted == "flat":
        return tuple((_LEAF, name, name) for name in dict.fromkeys(fields))
    return tuple(_flatten(_tree(fields)))


def render_record(
    tag: str, record: Mapping[str, str], fields: Sequence[str], extra: str = "", style: RenderStyle = FLAT
) -> str:
    """One record as ``<tag>...</tag>``; empty values as ``<FIELD/>``; ``extra`` goes last."""
    parts = [f"<{tag}>"]
    append = parts.append
    for kind, name, field in _plan(tuple(fields), style.dotted):
        if kind == _LEAF:
            value = record.get(field)
            append(f"<{name}>{style.text(value)}</{name}>" if value else f"<{name}/>")
        elif kind == _OPEN:
            append(f"<{name}>")
        else:
            append(f"</{name}>")
    parts.append(extra)
    parts.append(f"</{tag}>")
    return "".join(parts)


def render_records(
    tag: str, records: Sequence[Mapping[str, str]], fields: Sequence[str], style: RenderStyle = FLAT
) -> str:
    return "".join(render_record(tag, record, fields, style=style) for record in records)
