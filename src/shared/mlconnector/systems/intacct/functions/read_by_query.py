"""Legacy `readByQuery` + `readMore` paging (up to 1,000 rows per page) and its query-string syntax.

String literals go in single quotes with embedded quotes backslash-escaped (`'Bob\\'s Pizza'`);
an unquoted string silently matches nothing.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Literal

from mlconnector.systems.intacct.functions.base import check_field, check_object, field_list, new_controlid
from mlconnector.systems.intacct.xml import Element, Scalar, el, format_value

MAX_READ_BY_QUERY_PAGESIZE = 1000

QueryOperator = Literal["=", "!=", "<", "<=", ">", ">=", "like", "not like"]


def quote_literal(value: Scalar) -> str:
    """A quoted query-string literal. Quotes are escaped as the SDKs do (`\\'`); a backslash is escaped
    too, so a value ending in one cannot swallow the closing quote (gateway handling of `\\\\` UNVERIFIED)."""
    text = format_value(value).replace("\\", "\\\\").replace("'", "\\'")
    return f"'{text}'"


def condition(field_name: str, operator: QueryOperator, value: Scalar) -> str:
    """One comparison, e.g. `condition("VENDORID", "=", "Bob's")` -> `VENDORID = 'Bob\\'s'`."""
    return f"{check_field(field_name)} {operator} {quote_literal(value)}"


def in_list(field_name: str, values: Sequence[Scalar]) -> str:
    if not values:
        raise ValueError("IN needs at least one value")
    return f"{check_field(field_name)} IN ({', '.join(quote_literal(v) for v in values)})"


def all_of(*conditions: str) -> str:
    return " AND ".join(f"({c})" if " OR " in c else c for c in conditions if c)


@dataclass(frozen=True)
class ReadByQuery:
    object: str
    fields: tuple[str, ...] = ("*",)
    query: str = ""
    """Empty means all records. Build it with `condition`/`all_of` so values are quoted."""
    pagesize: int = MAX_READ_BY_QUERY_PAGESIZE
    docparid: str | None = None
    controlid: str = field(default_factory=new_controlid)

    def __post_init__(self) -> None:
        check_object(self.object)
        if not 1 <= self.pagesize <= MAX_READ_BY_QUERY_PAGESIZE:
            raise ValueError(f"readByQuery pagesize must be 1..{MAX_READ_BY_QUERY_PAGESIZE}, got {self.pagesize}")

    def to_element(self) -> Element:
        parts = [
            el("object", text=self.object),
            el("query", text=self.query),
            el("fields", text=field_list(self.fields)),
            el("pagesize", text=self.pagesize),
            el("returnFormat", text="xml"),
        ]
        if self.docparid:
            parts.append(el("docparid", text=self.docparid))
        return el("readByQuery", *parts)


@dataclass(frozen=True)
class ReadMore:
    """Next page of a readByQuery. Keep the resultId within one run: its lifetime is UNVERIFIED."""

    result_id: str
    controlid: str = field(default_factory=new_controlid)
    fields: tuple[str, ...] = ("*",)
    """The readByQuery's field list: not sent (the gateway remembers it), but it tells the client how the
    records of this page are shaped (see dotted.py)."""

    def __post_init__(self) -> None:
        if not self.result_id:
            raise ValueError("readMore needs a resultId")

    def to_element(self) -> Element:
        return el("readMore", el("resultId", text=self.result_id))
