"""Pure mapping: a Commerce invoice, with its order attached by InvoiceReader, as an Intacct AP bill (posting config
bill_source = "invoices").

The bill has the shape of an order's bill (mapping.ap_bill, mapping.bill_lines): one line per invoiced item, then
shipping and tax from the invoice's own amounts (Commerce puts an order's shipping on its first invoice), the
order's customer under VENDOR_KEY, RECORDID = bill_prefix + the invoice's increment id. So an order invoiced in
two parts gives two bills on one vendor, together worth the order.

A canceled invoice (state 3) is skipped. posting.skip_states is for orders only: an invoice is owed whatever its
order's state becomes later (Commerce cancels only what is not invoiced), and an order's change does not bring
its invoices back to be read.
"""

from __future__ import annotations

from collections.abc import Mapping
from decimal import Decimal, InvalidOperation
from typing import Any

from mlconnector.engine.records import MappingError, SkipRecord, SourceRecord
from mlconnector.flows.commerce_intacct.invoice_reader import INVOICE_ORDER_KEY
from mlconnector.flows.commerce_intacct.order_mapping import (
    ap_bill,
    bill_lines,
    commerce_time,
    customer_of,
    enabled_currency,
    text,
)
from mlconnector.flows.commerce_intacct.posting import PostingConfig

CANCELED = 3  # Magento\Sales\Model\Order\Invoice::STATE_CANCELED


def invoice_to_bill(record: SourceRecord, config: PostingConfig) -> dict[str, Any]:
    """APBILL fields (generic create), plus the order's customer under VENDOR_KEY for the writer to resolve."""
    invoice = dict(record.data)
    if str(invoice.get("state")) == str(CANCELED):
        raise SkipRecord("invoice is canceled")
    order = invoice.get(INVOICE_ORDER_KEY)
    if not isinstance(order, Mapping):
        raise MappingError(f"its order {invoice.get('order_id')!r} is not found in Commerce")
    currency = enabled_currency(invoice.get("order_currency_code") or order.get("order_currency_code"), config)
    lines = bill_lines(_priced_items(invoice, order), "qty", invoice, config)
    if not lines:
        raise MappingError("the invoice has no lines; an Intacct bill needs at least one")
    created = commerce_time(invoice.get("created_at"))
    order_number = text(order.get("increment_id")) or text(order.get("entity_id"))
    return ap_bill(
        customer_of(dict(order)),
        record_id=f"{config.bill_prefix}{record.key}",
        created=created,
        description=f"Adobe Commerce invoice {record.key} (order {order_number})",
        currency=currency,
        lines=lines,
        config=config,
    )


def _priced_items(invoice: Mapping[str, Any], order: Mapping[str, Any]) -> list[Mapping[str, Any]]:
    """The invoice's items that carry a price: not a configurable product's child (its parent carries the price;
    invoice items name their order item, whose parent_item_id tells), and not an item invoiced zero times
    (UNVERIFIED whether Commerce lists those on a partial invoice; left out either way)."""
    children = {
        str(item["item_id"])
        for item in order.get("items") or []
        if item.get("parent_item_id") and item.get("item_id") is not None
    }
    return [
        item
        for item in invoice.get("items") or []
        if not item.get("parent_item_id") and str(item.get("order_item_id")) not in children and _invoiced(item)
    ]


def _invoiced(item: Mapping[str, Any]) -> bool:
    try:
        return Decimal(str(item.get("qty"))) != 0
    except InvalidOperation:
        return True  # not a quantity: bill_lines fails the invoice naming the field
