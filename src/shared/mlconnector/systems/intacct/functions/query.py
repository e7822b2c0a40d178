"""The `query` function (2020 R1+, preferred for reading): explicit select list, filter tree, order,
offset paging with up to 2,000 rows per page."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Literal

from mlconnector.systems.intacct.functions.base import check_field, check_object, new_controlid
from mlconnector.systems.intacct.functions.filters import Filter
from mlconnector.systems.intacct.xml import Element, el

MAX_QUERY_PAGESIZE = 2000


@dataclass(frozen=True)
class Order:
    field: str
    direction: Literal["ascending", "descending"] = "ascending"

    def __post_init__(self) -> None:
        check_field(self.field)

    def to_element(self) -> Element:
        return el("order", el("field", text=self.field), el(self.direction))


def stable_order(orderby: Sequence[Order], tiebreak: str = "RECORDNO") -> tuple[Order, ...]:
    """Offset paging needs a total order: append RECORDNO ascending unless it is already a sort key."""
    if any(o.field.upper() == tiebreak.upper() for o in orderby):
        return tuple(orderby)
    return (*orderby, Order(tiebreak))


@dataclass(frozen=True)
class Query:
    object: str
    select: tuple[str, ...]
    filter: Filter | None = None
    orderby: tuple[Order, ...] = ()
    case_insensitive: bool = False
    show_private: bool = False
    """Needed at the top level of a multi-entity company to see entity-private records."""
    pagesize: int = 100
    offset: int = 0
    docparid: str | None = None
    controlid: str = field(default_factory=new_controlid)

    def __post_init__(self) -> None:
        check_object(self.object)
        if not self.select:
            raise ValueError("query needs at least one field in select (selecting all fields is not supported)")
        for name in self.select:
            check_field(name)
        if not 1 <= self.pagesize <= MAX_QUERY_PAGESIZE:
            raise ValueError(f"query pagesize must be 1..{MAX_QUERY_PAGESIZE}, got {self.pagesize}")
        if self.offset < 0:
            raise ValueError(f"query offset must be >= 0, got {self.offset}")

    def to_element(self) -> Element:
        # Element order as the PHP SDK writes it: select, object, docparid, filter, orderby, options,
        # pagesize, offset.
        parts = [
            el("select", *(el("field", text=name) for name in self.select)),
            el("object", text=self.object),
        ]
        if self.docparid:
            parts.append(el("docparid", text=self.docparid))
        if self.filter is not None:
            parts.append(el("filter", self.filter.to_element()))
        if self.orderby:
            parts.append(el("orderby", *(o.to_element() for o in self.orderby)))
        options = []
        if self.case_insensitive:
            options.append(el("caseinsensitive", text=True))
        if self.show_private:
            options.append(el("showprivate", text=True))
        if options:
            parts.append(el("options", *options))
        parts.append(el("pagesize", text=self.pagesize))
        parts.append(el("offset", text=self.offset))
        return el("query", *parts)
