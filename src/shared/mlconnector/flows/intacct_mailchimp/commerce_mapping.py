"""Pure mappings to Mailchimp e-commerce: customers (from Intacct customers and vendors), products (GL accounts),
orders (AP bills) and the order status changes AP payments cause (no I/O)."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Mapping, Sequence
from datetime import UTC, datetime
from decimal import Decimal, InvalidOperation
from typing import Any

from mlconnector.engine.records import MappingError, SkipRecord, SourceRecord
from mlconnector.flows.fields import field
from mlconnector.flows.intacct_mailchimp.config import CANCELLED, OrdersConfig, StoreConfig

CUSTOMER_PREFIX = "C-"
VENDOR_PREFIX = "V-"
ORDER_PREFIX = "bill-"
LINES = "__lines__"
"""Key under which the bill reader puts a bill's lines (APBILLITEM rows)."""
BILLS = "__bills__"
"""Key under which the payment reader puts the bills a payment pays (APBILL rows)."""
ID_MAX = 50  # Mailchimp answers 404 (not 400) on orders of a longer customer id

PARTY_SELECT = (
    "DISPLAYCONTACT.EMAIL1",
    "DISPLAYCONTACT.FIRSTNAME",
    "DISPLAYCONTACT.LASTNAME",
    "DISPLAYCONTACT.MAILADDRESS.ADDRESS1",
    "DISPLAYCONTACT.MAILADDRESS.ADDRESS2",
    "DISPLAYCONTACT.MAILADDRESS.CITY",
    "DISPLAYCONTACT.MAILADDRESS.STATE",
    "DISPLAYCONTACT.MAILADDRESS.ZIP",
    "DISPLAYCONTACT.MAILADDRESS.COUNTRY",
)
CUSTOMER_SELECT = ("RECORDNO", "CUSTOMERID", "NAME", "STATUS", *PARTY_SELECT, "WHENMODIFIED")
VENDOR_SELECT = ("RECORDNO", "VENDORID", "NAME", "STATUS", *PARTY_SELECT, "WHENMODIFIED")
GLACCOUNT_SELECT = ("RECORDNO", "ACCOUNTNO", "TITLE", "ACCOUNTTYPE", "STATUS", "WHENMODIFIED")
BILL_SELECT = (
    "RECORDNO",
    "RECORDID",
    "STATE",
    "VENDORID",
    "WHENCREATED",
    "TOTALENTERED",
    "TOTALPAID",
    "CURRENCY",
    "BASECURR",
    "WHENMODIFIED",
)
LINE_SELECT = ("RECORDNO", "RECORDKEY", "LINE_NO", "ACCOUNTNO", "ACCOUNTTITLE", "TRX_AMOUNT")
PAYMENT_SELECT = ("RECORDNO", "RECORDID", "STATE", "VENDORID", "WHENPAID", "TOTALENTERED", "WHENMODIFIED")


def customer_id(prefix: str, intacct_id: str) -> str:
    value = f"{prefix}{intacct_id}"
    if len(value) > ID_MAX:
        raise MappingError(f"the Mailchimp customer id {value!r} would exceed {ID_MAX} characters")
    return value


def party_customer(record: SourceRecord, *, prefix: str, id_field: str, store: StoreConfig) -> dict[str, Any]:
    """An Intacct customer (prefix C-) or vendor (V-) as an e-commerce customer. Mailchimp needs an email."""
    data = record.data
    email = field(data, "DISPLAYCONTACT.EMAIL1")
    if email is None:
        raise SkipRecord("it has no email (DISPLAYCONTACT.EMAIL1): Mailchimp needs one for an e-commerce customer")
    customer: dict[str, Any] = {
        "id": customer_id(prefix, field(data, id_field) or record.key),
        "email_address": email.lower(),
        "opt_in_status": store.opt_in_status,
        "company": field(data, "NAME"),
        "first_name": field(data, "DISPLAYCONTACT.FIRSTNAME"),
        "last_name": field(data, "DISPLAYCONTACT.LASTNAME"),
    }
    address = {
        "address1": field(data, "DISPLAYCONTACT.MAILADDRESS.ADDRESS1"),
        "address2": field(data, "DISPLAYCONTACT.MAILADDRESS.ADDRESS2"),
        "city": field(data, "DISPLAYCONTACT.MAILADDRESS.CITY"),
        "province": field(data, "DISPLAYCONTACT.MAILADDRESS.STATE"),
        "postal_code": field(data, "DISPLAYCONTACT.MAILADDRESS.ZIP"),
        "country": field(data, "DISPLAYCONTACT.MAILADDRESS.COUNTRY"),
    }
    if any(address.values()):
        customer["address"] = {k: v for k, v in address.items() if v is not None}
    return {k: v for k, v in customer.items() if v is not None}


def gl_product(record: SourceRecord) -> dict[str, Any]:
    """A GL account as a product with one variant of the same id: bill lines are orders' lines by GL account."""
    number = field(record.data, "ACCOUNTNO") or record.key
    title = field(record.data, "TITLE") or f"GL account {number}"
    product_title = f"{number} {title}"
    return {"id": number, "title": product_title, "variants": [{"id": number, "title": product_title}]}


def bill_order(record: SourceRecord, *, orders: OrdersConfig, store: StoreConfig) -> dict[str, Any]:
    """An AP bill as an order of its vendor's customer (V-<VENDORID>): one line per GL account, its amounts summed."""
    data = record.data
    vendor = field(data, "VENDORID")
    if vendor is None:
        raise MappingError("the bill has no VENDORID")
    lines = _lines(data.get(LINES) or [])
    if not lines:
        raise MappingError("the bill has no lines with a GL account: an order needs at least one line")
    status = orders.status_of(field(data, "STATE"))
    order: dict[str, Any] = {
        "id": order_id(record),
        "customer": {"id": customer_id(VENDOR_PREFIX, vendor)},
        "currency_code": field(data, "CURRENCY") or field(data, "BASECURR") or store.currency_code,
        "order_total": _amount(data, "TOTALENTERED"),
        "financial_status": status,
        "processed_at_foreign": _iso(field(data, "WHENCREATED"), "WHENCREATED"),
        "lines": lines,
    }
    if status == CANCELLED:
        order["cancelled_at_foreign"] = _iso(field(data, "WHENMODIFIED"), "WHENMODIFIED")
    return order


def order_id(record: SourceRecord) -> str:
    return f"{ORDER_PREFIX}{field(record.data, 'RECORDNO') or record.key}"


def payment_statuses(record: SourceRecord, *, orders: OrdersConfig) -> dict[str, Any]:
    """The financial_status each order this payment pays should now have, by order id (from the bills' STATE)."""
    bills: Sequence[Mapping[str, Any]] = record.data.get(BILLS) or []
    if not bills:
        raise MappingError("no bill of this payment was found in Intacct")
    statuses = {
        f"{ORDER_PREFIX}{field(bill, 'RECORDNO')}": orders.status_of(field(bill, "STATE"))
        for bill in sorted(bills, key=lambda bill: int(field(bill, "RECORDNO") or 0))
    }
    return {"orders": statuses}


def _lines(rows: Sequence[Mapping[str, Any]]) -> list[dict[str, Any]]:
    totals: dict[str, Decimal] = defaultdict(Decimal)
    for row in rows:
        account = field(row, "ACCOUNTNO")
        if account is not None:
            totals[account] += Decimal(str(_amount(row, "TRX_AMOUNT")))
    return [
        {"id": account, "product_id": account, "product_variant_id": account, "quantity": 1, "price": float(total)}
        for account, total in sorted(totals.items())
    ]


def _amount(data: Mapping[str, Any], name: str) -> float:
    text = field(data, name)
    try:
        return float(Decimal(text or "0"))
    except InvalidOperation:
        raise MappingError(f"{name} {text!r} is not an amount") from None


def _iso(value: str | None, name: str) -> str:
    """Intacct dates (MM/DD/YYYY) and timestamps (MM/DD/YYYY HH:MM:SS) as ISO 8601 with an offset."""
    if value is None:
        raise MappingError(f"{name} is empty")
    for pattern in ("%m/%d/%Y %H:%M:%S", "%m/%d/%Y", "%Y-%m-%dT%H:%M:%S%z", "%Y-%m-%d"):
        try:
            parsed = datetime.strptime(value, pattern)
        except ValueError:
            continue
        return (parsed if parsed.tzinfo else parsed.replace(tzinfo=UTC)).isoformat()
    raise MappingError(f"{name} {value!r} is not a date")
