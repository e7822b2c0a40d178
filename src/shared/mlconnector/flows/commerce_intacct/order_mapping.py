"""Pure mappings: a Commerce order as an Intacct AP bill, and the customer it is posted to.

The bill's lines and fields are built by `bill_lines` and `ap_bill`, which invoice_mapping.py shares (posting
config bill_source = "invoices")."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from datetime import datetime, timedelta
from decimal import Decimal, InvalidOperation
from typing import Any

from mlconnector.engine.records import MappingError, SkipRecord, SourceRecord
from mlconnector.flows.commerce_intacct.posting import PostingConfig
from mlconnector.flows.intacct_destination.payee import VENDOR_KEY, Customer

CENT = Decimal("0.01")


def customer_of(order: dict[str, Any]) -> Customer:
    email = text(order.get("customer_email")) or text((order.get("billing_address") or {}).get("email"))
    first, last = text(order.get("customer_firstname")), text(order.get("customer_lastname"))
    name = " ".join(p for p in (first, last) if p) or email or ""
    customer_id = order.get("customer_id")
    if customer_id and not order.get("customer_is_guest"):
        return Customer(f"customer:{customer_id}", email.lower() if email else None, name or f"Customer {customer_id}")
    if not email:
        raise MappingError("the order's customer has no email: no vendor can be matched or created for it")
    return Customer(f"guest:{email.lower()}", email.lower(), name)


def order_to_bill(record: SourceRecord, config: PostingConfig) -> dict[str, Any]:
    """APBILL fields (generic create), plus the customer under VENDOR_KEY for the writer to resolve."""
    order = dict(record.data)
    state = text(order.get("state")) or ""
    if state in config.skip_states:
        raise SkipRecord(f"order is {state}")
    currency = enabled_currency(order.get("order_currency_code"), config)
    items = [item for item in order.get("items") or [] if not item.get("parent_item_id")]
    lines = bill_lines(items, "qty_ordered", order, config)
    if not lines:
        raise MappingError("the order has no lines; an Intacct bill needs at least one")
    created = commerce_time(order.get("created_at"))
    return ap_bill(
        customer_of(order),
        record_id=f"{config.bill_prefix}{record.key}",
        created=created,
        description=f"Adobe Commerce order {record.key}",
        currency=currency,
        lines=lines,
        config=config,
    )


def ap_bill(
    customer: Customer,
    *,
    record_id: str,
    created: datetime,
    description: str,
    currency: str,
    lines: list[dict[str, str]],
    config: PostingConfig,
) -> dict[str, Any]:
    """The APBILL fields every bill source shares, with the customer under VENDOR_KEY."""
    return {
        VENDOR_KEY: {"key": customer.key, "email": customer.email, "name": customer.name},
        "RECORDID": record_id,
        "WHENCREATED": created.strftime("%m/%d/%Y"),
        "WHENDUE": (created + timedelta(days=config.terms_days)).strftime("%m/%d/%Y"),
        "DESCRIPTION": description,
        "CURRENCY": currency,
        "APBILLITEMS": {"APBILLITEM": lines},
    }


def bill_total(bill: dict[str, Any]) -> Decimal:
    return sum((Decimal(line["TRX_AMOUNT"]) for line in bill["APBILLITEMS"]["APBILLITEM"]), Decimal(0))


def enabled_currency(value: Any, config: PostingConfig) -> str:
    """The document's currency, when the Intacct company has it enabled."""
    currency = text(value)
    if currency is None or currency not in config.currencies:
        raise MappingError(f"currency {currency!r} is not enabled in Intacct (enabled: {', '.join(config.currencies)})")
    return currency


def bill_lines(
    items: Iterable[Mapping[str, Any]], qty_field: str, amounts: Mapping[str, Any], config: PostingConfig
) -> list[dict[str, str]]:
    """One line per priced item (row_total less its discount; children of configurables already left out), then
    shipping and tax from the document's own `shipping_amount` and `tax_amount`. No item, no lines."""
    lines = []
    for item in items:
        amount = money(item.get("row_total"), "row_total") - money(item.get("discount_amount") or 0, "discount")
        qty = money(item.get(qty_field), qty_field).normalize()
        description = f"{text(item.get('sku')) or '?'} {text(item.get('name')) or ''} x{qty}".strip()
        lines.append({"ACCOUNTNO": config.item_account, "TRX_AMOUNT": str(amount), "ENTRYDESCRIPTION": description})
    if not lines:
        return []
    for label, field, account in (
        ("Shipping", "shipping_amount", config.shipping_account),
        ("Tax", "tax_amount", config.tax_account),
    ):
        amount = money(amounts.get(field) or 0, field)
        if amount:
            lines.append({"ACCOUNTNO": account, "TRX_AMOUNT": str(amount), "ENTRYDESCRIPTION": label})
    return lines


def money(value: Any, name: str) -> Decimal:
    """An amount to the cent; a MappingError naming the field when it is not one."""
    try:
        return Decimal(str(value)).quantize(CENT)
    except (InvalidOperation, ValueError):
        raise MappingError(f"{name} {value!r} is not an amount") from None


def commerce_time(value: Any) -> datetime:
    """A Commerce `created_at` ("YYYY-MM-DD HH:MM:SS", UTC)."""
    try:
        return datetime.strptime(str(value), "%Y-%m-%d %H:%M:%S")
    except ValueError:
        raise MappingError(f"created_at {value!r} is not a Commerce timestamp") from None


def text(value: Any) -> str | None:
    text = str(value).strip() if value is not None else ""
    return text or None
