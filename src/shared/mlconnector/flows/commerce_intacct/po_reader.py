"""Where a run's B2B purchase orders come from: decided once, on the first read, and told in the run report.

- B2B is not installed (the company route answers 404 "no route"): there is nothing to read.
- The store answers a purchase-order REST route (an extension adds one; the path is UNVERIFIED and configurable):
  purchase orders are read from it in every status, with the same keyset paging as the other lists.
- Otherwise, the normal case (reference §6: purchase orders are listed over GraphQL in a customer's context only):
  a purchase order is visible over REST once it is approved and placed as an order. Orders are read, and those not
  placed from a purchase order are dropped here, so they are no records of this stream (and cost no audit entry).

Both sources give one record shape (`normalise_route_po`, `normalise_po_order`) keyed by the PO number, so a
purchase order has one link and one Intacct document whichever source read it.
"""

from __future__ import annotations

import logging
from collections.abc import Collection, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from enum import StrEnum
from typing import Any, ClassVar

from mlconnector.engine.records import Page, SourceRecord
from mlconnector.systems.commerce import (
    MAX_PAGE_SIZE,
    B2BUnavailable,
    CommerceClient,
    CommerceReader,
    NotFound,
    SearchCriteria,
)
from mlconnector.systems.commerce.entities import COMPANIES, PURCHASE_ORDERS, Entity

_log = logging.getLogger(__name__)

PAYMENT_METHODS = ("companycredit", "purchaseorder")  # payment on account, payment by purchase order
PLACED = "order_placed"  # the status of a purchase order that became an order


class PoOrigin(StrEnum):
    NO_B2B = "no_b2b"
    ROUTE = "route"
    ORDERS = "orders"


def origin_notes(origin: PoOrigin, route: str | None) -> tuple[str, ...]:
    """What the run report (and a ping) says about where purchase orders come from."""
    if origin is PoOrigin.NO_B2B:
        return ("B2B is not installed on this store: no purchase orders to post",)
    if origin is PoOrigin.ROUTE:
        return (
            f"purchase orders are read from the store's purchase-order REST route {route} (added by an extension), "
            "in every status, including approved ones not yet placed as orders",
        )
    looked = "has no purchase-order REST route" if route else "is not asked for a purchase-order REST route"
    return (
        f"this store {looked}: purchase orders are posted once approved and placed as orders (payment on account / "
        "purchase order); those awaiting approval are not visible over REST",
    )


def route_entity(path: str) -> Entity:
    if path == PURCHASE_ORDERS.search_path:
        return PURCHASE_ORDERS
    return Entity("purchase_orders", path, f"{path}/{{id}}", b2b=True, label="purchase order")


# ---------------------------------------------------------------------------------------------- normalisers


def normalise_route_po(po: Mapping[str, Any], customers: Mapping[str, Mapping[str, Any]]) -> dict[str, Any]:
    """A purchase order from the route. Its creator is only an id there: `customers` (by id) give the email and
    name the vendor is matched or created with."""
    creator_id = _text(po.get("creator_id"))
    customer = customers.get(creator_id or "", {})
    return {
        "po_number": _text(po.get("increment_id")) or f"entity_id:{po.get('entity_id')}",
        "status": _text(po.get("status")),
        "company_id": _text(po.get("company_id")),
        "creator": _person(creator_id, customer.get("email"), customer.get("firstname"), customer.get("lastname")),
        "currency": _text(po.get("currency_code")),
        "created_at": _text(po.get("created_at")),
        "lines": [_line(i.get("sku"), i.get("name"), i.get("qty"), i.get("price")) for i in po.get("items") or []],
        "order": _text(po.get("order_increment_id")),
        "source": "route",
    }


def is_po_order(order: Mapping[str, Any], payment_methods: Collection[str]) -> bool:
    """Placed from a B2B purchase order: a company order paid on account or by purchase order."""
    attributes = (order.get("extension_attributes") or {}).get("company_order_attributes")
    method = (order.get("payment") or {}).get("method")
    return bool(attributes) and method in payment_methods


def normalise_po_order(order: Mapping[str, Any]) -> dict[str, Any]:
    """A purchase order seen as the order placed from it. Its number is payment.po_number when present
    (UNVERIFIED: that Commerce fills it with the purchase order's number), else the order's increment id. Its
    status is "order_placed", or "canceled" once the order is."""
    payment = order.get("payment") or {}
    attributes = (order.get("extension_attributes") or {}).get("company_order_attributes") or {}
    increment_id = _text(order.get("increment_id"))
    email = order.get("customer_email") or (order.get("billing_address") or {}).get("email")
    guest = order.get("customer_is_guest")
    return {
        "po_number": _text(payment.get("po_number")) or increment_id or f"entity_id:{order.get('entity_id')}",
        "status": "canceled" if order.get("state") == "canceled" else PLACED,
        "company_id": _text(attributes.get("company_id")),
        "creator": _person(
            None if guest else _text(order.get("customer_id")),
            email,
            order.get("customer_firstname"),
            order.get("customer_lastname"),
        ),
        "currency": _text(order.get("order_currency_code")),
        "created_at": _text(order.get("created_at")),
        "lines": [
            _line(i.get("sku"), i.get("name"), i.get("qty_ordered"), i.get("price"))
            for i in order.get("items") or []
            if not i.get("parent_item_id")  # a configurable product's child: its parent carries the price
        ],
        "order": increment_id,
        "source": "order",
    }


def _person(customer_id: str | None, email: Any, first: Any, last: Any) -> dict[str, str | None]:
    name = " ".join(part for part in (_text(first), _text(last)) if part)
    return {"id": customer_id, "email": _text(email), "name": name or None}


def _line(sku: Any, name: Any, qty: Any, price: Any) -> dict[str, Any]:
    return {"sku": _text(sku), "name": _text(name), "qty": qty, "price": price}


def _text(value: Any) -> str | None:
    text = str(value).strip() if value is not None else ""
    return text or None


# ---------------------------------------------------------------------------------------------- the reader


@dataclass
class PurchaseOrderSource:
    """An engine Reader of B2B purchase orders (see the module docstring)."""

    system: ClassVar[str] = "commerce"
    object: ClassVar[str] = "purchase order"

    client: CommerceClient
    route: str | None = PURCHASE_ORDERS.search_path
    """The purchase-order list path (UNVERIFIED, from posting.po_route); None: never look for it."""
    payment_methods: Collection[str] = PAYMENT_METHODS
    overlap_seconds: int = 300
    page_size: int = MAX_PAGE_SIZE  # fewest requests: Commerce refuses larger pages (reference §4)
    orders_read: int = field(default=0, init=False)
    orders_kept: int = field(default=0, init=False)
    _origin: PoOrigin | None = field(default=None, init=False)
    _creators: dict[str, Mapping[str, Any]] = field(default_factory=dict, init=False)

    def __post_init__(self) -> None:
        self._orders_reader = CommerceReader(
            self.client, "orders", "increment_id", overlap_seconds=self.overlap_seconds, page_size=self.page_size
        )
        self._route_spec = route_entity(self.route) if self.route is not None else None
        self._route_reader = (
            CommerceReader(
                self.client, self._route_spec, "increment_id", self.overlap_seconds, page_size=self.page_size
            )
            if self._route_spec is not None
            else None
        )

    @property
    def origin(self) -> PoOrigin | None:
        """None until the first read decided it."""
        return self._origin

    @property
    def notes(self) -> tuple[str, ...]:
        if self._origin is None:
            return ()
        notes = origin_notes(self._origin, self.route)
        if self._origin is PoOrigin.ORDERS and self.orders_read:
            notes += (f"{self.orders_kept} of {self.orders_read} order(s) read were placed from a purchase order",)
        return notes

    def pages(self, since: str | None) -> Iterator[Page]:
        """The cursor is `<origin>:<updated_at>`: a position in one list only. When the origin changed (an
        extension added the route, B2B was installed), the new list is read from its start once; what was
        posted already is unchanged content and costs no write."""
        origin = self.decide()
        prefix = f"{origin.value}:"
        position = since[len(prefix) :] if since is not None and since.startswith(prefix) else None
        if origin is PoOrigin.ROUTE:
            assert self._route_reader is not None
            for page in self._route_reader.pages(position):
                yield Page(self._from_route(page.records), _cursor(prefix, page.cursor))
        elif origin is PoOrigin.ORDERS:
            for page in self._orders_reader.pages(position):  # the cursor moves past the other orders too
                yield Page(self._from_orders(page.records), _cursor(prefix, page.cursor))

    def fetch(self, keys: Sequence[str]) -> list[SourceRecord]:
        """Current purchase orders by PO number. From orders: the ones whose number is their increment id are
        searched by it; the others are found by reading the orders list (payment.po_number is not filterable:
        searchCriteria filter only top-level attributes), stopping once all are found."""
        origin = self.decide()
        wanted = set(keys)
        if origin is PoOrigin.ROUTE:
            assert self._route_reader is not None
            return [r for r in self._from_route(self._route_reader.fetch(keys)) if r.key in wanted]
        if origin is PoOrigin.NO_B2B or not wanted:
            return []
        found = {r.key: r for r in self._from_orders(self._orders_reader.fetch(keys)) if r.key in wanted}
        missing = wanted - set(found)
        if missing:
            for page in self._orders_reader.pages(None):
                for record in self._from_orders(page.records):
                    if record.key in missing:
                        found[record.key] = record
                        missing.discard(record.key)
                if not missing:
                    break
        return list(found.values())

    def decide(self) -> PoOrigin:
        """Where purchase orders come from, probed once (ping asks too)."""
        if self._origin is None:
            self._origin = self._probe()
            _log.info("purchase orders come from %s", self._origin.value)
        return self._origin

    def _probe(self) -> PoOrigin:
        """One search of one row per route: the company route tells B2B is installed, then the PO route."""
        probe = SearchCriteria(page_size=1)
        try:
            self.client.search(COMPANIES, probe)
        except B2BUnavailable:
            return PoOrigin.NO_B2B
        if self._route_spec is None:
            return PoOrigin.ORDERS
        try:
            self.client.search(self._route_spec, probe)
        except B2BUnavailable:
            return PoOrigin.ORDERS
        return PoOrigin.ROUTE

    def _from_route(self, records: Sequence[SourceRecord]) -> list[SourceRecord]:
        creators = {str(r.data["creator_id"]) for r in records if str(r.data.get("creator_id") or "").isdigit()}
        customers = self._customers(creators)
        return [_keyed(normalise_route_po(r.data, customers)) for r in records]

    def _from_orders(self, records: Sequence[SourceRecord]) -> list[SourceRecord]:
        kept = [_keyed(normalise_po_order(r.data)) for r in records if is_po_order(r.data, self.payment_methods)]
        self.orders_read += len(records)
        self.orders_kept += len(kept)
        return kept

    def _customers(self, ids: Iterable[str]) -> dict[str, Mapping[str, Any]]:
        """The creators, read once per run each by id (GET /V1/customers/{id}: a search filtering customers by
        id names the field differently across versions); a deleted customer is left out."""
        for customer_id in sorted(set(ids) - set(self._creators)):
            try:
                self._creators[customer_id] = self.client.get_customer(customer_id)
            except NotFound:
                self._creators[customer_id] = {}
        return {k: v for k, v in self._creators.items() if v}


def _cursor(prefix: str, position: str | None) -> str | None:
    return None if position is None else prefix + position


def _keyed(data: dict[str, Any]) -> SourceRecord:
    return SourceRecord(str(data["po_number"]), data)
