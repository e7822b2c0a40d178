"""Deterministic function controlids for writes: the same business operation always gets the same
id, so with uniqueid=true a replay is refused by the gateway instead of creating a second record."""

from __future__ import annotations

import hashlib
import re

from mlconnector.systems.intacct.functions.base import MAX_CONTROLID

_UNSAFE = re.compile(r"[^A-Za-z0-9_.\-]+")
_READABLE_MAX = 120


def deterministic_controlid(*parts: str | int) -> str:
    """`<readable prefix>-<sha256 hex>`: the prefix helps operators, the hash makes it unique.

    The hash covers the exact parts, length-prefixed, so ("a-b", "c") and ("a", "b-c") differ.
    Always <= 256 characters."""
    if not parts:
        raise ValueError("deterministic_controlid needs at least one part")
    texts = [str(p) for p in parts]
    material = "\x1f".join(f"{len(t)}:{t}" for t in texts)
    digest = hashlib.sha256(material.encode()).hexdigest()
    readable = _UNSAFE.sub("_", "-".join(texts))[:_READABLE_MAX].strip("-_")
    controlid = f"{readable}-{digest}" if readable else digest
    assert len(controlid) <= MAX_CONTROLID
    return controlid
