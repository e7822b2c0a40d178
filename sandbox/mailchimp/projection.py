"""Partial responses: ``fields`` and ``exclude_fields`` are comma lists of dotted paths
(``members.email_address,total_items``); a path into a list applies to every element."""

from __future__ import annotations

from typing import Any

Tree = dict[str, "Tree"]


def parse_paths(text: str) -> Tree:
    tree: Tree = {}
    for raw in text.split(","):
        path = raw.strip()
        if not path:
            continue
        node = tree
        for part in path.split("."):
            node = node.setdefault(part, {})
    return tree


def include(value: Any, tree: Tree) -> Any:
    """Keep only the paths in ``tree`` (an empty subtree keeps the whole value)."""
    if not tree:
        return value
    if isinstance(value, list):
        return [include(item, tree) for item in value]
    if not isinstance(value, dict):
        return value
    return {key: include(value[key], sub) for key, sub in tree.items() if key in value}


def exclude(value: Any, tree: Tree) -> Any:
    """Drop the paths in ``tree``."""
    if isinstance(value, list):
        return [exclude(item, tree) for item in value]
    if not isinstance(value, dict):
        return value
    kept: dict[str, Any] = {}
    for key, item in value.items():
        sub = tree.get(key)
        if sub is None:
            kept[key] = item
        elif sub:
            kept[key] = exclude(item, sub)
    return kept


def project(value: Any, fields: str | None, exclude_fields: str | None) -> Any:
    if fields:
        value = include(value, parse_paths(fields))
    if exclude_fields:
        value = exclude(value, parse_paths(exclude_fields))
    return value
