"""Filter trees for the `query` function: one operator, or `and`/`or` over two or more filters.

and_(greaterthanorequalto("WHENMODIFIED", "01/31/2024 00:00:00"), in_("STATUS", ["active"]))
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Literal

from mlconnector.systems.intacct.functions.base import check_field
from mlconnector.systems.intacct.xml import Element, Scalar, el

Operator = Literal[
    "equalto",
    "notequalto",
    "lessthan",
    "lessthanorequalto",
    "greaterthan",
    "greaterthanorequalto",
    "like",
    "notlike",
    "between",
    "in",
    "notin",
    "isnull",
    "isnotnull",
]

_VALUE_COUNT: dict[str, tuple[int, int | None]] = {
    "between": (2, 2),
    "in": (1, None),
    "notin": (1, None),
    "isnull": (0, 0),
    "isnotnull": (0, 0),
}


@dataclass(frozen=True)
class Comparison:
    operator: Operator
    field: str
    values: tuple[Scalar, ...] = ()

    def __post_init__(self) -> None:
        check_field(self.field)
        low, high = _VALUE_COUNT.get(self.operator, (1, 1))
        count = len(self.values)
        if count < low or (high is not None and count > high):
            raise ValueError(f"{self.operator} on {self.field} takes {low}..{high or 'n'} values, got {count}")

    def to_element(self) -> Element:
        values = (el("value", text=v) for v in self.values)
        return el(self.operator, el("field", text=self.field), *values)


@dataclass(frozen=True)
class Logical:
    operator: Literal["and", "or"]
    filters: tuple[Filter, ...]

    def __post_init__(self) -> None:
        if len(self.filters) < 2:
            raise ValueError(f"'{self.operator}' needs at least two filters")

    def to_element(self) -> Element:
        return el(self.operator, *(f.to_element() for f in self.filters))


Filter = Comparison | Logical


def _combine(operator: Literal["and", "or"], filters: tuple[Filter, ...]) -> Filter:
    """A single filter is returned as is, so optional conditions compose without special cases."""
    if not filters:
        raise ValueError(f"'{operator}' needs at least one filter")
    return filters[0] if len(filters) == 1 else Logical(operator, filters)


def and_(*filters: Filter) -> Filter:
    return _combine("and", filters)


def or_(*filters: Filter) -> Filter:
    return _combine("or", filters)


def equalto(field: str, value: Scalar) -> Comparison:
    return Comparison("equalto", field, (value,))


def notequalto(field: str, value: Scalar) -> Comparison:
    return Comparison("notequalto", field, (value,))


def lessthan(field: str, value: Scalar) -> Comparison:
    return Comparison("lessthan", field, (value,))


def lessthanorequalto(field: str, value: Scalar) -> Comparison:
    return Comparison("lessthanorequalto", field, (value,))


def greaterthan(field: str, value: Scalar) -> Comparison:
    return Comparison("greaterthan", field, (value,))


def greaterthanorequalto(field: str, value: Scalar) -> Comparison:
    return Comparison("greaterthanorequalto", field, (value,))


def like(field: str, pattern: str) -> Comparison:
    """`%` is the wildcard."""
    return Comparison("like", field, (pattern,))


def notlike(field: str, pattern: str) -> Comparison:
    return Comparison("notlike", field, (pattern,))


def between(field: str, low: Scalar, high: Scalar) -> Comparison:
    return Comparison("between", field, (low, high))


def in_(field: str, values: Iterable[Scalar]) -> Comparison:
    return Comparison("in", field, tuple(values))


def notin(field: str, values: Iterable[Scalar]) -> Comparison:
    return Comparison("notin", field, tuple(values))


def isnull(field: str) -> Comparison:
    return Comparison("isnull", field)


def isnotnull(field: str) -> Comparison:
    return Comparison("isnotnull", field)
