"""Predicates over records, shared by the ``query`` filter XML and the readByQuery query string.

SQL semantics: a null (empty) value matches only isnull / isnotnull; every other comparison with
null is false, including ``notequalto`` and ``notin``. Values compare by the field's type (dates
chronologically, numbers numerically); text comparisons are case-sensitive unless the query sets
``caseinsensitive``. ``like`` supports ``%`` and ``_``.
"""

from __future__ import annotations

import operator
import re
from collections.abc import Callable, Mapping, Sequence
from typing import TYPE_CHECKING

from sandbox.intacct.errors import FunctionFailure, IntacctError, invalid_query
from sandbox.intacct.schema import ObjectDef
from sandbox.intacct.values import Comparable, FieldType, comparable

if TYPE_CHECKING:
    from xml.etree.ElementTree import Element  # type only: parsing goes through defusedxml

Predicate = Callable[[Mapping[str, str]], bool]

_ORDERING: Mapping[str, Callable[[Comparable, Comparable], bool]] = {
    "equalto": operator.eq,
    "notequalto": operator.ne,
    "lessthan": operator.lt,
    "lessthanorequalto": operator.le,
    "greaterthan": operator.gt,
    "greaterthanorequalto": operator.ge,
}
VALUE_COUNTS: Mapping[str, tuple[int, int | None]] = {
    **dict.fromkeys(_ORDERING, (1, 1)),
    "between": (2, 2),
    "in": (1, None),
    "notin": (1, None),
    "like": (1, 1),
    "notlike": (1, 1),
    "isnull": (0, 0),
    "isnotnull": (0, 0),
}


def _like_regex(pattern: str, casefold: bool) -> re.Pattern[str]:
    parts = [".*" if ch == "%" else "." if ch == "_" else re.escape(ch) for ch in pattern]
    return re.compile("".join(parts), re.DOTALL | (re.IGNORECASE if casefold else 0))


def comparison(
    field: str, field_type: FieldType, op: str, values: Sequence[str], *, casefold: bool = False
) -> Predicate:
    """A predicate ``record[field] <op> values`` (op is one of VALUE_COUNTS)."""
    if op == "isnull":
        return lambda record: not record.get(field)
    if op == "isnotnull":
        return lambda record: bool(record.get(field))
    if op in ("like", "notlike"):
        regex, wanted = _like_regex(values[0], casefold), op == "like"
        return lambda record: bool(record.get(field)) and (regex.fullmatch(record[field]) is not None) == wanted
    fold = casefold and field_type is FieldType.TEXT
    try:
        targets = [comparable(field_type, value, casefold=fold) for value in values]
    except ValueError as exc:
        raise FunctionFailure(invalid_query(f"Invalid value for {field}: {exc}")) from None

    def typed(record: Mapping[str, str]) -> Comparable | None:
        raw = record.get(field)
        if not raw:
            return None
        try:
            return comparable(field_type, raw, casefold=fold)
        except ValueError:
            return None

    if op in _ORDERING:
        compare, target = _ORDERING[op], targets[0]
        return lambda record: (value := typed(record)) is not None and compare(value, target)
    if op == "between":
        low, high = targets
        return lambda record: (value := typed(record)) is not None and low <= value <= high  # type: ignore[operator]
    members, wanted = set(targets), op == "in"
    return lambda record: (value := typed(record)) is not None and (value in members) == wanted


def all_of(predicates: Sequence[Predicate]) -> Predicate:
    return lambda record: all(predicate(record) for predicate in predicates)


def any_of(predicates: Sequence[Predicate]) -> Predicate:
    return lambda record: any(predicate(record) for predicate in predicates)


def negate(predicate: Predicate) -> Predicate:
    return lambda record: not predicate(record)


class FilterCompiler:
    """``<filter>`` of the ``query`` function -> Predicate."""

    def __init__(self, obj: ObjectDef, *, casefold: bool, unknown_field: Callable[[str], IntacctError]) -> None:
        self._obj = obj
        self._casefold = casefold
        self._unknown_field = unknown_field

    def compile(self, filter_element: Element) -> Predicate:
        children = list(filter_element)
        if len(children) != 1:
            raise FunctionFailure(invalid_query("filter must hold exactly one operator or and/or"))
        return self._node(children[0])

    def _node(self, node: Element) -> Predicate:
        op = node.tag.lower()
        if op in ("and", "or"):
            children = [self._node(child) for child in node]
            if len(children) < 2:
                raise FunctionFailure(invalid_query(f"'{op}' needs at least two conditions"))
            return all_of(children) if op == "and" else any_of(children)
        if op not in VALUE_COUNTS:
            raise FunctionFailure(invalid_query(f"Unknown filter operator '{node.tag}'"))
        fields = [child.text or "" for child in node if child.tag.lower() == "field"]
        values = [child.text or "" for child in node if child.tag.lower() == "value"]
        if len(fields) != 1:
            raise FunctionFailure(invalid_query(f"'{node.tag}' needs exactly one field"))
        low, high = VALUE_COUNTS[op]
        if len(values) < low or (high is not None and len(values) > high):
            raise FunctionFailure(invalid_query(f"'{node.tag}' has {len(values)} value(s)"))
        name = fields[0].strip()
        field_type = self._obj.field_type(name.upper())
        if field_type is None:
            raise FunctionFailure(self._unknown_field(name))
        return comparison(name.upper(), field_type, op, values, casefold=self._casefold)
