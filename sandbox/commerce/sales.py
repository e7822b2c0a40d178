"""Invoices and credit memos derived from an order, and what they do to the order's totals.

Pure functions on plain dicts: the seed and the action endpoints (``order/{id}/invoice|refund``)
share them, so seeded and API-created documents look alike.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from sandbox.commerce.values import Record, increment_id, money

INVOICE_PAID = 2  # Magento\Sales\Model\Order\Invoice::STATE_PAID
CREDITMEMO_REFUNDED = 2  # Magento\Sales\Model\Order\Creditmemo::STATE_REFUNDED


def order_totals(items: list[Record], tax_rate: float, shipping: float) -> dict[str, float]:
    subtotal = money(sum(float(item["row_total"]) for item in items))
    tax = money(subtotal * tax_rate)
    grand = money(subtotal + tax + shipping)
    return {"subtotal": subtotal, "tax_amount": tax, "shipping_amount": shipping, "grand_total": grand}


def _document_items(order: Record, quantities: Mapping[int, float], document_id: int) -> list[Record]:
    lines: list[Record] = []
    for item in order.get("items", []):
        qty = quantities.get(int(item["item_id"]), 0.0)
        if qty <= 0:
            continue
        row = money(float(item["price"]) * qty)
        ratio = row / float(item["row_total"]) if item["row_total"] else 0.0
        lines.append(
            {
                "entity_id": document_id * 100 + len(lines) + 1,
                "parent_id": document_id,
                "order_item_id": item["item_id"],
                "product_id": item["product_id"],
                "sku": item["sku"],
                "name": item["name"],
                "qty": qty,
                "price": item["price"],
                "base_price": item["price"],
                "row_total": row,
                "base_row_total": row,
                "tax_amount": money(float(item["tax_amount"]) * ratio),
                "discount_amount": 0,
            }
        )
    return lines


def _document(order: Record, document_id: int, lines: list[Record], *, shipping: float, now: str) -> Record:
    subtotal = money(sum(float(line["row_total"]) for line in lines))
    tax = money(sum(float(line["tax_amount"]) for line in lines))
    grand = money(subtotal + tax + shipping)
    return {
        "entity_id": document_id,
        "increment_id": increment_id(document_id),
        "order_id": order["entity_id"],
        "store_id": order["store_id"],
        "order_currency_code": order["order_currency_code"],
        "base_currency_code": order["base_currency_code"],
        "global_currency_code": order["global_currency_code"],
        "subtotal": subtotal,
        "base_subtotal": subtotal,
        "tax_amount": tax,
        "base_tax_amount": tax,
        "shipping_amount": shipping,
        "base_shipping_amount": shipping,
        "discount_amount": 0,
        "grand_total": grand,
        "base_grand_total": grand,
        "billing_address_id": order["billing_address"]["entity_id"] if "billing_address" in order else None,
        "created_at": now,
        "updated_at": now,
        "items": lines,
        "comments": [],
    }


def open_quantities(order: Record, field: str) -> dict[int, float]:
    """Per order item, the quantity not yet invoiced (``qty_invoiced``) or refunded (``qty_refunded``)."""
    base = "qty_ordered" if field == "qty_invoiced" else "qty_invoiced"
    return {
        int(item["item_id"]): float(item[base]) - float(item[field])
        for item in order.get("items", [])
        if float(item[base]) - float(item[field]) > 0
    }


def invoice_order(order: Record, invoice_id: int, quantities: Mapping[int, float], now: str) -> Record:
    """A paid invoice for ``quantities``; the order (mutated) records it and moves to processing."""
    lines = _document_items(order, quantities, invoice_id)
    first = not order.get("total_invoiced")
    shipping = float(order["shipping_amount"]) if first else 0.0
    invoice = _document(order, invoice_id, lines, shipping=shipping, now=now)
    invoice["state"] = INVOICE_PAID
    for item in order["items"]:
        item["qty_invoiced"] = float(item["qty_invoiced"]) + quantities.get(int(item["item_id"]), 0.0)
    order["total_invoiced"] = money(float(order.get("total_invoiced") or 0) + invoice["grand_total"])
    order["total_paid"] = order["total_invoiced"]
    order["total_due"] = money(float(order["grand_total"]) - order["total_paid"])
    if order["state"] in ("new", "pending_payment"):
        order["state"] = order["status"] = "processing"
    order["updated_at"] = now
    return invoice


def refund_order(order: Record, memo_id: int, quantities: Mapping[int, float], now: str, **arguments: Any) -> Record:
    """An offline credit memo; the order (mutated) records it and closes once fully refunded."""
    lines = _document_items(order, quantities, memo_id)
    shipping = float(arguments.get("shipping_amount", 0) or 0)
    memo = _document(order, memo_id, lines, shipping=shipping, now=now)
    positive = float(arguments.get("adjustment_positive", 0) or 0)
    negative = float(arguments.get("adjustment_negative", 0) or 0)
    memo["grand_total"] = memo["base_grand_total"] = money(memo["grand_total"] + positive - negative)
    memo.update(
        state=CREDITMEMO_REFUNDED,
        creditmemo_status=CREDITMEMO_REFUNDED,
        adjustment_positive=positive,
        adjustment_negative=negative,
        invoice_id=arguments.get("invoice_id"),
    )
    for item in order["items"]:
        item["qty_refunded"] = float(item["qty_refunded"]) + quantities.get(int(item["item_id"]), 0.0)
    order["total_refunded"] = money(float(order.get("total_refunded") or 0) + memo["grand_total"])
    if all(float(item["qty_refunded"]) >= float(item["qty_ordered"]) for item in order["items"]):
        order["state"] = order["status"] = "closed"
    order["updated_at"] = now
    return memo
