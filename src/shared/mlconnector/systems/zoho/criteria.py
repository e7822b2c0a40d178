"""Search criteria (reference §5.1): `(Field:operator:value)`, joined with `and`/`or`, at most 10 conditions.
Parentheses and commas in a value are escaped with a backslash; `in` takes up to 100 comma-separated values.

`equals` matches like "contains" (`Account_Name:equals:ABC` also finds "ABC Inc") and the search index lags writes:
filter the results exactly, and look a just-written record up by id."""

from __future__ import annotations

from collections.abc import Sequence

from mlconnector.systems.zoho.metadata import is_api_name

OPERATORS = frozenset(
    {"equals", "not_equal", "starts_with", "in", "greater_than", "greater_equal", "less_than", "less_equal", "between"}
)
MAX_CONDITIONS = 10
MAX_IN_VALUES = 100


def escape(value: str) -> str:
    return value.replace("(", r"\(").replace(")", r"\)").replace(",", r"\,")


def condition(field: str, operator: str, value: str | Sequence[str]) -> str:
    """One condition; a sequence of values (for `in`, `between`) is joined with commas, each escaped."""
    if not is_api_name(field):
        raise ValueError(f"{field[:40]!r} is not a field API name")
    if operator not in OPERATORS:
        raise ValueError(f"unknown search operator {operator!r}")
    values = [value] if isinstance(value, str) else list(value)
    if not values or len(values) > MAX_IN_VALUES:
        raise ValueError(f"a condition takes 1 to {MAX_IN_VALUES} values")
    return f"({field}:{operator}:{','.join(escape(v) for v in values)})"


def equals(field: str, value: str) -> str:
    return condition(field, "equals", value)


def all_of(*conditions: str) -> str:
    return _join("and", conditions)


def any_of(*conditions: str) -> str:
    return _join("or", conditions)


def _join(word: str, conditions: Sequence[str]) -> str:
    if not 1 <= len(conditions) <= MAX_CONDITIONS:
        raise ValueError(f"a search takes 1 to {MAX_CONDITIONS} conditions")
    return conditions[0] if len(conditions) == 1 else "(" + word.join(conditions) + ")"
