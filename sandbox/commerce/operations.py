"""One function per Web API operation: (context, request, route) -> the JSON payload to answer."""

from __future__ import annotations

import copy
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from sandbox.commerce.config import CommerceSimConfig
from sandbox.commerce.customers import create_customer, save_company, update_customer
from sandbox.commerce.errors import WebapiError, invalid_value, no_such_entity
from sandbox.commerce.routes import Op, Route
from sandbox.commerce.sales import invoice_order, open_quantities, refund_order
from sandbox.commerce.schema import COLUMNS, FIELD_OF_COLUMN
from sandbox.commerce.search import parse_criteria, run_search
from sandbox.commerce.store import Store
from sandbox.core.messages import SimRequest

CANNOT_INVOICE = "The order does not allow an invoice to be created."
CANNOT_REFUND = "The order does not allow a creditmemo to be created."  # UNVERIFIED text
NO_INVOICE_ITEMS = "The invoice can't be created without products. Add products and try again."
NO_REFUND_ITEMS = "You can't create a creditmemo without products."  # UNVERIFIED text


@dataclass(frozen=True)
class ApiContext:
    config: CommerceSimConfig
    store: Store
    now: str  # this call's timestamp, YYYY-MM-DD HH:MM:SS UTC


Operation = Callable[[ApiContext, SimRequest, Route], Any]


# The purchase-order table's filterable columns, for the UNVERIFIED extension route (config.purchase_order_route).
PURCHASE_ORDER_COLUMNS = frozenset(
    {"entity_id", "increment_id", "status", "company_id", "creator_id", "order_id", "order_increment_id",
     "currency_code", "subtotal", "grand_total", "created_at", "updated_at"}
)  # fmt: skip


def _lister(table: str, columns: frozenset[str] | None = None) -> Operation:
    def run(ctx: ApiContext, request: SimRequest, _route: Route) -> Any:
        criteria = parse_criteria(request.query, ctx.config)
        with ctx.store.lock:
            items, total = run_search(
                ctx.store.rows(table), criteria, columns or COLUMNS[table], ctx.config, FIELD_OF_COLUMN.get(table)
            )
            items = copy.deepcopy(items)
        return {"items": items, "search_criteria": criteria.echo, "total_count": total}

    return run


def _getter(table: str, missing: Callable[[int], WebapiError]) -> Operation:
    def run(ctx: ApiContext, _request: SimRequest, route: Route) -> Any:
        assert route.entity_id is not None
        with ctx.store.lock:
            found = ctx.store.get(table, route.entity_id)
            if found is None:
                raise missing(route.entity_id)
            return copy.deepcopy(found)

    return run


def _body(request: SimRequest) -> dict[str, Any]:
    try:
        payload = request.json()
    except ValueError as exc:
        raise WebapiError(400, "Decoding error: %1", [str(exc)[:80]]) from exc  # UNVERIFIED text
    if not isinstance(payload, dict):
        raise WebapiError(400, "Decoding error: %1", ["a JSON object was expected"])
    return payload


def _quantities(body: dict[str, Any], available: dict[int, float]) -> dict[int, float]:
    """``items: [{"order_item_id", "qty"}]`` or, when absent, everything still open."""
    items = body.get("items")
    if items is None:
        return available
    if not isinstance(items, list):
        raise invalid_value("items", items)
    wanted: dict[int, float] = {}
    for entry in items:
        if not isinstance(entry, dict) or not isinstance(entry.get("order_item_id"), int):
            raise invalid_value("order_item_id", entry)
        qty = float(entry.get("qty", 0) or 0)
        if qty > available.get(entry["order_item_id"], 0.0):
            raise invalid_value("qty", entry.get("qty"))  # UNVERIFIED: Magento's over-quantity message
        if qty > 0:
            wanted[entry["order_item_id"]] = qty
    return wanted


def _invoice(ctx: ApiContext, request: SimRequest, route: Route) -> Any:
    assert route.entity_id is not None
    body = _body(request)
    with ctx.store.lock:
        order = ctx.store.get("orders", route.entity_id)
        if order is None:
            raise no_such_entity()
        available = open_quantities(order, "qty_invoiced")
        if order["state"] in ("canceled", "closed", "holded", "complete") or not available:
            raise WebapiError(400, CANNOT_INVOICE)
        quantities = _quantities(body, available)
        if not quantities:
            raise WebapiError(400, NO_INVOICE_ITEMS)
        invoice = invoice_order(order, ctx.store.next_id("invoices"), quantities, ctx.now)
        ctx.store.put("invoices", invoice)
        return invoice["entity_id"]


def _refund(ctx: ApiContext, request: SimRequest, route: Route) -> Any:
    assert route.entity_id is not None
    body = _body(request)
    arguments = body.get("arguments") or {}
    if not isinstance(arguments, dict):
        raise invalid_value("arguments", arguments)
    with ctx.store.lock:
        order = ctx.store.get("orders", route.entity_id)
        if order is None:
            raise no_such_entity()
        available = open_quantities(order, "qty_refunded")
        if order["state"] in ("canceled", "closed") or not available:
            raise WebapiError(400, CANNOT_REFUND)
        quantities = _quantities(body, available)
        if not quantities:
            raise WebapiError(400, NO_REFUND_ITEMS)
        known = ("shipping_amount", "adjustment_positive", "adjustment_negative")
        memo = refund_order(
            order, ctx.store.next_id("creditmemos"), quantities, ctx.now, **{k: arguments.get(k) for k in known}
        )
        ctx.store.put("creditmemos", memo)
        return memo["entity_id"]


def _customer_create(ctx: ApiContext, request: SimRequest, _route: Route) -> Any:
    return create_customer(ctx.store, _body(request), ctx.now, ctx.config.website_id)


def _customer_update(ctx: ApiContext, request: SimRequest, route: Route) -> Any:
    assert route.entity_id is not None
    return update_customer(ctx.store, route.entity_id, _body(request), ctx.now)


def _company_save(ctx: ApiContext, request: SimRequest, route: Route) -> Any:
    return save_company(ctx.store, route.entity_id, _body(request))


OPERATIONS: dict[Op, Operation] = {
    Op.ORDERS_LIST: _lister("orders"),
    Op.ORDERS_GET: _getter("orders", lambda _id: no_such_entity()),
    Op.ORDERS_INVOICE: _invoice,
    Op.ORDERS_REFUND: _refund,
    Op.INVOICES_LIST: _lister("invoices"),
    Op.INVOICES_GET: _getter("invoices", lambda _id: no_such_entity()),
    Op.CREDITMEMOS_LIST: _lister("creditmemos"),
    Op.CREDITMEMOS_GET: _getter("creditmemos", lambda _id: no_such_entity()),
    Op.CUSTOMERS_SEARCH: _lister("customers"),
    Op.CUSTOMERS_GET: _getter("customers", lambda entity: no_such_entity("customerId", entity)),
    Op.CUSTOMERS_CREATE: _customer_create,
    Op.CUSTOMERS_UPDATE: _customer_update,
    Op.COMPANIES_LIST: _lister("companies"),
    Op.COMPANIES_GET: _getter("companies", lambda entity: no_such_entity("id", entity)),
    Op.COMPANIES_CREATE: _company_save,
    Op.COMPANIES_UPDATE: _company_save,
    Op.PURCHASE_ORDERS_LIST: _lister("purchase_orders", PURCHASE_ORDER_COLUMNS),
    Op.PURCHASE_ORDERS_GET: _getter("purchase_orders", lambda entity: no_such_entity("id", entity)),
}
