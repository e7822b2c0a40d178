"""``searchCriteria`` (reference §4): parse the bracketed query string, filter, sort, page.

Filters inside a group are OR-ed, groups are AND-ed. Comparisons behave like MySQL with the default
case-insensitive collation: strings compare case-insensitively, numbers numerically, and NULL
matches nothing but ``null`` (``neq``/``nin``/``nlike`` skip NULL rows too).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field, replace
from typing import Any

from sandbox.commerce.config import CommerceSimConfig
from sandbox.commerce.errors import MAX_PAGE_SIZE, WebapiError, internal_error, invalid_value, required
from sandbox.commerce.values import Record

CONDITIONS = frozenset(
    {"eq", "neq", "gt", "gteq", "lt", "lteq", "moreq", "like", "nlike", "in", "nin",
     "finset", "nfinset", "from", "to", "null", "notnull"}
)  # fmt: skip
_CAMEL = {
    "filter_groups": "filterGroups", "sort_orders": "sortOrders", "page_size": "pageSize",
    "current_page": "currentPage", "condition_type": "conditionType",
}  # fmt: skip
_KEY = re.compile(r"([^\[\]]+)((?:\[[^\[\]]*\])*)")
_DAY_ONLY = re.compile(r"\d{4}-\d{2}-\d{2}")

Nested = dict[str, Any]


def nested_query(query: Mapping[str, list[str]]) -> Nested:
    """PHP-style ``a[b][0][c]=v`` parsing into nested dicts (list indexes stay string keys; last wins)."""
    root: Nested = {}
    for key, values in query.items():
        match = _KEY.fullmatch(key)
        if match is None:
            continue
        path = [match.group(1), *re.findall(r"\[([^\[\]]*)\]", match.group(2))]
        node = root
        for part in path[:-1]:
            child = node.get(part)
            if not isinstance(child, dict):
                child = node[part] = {}
            node = child
        node[path[-1]] = values[-1]
    return root


@dataclass(frozen=True)
class Filter:
    field: str
    value: str
    condition: str


@dataclass(frozen=True)
class SearchCriteria:
    groups: tuple[tuple[Filter, ...], ...] = ()
    sort: tuple[tuple[str, str], ...] = ()
    page_size: int | None = None
    current_page: int | None = None
    echo: Nested = field(default_factory=dict)


def _camel(node: Any) -> Any:
    if isinstance(node, dict):
        return {_CAMEL.get(key, key): _camel(value) for key, value in node.items()}
    return node


def _indexed(node: Any) -> list[Any]:
    """The members of a PHP list written as ``[0]``, ``[1]``... (a plain string counts as none)."""
    if not isinstance(node, dict):
        return []
    return [node[key] for key in sorted(node, key=lambda k: (not k.isdigit(), int(k) if k.isdigit() else 0, k))]


def _number(name: str, raw: Any) -> int | None:
    if raw is None or raw == "":
        return None
    if not isinstance(raw, str) or not re.fullmatch(r"-?\d+", raw.strip()):
        raise invalid_value(name, raw)
    return int(raw)


def _filter(raw: Any) -> Filter:
    if not isinstance(raw, dict):
        raise required("field")
    name = raw.get("field")
    if not isinstance(name, str) or not name:
        raise required("field")
    condition = raw.get("conditionType") or "eq"
    if not isinstance(condition, str) or condition.lower() not in CONDITIONS:
        # UNVERIFIED: Magento's answer to an unknown condition_type; a 400 is what clients can act on.
        raise invalid_value("condition_type", condition)
    value = raw.get("value", "")
    return Filter(name, value if isinstance(value, str) else "", condition.lower())


def parse_criteria(query: Mapping[str, list[str]], config: CommerceSimConfig) -> SearchCriteria:
    """The searchCriteria of a getList call; WebapiError 400 when it is missing or invalid."""
    top = nested_query(query)
    if "searchCriteria" not in top:
        raise required("searchCriteria")
    raw = _camel(top["searchCriteria"])
    raw = raw if isinstance(raw, dict) else {}
    groups = tuple(tuple(_filter(f) for f in _indexed(g.get("filters"))) for g in _indexed(raw.get("filterGroups")))
    sort: list[tuple[str, str]] = []
    for order in _indexed(raw.get("sortOrders")):
        if not isinstance(order, dict) or not order.get("field"):
            raise required("field")
        direction = str(order.get("direction") or "DESC").upper()  # no direction -> descending (reference §4)
        if direction not in ("ASC", "DESC"):
            raise invalid_value("direction", order.get("direction"))
        sort.append((str(order["field"]), direction))
    page_size = _number("pageSize", raw.get("pageSize"))
    current_page = _number("currentPage", raw.get("currentPage"))
    if page_size is not None and page_size < 0:
        raise invalid_value("pageSize", page_size)
    if config.input_limits and page_size is not None and page_size > config.max_page_size:
        raise WebapiError(400, MAX_PAGE_SIZE, {"max": config.max_page_size})
    echo: Nested = {
        "filter_groups": [
            {"filters": [{"field": f.field, "value": f.value, "condition_type": f.condition} for f in group]}
            for group in groups
        ]
    }
    if sort:
        echo["sort_orders"] = [{"field": name, "direction": direction} for name, direction in sort]
    if page_size is not None:
        echo["page_size"] = page_size
    if current_page is not None:
        echo["current_page"] = current_page
    return SearchCriteria(groups, tuple(sort), page_size, current_page, echo)


# ---------------------------------------------------------------------------------- comparisons
def _as_number(value: str) -> float | None:
    try:
        return float(value.strip())
    except ValueError:
        return None


def _key(column: str, stored: Any, wanted: str) -> tuple[Any, Any] | None:
    """Comparable (stored, wanted) pair, or None when the stored value is NULL."""
    if stored is None:
        return None
    if isinstance(stored, bool | int | float):
        number = _as_number(wanted)
        return (float(stored), number) if number is not None else (str(stored), wanted)
    if column.endswith("_at"):
        wanted = wanted.replace("T", " ").removesuffix("Z")
        if _DAY_ONLY.fullmatch(wanted):
            wanted += " 00:00:00"
    return str(stored).casefold(), wanted.casefold()


def _like(pattern: str) -> re.Pattern[str]:
    parts = []
    escaped = False
    for char in pattern:
        if escaped:
            parts.append(re.escape(char))
            escaped = False
        elif char == "\\":
            escaped = True
        elif char == "%":
            parts.append(".*")
        elif char == "_":
            parts.append(".")
        else:
            parts.append(re.escape(char))
    return re.compile("".join(parts), re.IGNORECASE | re.DOTALL)


_ORDERING: dict[str, Callable[[Any, Any], bool]] = {
    "eq": lambda a, b: a == b,
    "neq": lambda a, b: a != b,
    "gt": lambda a, b: a > b,
    "gteq": lambda a, b: a >= b,
    "moreq": lambda a, b: a >= b,
    "from": lambda a, b: a >= b,
    "lt": lambda a, b: a < b,
    "lteq": lambda a, b: a <= b,
    "to": lambda a, b: a <= b,
}


def _compare(flt: Filter, stored: Any) -> bool:
    pair = _key(flt.field, stored, flt.value)
    if pair is None:
        return False
    left, right = pair
    if type(left) is not type(right):
        left, right = str(left), str(right)
    return _ORDERING[flt.condition](left, right)


def _in_list(flt: Filter, stored: Any) -> bool:
    return any(_equal(flt.field, stored, part.strip()) for part in flt.value.split(","))


def _in_set(flt: Filter, stored: Any) -> bool:
    return flt.value.casefold() in [part.casefold() for part in str(stored).split(",")]


def _like_match(flt: Filter, stored: Any) -> bool:
    return _like(flt.value).fullmatch(str(stored)) is not None


_SET_TESTS: dict[str, tuple[Callable[[Filter, Any], bool], bool]] = {
    "like": (_like_match, True),
    "nlike": (_like_match, False),
    "in": (_in_list, True),
    "nin": (_in_list, False),
    "finset": (_in_set, True),
    "nfinset": (_in_set, False),
}


def matches(record: Record, flt: Filter) -> bool:
    stored = record.get(flt.field)
    if flt.condition in ("null", "notnull"):
        return (stored is None) == (flt.condition == "null")
    if stored is None:
        return False  # SQL: NULL satisfies no comparison, negated ones included
    if flt.condition in _SET_TESTS:
        test, wanted = _SET_TESTS[flt.condition]
        return test(flt, stored) == wanted
    return _compare(flt, stored)


def _equal(column: str, stored: Any, wanted: str) -> bool:
    pair = _key(column, stored, wanted)
    if pair is None:
        return False
    left, right = pair
    if type(left) is not type(right):
        left, right = str(left), str(right)
    return bool(left == right)


# ---------------------------------------------------------------------------------- the list call
def _check_columns(criteria: SearchCriteria, columns: frozenset[str]) -> None:
    """A field that is no column of the entity's table fails in SQL: production shows a 500.

    UNVERIFIED which status each repository gives; the SQL error path is the common one.
    """
    used = {f.field for group in criteria.groups for f in group} | {name for name, _ in criteria.sort}
    if not used <= columns:
        raise internal_error("sandbox-" + "-".join(sorted(used - columns))[:40])


def _renamed(criteria: SearchCriteria, field_of_column: Mapping[str, str]) -> SearchCriteria:
    groups = tuple(
        tuple(replace(f, field=field_of_column.get(f.field, f.field)) for f in group) for group in criteria.groups
    )
    sort = tuple((field_of_column.get(name, name), direction) for name, direction in criteria.sort)
    return replace(criteria, groups=groups, sort=sort)


def _sort_key(record: Record, name: str) -> tuple[int, Any]:
    value = record.get(name)
    if value is None:
        return (0, "")  # MySQL: NULL sorts first ascending
    if isinstance(value, bool | int | float):
        return (1, float(value))
    return (2, str(value).casefold())


def _sorter(name: str) -> Callable[[Record], tuple[int, Any]]:
    return lambda record: _sort_key(record, name)


def run_search(
    records: Iterable[Record],
    criteria: SearchCriteria,
    columns: frozenset[str],
    config: CommerceSimConfig,
    field_of_column: Mapping[str, str] | None = None,
) -> tuple[list[Record], int]:
    """The page of matching records and the unpaged total (records come in primary-key order).
    `field_of_column` names the record field a column is read from when the data object renames it."""
    _check_columns(criteria, columns)
    if field_of_column:
        criteria = _renamed(criteria, field_of_column)
    found = [r for r in records if all(any(matches(r, f) for f in group) for group in criteria.groups if group)]
    for name, direction in reversed(criteria.sort):
        found.sort(key=_sorter(name), reverse=direction == "DESC")
    total = len(found)
    size = criteria.page_size or (config.default_page_size if config.input_limits else 0)
    if not size:
        return found, total
    page = max(criteria.current_page or 1, 1)
    last = max((total + size - 1) // size, 1)
    if page > last:
        if not config.legacy_repeat_last_page:
            return [], total
        page = last
    return found[(page - 1) * size : page * size], total
