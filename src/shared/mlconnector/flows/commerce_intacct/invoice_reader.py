"""Commerce invoices as an engine Reader, each with its order attached (under INVOICE_ORDER_KEY): the bills stream's
source when the posting config says bill_source = "invoices".

Pages come from CommerceReader (incremental on the invoice's updated_at, keyed by the invoice increment id); the
orders of a page's invoices are found with one orders search (entity_id in ...), the way CustomerReader attaches
companies. An invoice whose order is not found carries None there, and its mapping fails with that reason.
An order changed after its invoice (customer details, state) is read with the invoice's next change: what a bill
needs from the order (customer, currency) is fixed once it is invoiced.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from itertools import batched
from typing import Any, ClassVar

from mlconnector.engine.records import Page, SourceRecord
from mlconnector.systems.commerce import MAX_PAGE_SIZE, CommerceClient, CommerceReader, Filter, SearchCriteria
from mlconnector.systems.commerce.entities import INVOICES, ORDERS

INVOICE_ORDER_KEY = "__order__"
IDS_PER_SEARCH = MAX_PAGE_SIZE  # one orders search answers a whole page of invoices


@dataclass
class InvoiceReader:
    system: ClassVar[str] = "commerce"
    object: ClassVar[str] = "invoice"
    client: CommerceClient
    page_size: int = MAX_PAGE_SIZE  # fewest requests: Commerce refuses larger pages (reference §4)
    overlap_seconds: int = 300

    def __post_init__(self) -> None:
        self._reader = CommerceReader(
            self.client,
            INVOICES,
            key_field="increment_id",
            overlap_seconds=self.overlap_seconds,
            page_size=self.page_size,
        )

    def pages(self, since: str | None) -> Iterator[Page]:
        for page in self._reader.pages(since):
            yield Page(self._with_orders(page.records), page.cursor)

    def fetch(self, keys: Sequence[str]) -> list[SourceRecord]:
        """Current invoices by increment id (replay), with their orders."""
        return self._with_orders(self._reader.fetch(keys))

    def by_ids(self, invoice_ids: Iterable[str]) -> list[SourceRecord]:
        """Invoices by entity id (a webhook names them so), keyed by increment id like the pages."""
        return self._with_orders(self._search("entity_id", invoice_ids))

    def of_orders(self, order_ids: Iterable[str]) -> list[SourceRecord]:
        """Every invoice of these orders (entity ids): one invoices search per 300 orders."""
        return self._with_orders(self._search("order_id", order_ids))

    def _search(self, field: str, ids: Iterable[str]) -> list[SourceRecord]:
        found: list[SourceRecord] = []
        for chunk in batched(_ids(ids), IDS_PER_SEARCH, strict=False):
            criteria = SearchCriteria(page_size=self.page_size).where(Filter(field, ",".join(chunk), "in"))
            found.extend(_keyed(item) for item in self.client.search_all(INVOICES, criteria))
        return found

    def _with_orders(self, invoices: Sequence[SourceRecord]) -> list[SourceRecord]:
        orders = self._orders(str(r.data.get("order_id")) for r in invoices)
        return [
            SourceRecord(r.key, {**r.data, INVOICE_ORDER_KEY: orders.get(str(r.data.get("order_id")))})
            for r in invoices
        ]

    def _orders(self, order_ids: Iterable[str]) -> dict[str, dict[str, Any]]:
        found: dict[str, dict[str, Any]] = {}
        for chunk in batched(_ids(order_ids), IDS_PER_SEARCH, strict=False):
            criteria = SearchCriteria(page_size=self.page_size).where(Filter("entity_id", ",".join(chunk), "in"))
            found.update({str(o.get("entity_id")): o for o in self.client.search_all(ORDERS, criteria)})
        return found


def _keyed(invoice: dict[str, Any]) -> SourceRecord:
    """Keyed as CommerceReader keys the pages: by increment id, else `entity_id:<id>`."""
    key = invoice.get("increment_id")
    return SourceRecord(str(key) if key not in (None, "") else f"entity_id:{invoice.get('entity_id')}", invoice)


def _ids(values: Iterable[str]) -> list[str]:
    """Distinct numeric ids in numeric order (anything else names no Commerce entity)."""
    return sorted({v for v in values if v.isdigit()}, key=int)
