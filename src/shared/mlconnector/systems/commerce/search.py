"""searchCriteria for every getList endpoint (reference §4): filter groups (AND) of filters (OR), sort orders,
pageSize (at most 300) and 1-based currentPage, and the `{items, total_count}` reply.

The query string is encoded RFC 3986 style (brackets as %5B/%5D, space as %20): that exact string is sent and,
for OAuth 1.0a, signed."""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import quote, urlencode

from mlconnector.systems.commerce.errors import ParseError

MAX_PAGE_SIZE = 300
"""Commerce 2.4.7+ refuses a larger pageSize with 400 "Maximum SearchCriteria pageSize is 300"."""
CONDITIONS = frozenset(
    {
        "eq",
        "neq",
        "gt",
        "gteq",
        "lt",
        "lteq",
        "moreq",
        "like",
        "nlike",
        "in",
        "nin",
        "finset",
        "nfinset",
        "from",
        "to",
        "null",
        "notnull",
    }
)


@dataclass(frozen=True)
class Filter:
    field: str
    value: str
    condition: str = "eq"

    def __post_init__(self) -> None:
        if self.condition not in CONDITIONS:
            raise ValueError(f"unknown searchCriteria condition_type {self.condition!r}")


@dataclass(frozen=True)
class Sort:
    field: str
    ascending: bool = True


@dataclass(frozen=True)
class SearchCriteria:
    groups: tuple[tuple[Filter, ...], ...] = ()
    """Every group must match (AND); inside a group any filter may match (OR)."""
    sort: tuple[Sort, ...] = ()
    page_size: int = 100
    current_page: int = 1

    def __post_init__(self) -> None:
        if not 1 <= self.page_size <= MAX_PAGE_SIZE:
            raise ValueError(f"searchCriteria pageSize must be 1..{MAX_PAGE_SIZE}")
        if self.current_page < 1:
            raise ValueError("searchCriteria currentPage is 1-based")
        if any(not group for group in self.groups):
            raise ValueError("a searchCriteria filter group needs at least one filter")

    def where(self, *filters: Filter) -> SearchCriteria:
        """These filters added as one more group (OR among them, AND with the rest)."""
        return SearchCriteria((*self.groups, tuple(filters)), self.sort, self.page_size, self.current_page)

    def page(self, number: int) -> SearchCriteria:
        return SearchCriteria(self.groups, self.sort, self.page_size, number)

    def params(self) -> tuple[tuple[str, str], ...]:
        out: list[tuple[str, str]] = []
        for g, group in enumerate(self.groups):
            for f, item in enumerate(group):
                prefix = f"searchCriteria[filter_groups][{g}][filters][{f}]"
                out += [
                    (f"{prefix}[field]", item.field),
                    (f"{prefix}[value]", item.value),
                    (f"{prefix}[condition_type]", item.condition),
                ]
        for s, order in enumerate(self.sort):
            out += [
                (f"searchCriteria[sortOrders][{s}][field]", order.field),
                (f"searchCriteria[sortOrders][{s}][direction]", "ASC" if order.ascending else "DESC"),
            ]
        out += [
            ("searchCriteria[pageSize]", str(self.page_size)),
            ("searchCriteria[currentPage]", str(self.current_page)),
        ]
        return tuple(out)


def query_string(params: Sequence[tuple[str, str]]) -> str:
    """RFC 3986 percent-encoding of every key and value (nothing left unescaped but unreserved characters)."""
    return urlencode(list(params), quote_via=quote, safe="")


@dataclass(frozen=True)
class SearchPage:
    items: list[dict[str, Any]] = field(repr=False)
    total_count: int
    page_size: int
    current_page: int

    @property
    def last(self) -> bool:
        """No page after this one: judged on total_count, never on an empty page (an out-of-range page can
        repeat the last one, reference §4)."""
        return self.current_page * self.page_size >= self.total_count or not self.items


def parse_search_page(body: bytes, criteria: SearchCriteria, *, what: str) -> SearchPage:
    try:
        data = json.loads(body)
    except (ValueError, UnicodeDecodeError):
        raise ParseError(f"{what}: Commerce reply is not JSON") from None
    if not isinstance(data, dict):
        raise ParseError(f"{what}: Commerce search reply is not a JSON object")
    items = data.get("items") or []  # null or absent when nothing matched
    total = data.get("total_count")
    if not isinstance(items, list) or not all(isinstance(i, dict) for i in items):
        raise ParseError(f"{what}: Commerce search reply has a malformed items list")
    if not isinstance(total, int) or isinstance(total, bool) or total < 0:
        raise ParseError(f"{what}: Commerce search reply has no total_count")
    echoed = data.get("search_criteria")
    size = criteria.page_size
    if isinstance(echoed, Mapping):  # the page size the server applied (it may cap it); the page number is ours
        size = _positive(echoed.get("page_size"), size)
    return SearchPage(items, total, size, criteria.current_page)


def _positive(value: object, default: int) -> int:
    return value if isinstance(value, int) and not isinstance(value, bool) and value > 0 else default
