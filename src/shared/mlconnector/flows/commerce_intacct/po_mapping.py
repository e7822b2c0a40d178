"""Pure mapping: a normalised B2B purchase order (po_reader.py) as Intacct `create_potransaction` fields.

The buyer is kept under VENDOR_KEY with the same customer key as the bills ("customer:<id>"), so a purchase order
and the bill of the order placed from it land on one vendor. Lines name Intacct items: a SKU maps through
posting.po_items, else to posting.po_default_item; a line priced at the store's unit price (shipping, tax and
discounts belong to the bill, not to the purchase order).
"""

from __future__ import annotations

from datetime import datetime, timedelta
from decimal import Decimal, InvalidOperation
from typing import Any

from mlconnector.engine.records import MappingError, SkipRecord, SourceRecord
from mlconnector.flows.commerce_intacct.order_mapping import CENT, text
from mlconnector.flows.commerce_intacct.posting import PostingConfig
from mlconnector.flows.intacct_destination.payee import VENDOR_KEY, Customer


def po_to_transaction(record: SourceRecord, config: PostingConfig) -> dict[str, Any]:
    """create_potransaction fields, plus the buyer under VENDOR_KEY for the writer to resolve to a VENDORID."""
    po = dict(record.data)
    status = text(po.get("status"))
    if status not in config.po_statuses:
        raise SkipRecord(f"purchase order is {status or 'without a status'}")
    currency = text(po.get("currency"))
    if currency not in config.currencies:
        raise MappingError(f"currency {currency!r} is not enabled in Intacct (enabled: {', '.join(config.currencies)})")
    lines = po_lines(po.get("lines") or [], config)
    created = _date(po.get("created_at"))
    buyer = buyer_of(po)
    number = record.key
    return {
        VENDOR_KEY: {"key": buyer.key, "email": buyer.email, "name": buyer.name},
        "transactiontype": config.po_transaction_type,
        "documentno": f"{config.po_prefix}{number}",
        "referenceno": number,
        "datecreated": created.date().isoformat(),
        "datedue": (created + timedelta(days=config.terms_days)).date().isoformat(),
        "currency": currency,
        "message": f"Adobe Commerce purchase order {number}",
        "lines": lines,
    }


def buyer_of(po: dict[str, Any]) -> Customer:
    """The customer who created the purchase order, keyed like `mapping.customer_of` keys a registered customer."""
    creator = po.get("creator") or {}
    customer_id, email, name = (text(creator.get(k)) for k in ("id", "email", "name"))
    if customer_id is None:
        raise MappingError("the purchase order names no buyer (creator customer id): no vendor can be matched")
    return Customer(
        f"customer:{customer_id}", email.lower() if email else None, name or email or f"Customer {customer_id}"
    )


def po_lines(lines: list[dict[str, Any]], config: PostingConfig) -> list[dict[str, str]]:
    """One potransitem per line; every SKU without an Intacct item is named in one MappingError."""
    if not lines:
        raise MappingError("the purchase order has no lines; an Intacct purchase order needs at least one")
    items = config.po_item_ids
    unmapped: list[str] = []
    out = []
    for number, line in enumerate(lines, start=1):
        sku = text(line.get("sku"))
        if sku is None:
            raise MappingError(f"line {number} has no SKU")
        item_id = items.get(sku) or config.po_default_item
        if item_id is None:
            unmapped.append(sku)
            continue
        quantity = _decimal(line.get("qty"), f"line {number} ({sku}) quantity")
        if quantity <= 0:
            raise MappingError(f"line {number} ({sku}) quantity {line.get('qty')!r} is not above zero")
        price = _decimal(line.get("price"), f"line {number} ({sku}) price")
        if price < 0:
            raise MappingError(f"line {number} ({sku}) price {line.get('price')!r} is negative")
        description = f"{sku} {text(line.get('name')) or ''}".strip()
        out.append({"itemid": item_id, "itemdesc": description, "quantity": _plain(quantity), "price": _price(price)})
    if unmapped:
        skus = list(dict.fromkeys(unmapped))
        which = f"SKU {skus[0]!r} has" if len(skus) == 1 else f"SKUs {', '.join(map(repr, skus))} have"
        raise MappingError(f"{which} no Intacct item: map it in posting.po_items or set posting.po_default_item")
    return out


def po_total(payload: dict[str, Any]) -> Decimal:
    return sum((Decimal(line["quantity"]) * Decimal(line["price"]) for line in payload["lines"]), Decimal(0))


def _decimal(value: Any, name: str) -> Decimal:
    try:
        number = Decimal(str(value).strip())
    except (InvalidOperation, ValueError):
        raise MappingError(f"{name} {value!r} is not a number") from None
    if not number.is_finite():
        raise MappingError(f"{name} {value!r} is not a number")
    return number


def _plain(number: Decimal) -> str:
    """Without exponent or trailing zeros: 2.0 → "2", 100 → "100", 1.50 → "1.5"."""
    return format(number.normalize(), "f")


def _price(price: Decimal) -> str:
    """To the cent, unless the store priced finer (a unit price of 0.125 stays)."""
    cents = price.quantize(CENT)
    return str(cents) if cents == price else _plain(price)


def _date(value: Any) -> datetime:
    try:
        return datetime.strptime(str(value), "%Y-%m-%d %H:%M:%S")
    except ValueError:
        raise MappingError(f"created_at {value!r} is not a Commerce timestamp") from None
