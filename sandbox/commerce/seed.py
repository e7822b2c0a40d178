"""Deterministic seeded data for ``(seed, size)``: customers, B2B companies, orders with items,
invoices and credit memos tied to them, B2B purchase orders, and a few tricky records.

``size`` is the number of regular orders; customers = max(4, size // 2), companies and purchase
orders scale with size / 10. The tricky records come after the regular ones (see TrickyIds), and
after them INVOICED_IN_PARTS orders invoiced in two parts (one invoice per item, shipping on the first).
"""

from __future__ import annotations

import random
import unicodedata
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from sandbox.commerce.sales import invoice_order, open_quantities, order_totals, refund_order
from sandbox.commerce.store import Store
from sandbox.commerce.values import Record, increment_id, money, stamp

EPOCH = datetime(2025, 1, 1, tzinfo=UTC)  # seeded history runs from here, about one year
UNKNOWN_CURRENCY = "ZZZ"
CONTROL_CHAR_NAME = "Bell\x07Tab\tEsc\x1bName"

FIRST_NAMES = (
    "Ann", "Ben", "Carla", "David", "Elena", "Frank", "Grace", "Hiro", "Ingrid", "Jamal", "Karin", "Liam",
    "Maya", "Noah", "Olivia", "Pedro", "José", "Zoë", "Łukasz", "François", "D'Arcy", "Renée",
)  # fmt: skip
LAST_NAMES = (
    "Lee", "Smith", "Garcia", "Johnson", "Brown", "Miller", "Davis", "Wilson", "Taylor", "Moore",
    "O'Brien", "Müller", "Nguyễn", "Østergaard", "Fernández", "Kowalski", "Tanaka", "van der Berg",
)  # fmt: skip
COMPANY_WORDS = ("Acme", "Summit", "Pioneer", "Harbor", "Granite", "Evergreen", "Northwind", "Redwood", "Keystone")
COMPANY_TRADES = ("Supplies", "Logistics", "Office Products", "Hardware", "Packaging", "Print & Copy")
PRODUCTS = (
    ("WS12-M-Orange", "Radiant Tee-M-Orange", 22.0), ("MH01-L-Gray", "Chaz Kangeroo Hoodie-L-Gray", 52.0),
    ("24-MB01", "Joust Duffle Bag", 34.0), ("24-WG085", "Sprite Yoga Strap 6 foot", 14.0),
    ("MJ09-XL-Blue", "Taurus Elements Shell-XL-Blue", 65.0), ("24-UG06", "Affirm Water Bottle", 7.0),
    ("WB04-S-Purple", "Electra Bra Top-S-Purple", 39.0), ("24-MG04", "Aim Analog Watch", 45.0),
    ("MSH02-32-Black", "Apollo Running Short-32-Black", 32.5), ("24-WB02", "Compete Track Tote", 32.0),
)  # fmt: skip
ADDRESSES = (
    ("123 Oak Ave", "Purchase", "New York", "NY", 43, "10577", "US"),
    ("77 Market St", "San Francisco", "California", "CA", 12, "94105", "US"),
    ("9 Elm Rd", "Austin", "Texas", "TX", 57, "78701", "US"),
    ("4 Rue de Rivoli", "Paris", "Paris", "", 0, "75001", "FR"),
    ("221B Baker St", "London", "London", "", 0, "NW1 6XE", "GB"),
)  # fmt: skip
CURRENCIES = ("USD", "USD", "USD", "USD", "EUR", "GBP")
STATES = (
    ("new", "pending"), ("processing", "processing"), ("processing", "processing"), ("complete", "complete"),
    ("complete", "complete"), ("complete", "complete"), ("closed", "closed"), ("canceled", "canceled"),
    ("holded", "holded"), ("pending_payment", "pending_payment"),
)  # fmt: skip
PO_OPEN_STATUSES = ("approval_required", "approved", "rejected", "canceled", "pending")
PO_PAYMENT_METHODS = ("companycredit", "purchaseorder")  # how orders placed from purchase orders are paid
TAX_RATE = {"US": 0.0825, "FR": 0.2, "GB": 0.2}
INVOICED_IN_PARTS = 2  # orders with two invoices each, seeded last


@dataclass(frozen=True)
class TrickyIds:
    """Ids of the records the connector's bad-input suite needs (None when not seeded)."""

    guest_without_email_order: int | None = None
    order_without_items: int | None = None
    unknown_currency_order: int | None = None
    control_chars_customer: int | None = None
    control_chars_order: int | None = None


def _ascii(text: str) -> str:
    folded = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    return "".join(ch for ch in folded.lower() if ch.isalnum())


def _moment(rng: random.Random, after: datetime | None = None) -> datetime:
    if after is not None:
        return after + timedelta(seconds=rng.randint(60, 20 * 86400))
    return EPOCH + timedelta(seconds=rng.randint(0, 300 * 86400))


def _address(rng: random.Random, address_id: int, first: str, last: str) -> Record:
    street, city, region, code, region_id, postcode, country = rng.choice(ADDRESSES)
    return {
        "id": address_id,
        "firstname": first,
        "lastname": last,
        "street": [street],
        "city": city,
        "region": {"region_code": code, "region": region, "region_id": region_id},
        "region_id": region_id,
        "postcode": postcode,
        "country_id": country,
        "telephone": f"512-555-{rng.randint(1000, 9999)}",
    }


def make_customer(store: Store, rng: random.Random, first: str, last: str, *, email: str, when: datetime) -> Record:
    customer_id = store.next_id("customers")
    address = _address(rng, store.next_address_id(), first, last)
    address.update(customer_id=customer_id, default_billing=True, default_shipping=True)
    return store.put(
        "customers",
        {
            "id": customer_id,
            "group_id": 1,
            "default_billing": str(address["id"]),
            "default_shipping": str(address["id"]),
            "created_at": stamp(when),
            "updated_at": stamp(_moment(rng, when)),
            "created_in": "Default Store View",
            "email": email,
            "firstname": first,
            "lastname": last,
            "store_id": 1,
            "website_id": 1,
            "addresses": [address],
            "disable_auto_group_change": 0,
            "extension_attributes": {"is_subscribed": False},
        },
    )


def _billing(
    order_id: int, address_id: int, customer: Record | None, *, email: str | None, rng: random.Random
) -> Record:
    if customer is not None and customer["addresses"]:
        source = customer["addresses"][0]
        first, last = customer["firstname"], customer["lastname"]
    else:
        first, last = rng.choice(FIRST_NAMES), rng.choice(LAST_NAMES)
        source = _address(rng, address_id, first, last)
    billing = {
        "address_type": "billing",
        "entity_id": address_id,
        "parent_id": order_id,
        "firstname": first,
        "lastname": last,
        "street": list(source["street"]),
        "city": source["city"],
        "region": source["region"]["region"],
        "region_code": source["region"]["region_code"],
        "region_id": source["region_id"],
        "postcode": source["postcode"],
        "country_id": source["country_id"],
        "telephone": source["telephone"],
    }
    if email:
        billing["email"] = email
    return billing


def order_items(order_id: int, lines: list[tuple[str, str, float, float]], country: str) -> list[Record]:
    """Simple-product order lines from ``(sku, name, price, qty)``."""
    items: list[Record] = []
    for number, (sku, name, price, qty) in enumerate(lines, start=1):
        row = money(price * qty)
        items.append(
            {
                "item_id": order_id * 100 + number,
                "order_id": order_id,
                "parent_item_id": None,
                "product_id": 1000 + sum(map(ord, sku)) % 900,
                "sku": sku,
                "name": name,
                "product_type": "simple",
                "qty_ordered": qty,
                "qty_invoiced": 0.0,
                "qty_refunded": 0.0,
                "qty_shipped": 0.0,
                "qty_canceled": 0.0,
                "price": price,
                "base_price": price,
                "original_price": price,
                "row_total": row,
                "base_row_total": row,
                "tax_percent": money(TAX_RATE.get(country, 0.0) * 100),
                "tax_amount": money(row * TAX_RATE.get(country, 0.0)),
                "discount_amount": 0,
            }
        )
    return items


def make_order(
    store: Store,
    rng: random.Random,
    *,
    customer: Record | None,
    email: str | None,
    lines: list[tuple[str, str, float, float]],
    currency: str,
    when: datetime,
    state: tuple[str, str] = ("new", "pending"),
) -> Record:
    """A placed order (state new/pending unless told); invoices and refunds are separate steps."""
    order_id = store.next_id("orders")
    billing = _billing(order_id, store.next_address_id(), customer, email=email, rng=rng)
    items = order_items(order_id, lines, billing["country_id"])
    shipping = money(5.0 * len(items))
    totals = order_totals(items, TAX_RATE.get(billing["country_id"], 0.0), shipping)
    order: Record = {
        "entity_id": order_id,
        "increment_id": increment_id(order_id),
        "quote_id": order_id + 1000,
        "state": state[0],
        "status": state[1],
        "created_at": stamp(when),
        "updated_at": stamp(when),
        "store_id": 1,
        "store_name": "Main Website\nMain Website Store\nDefault Store View",
        "customer_is_guest": 0 if customer is not None else 1,
        "customer_group_id": 1 if customer is not None else 0,
        "customer_firstname": billing["firstname"],
        "customer_lastname": billing["lastname"],
        "order_currency_code": currency,
        "base_currency_code": currency,
        "global_currency_code": currency,
        "store_currency_code": currency,
        **totals,
        "base_grand_total": totals["grand_total"],
        "base_subtotal": totals["subtotal"],
        "base_tax_amount": totals["tax_amount"],
        "discount_amount": 0,
        "total_due": totals["grand_total"],
        "total_item_count": len(items),
        "total_qty_ordered": sum(item["qty_ordered"] for item in items),
        "is_virtual": 0,
        "items": items,
        "billing_address": billing,
        "payment": {"method": "checkmo", "amount_ordered": totals["grand_total"], "additional_information": []},
        "status_histories": [],
        "extension_attributes": {},
    }
    if customer is not None:
        order["customer_id"] = customer["id"]
    if email:
        order["customer_email"] = email
    return store.put("orders", order)


def _lines(rng: random.Random, count: int) -> list[tuple[str, str, float, float]]:
    return [(*rng.choice(PRODUCTS), float(rng.randint(1, 3))) for _ in range(count)]


def _settle(store: Store, rng: random.Random, order: Record, when: datetime) -> None:
    """Bring a seeded order to its target state with the invoices and credit memos that implies."""
    target = (order["state"], order["status"])
    if target[0] in ("processing", "complete", "closed"):
        moment = _moment(rng, when)
        invoice = invoice_order(order, store.next_id("invoices"), open_quantities(order, "qty_invoiced"), stamp(moment))
        store.put("invoices", invoice)
        if target[0] == "closed" or (target[0] == "complete" and rng.random() < 0.25):
            full = target[0] == "closed"
            quantities = open_quantities(order, "qty_refunded")
            if not full:
                first = next(iter(quantities))
                quantities = {first: 1.0}
            memo_id = store.next_id("creditmemos")
            moment = _moment(rng, moment)
            memo = refund_order(order, memo_id, quantities, stamp(moment), invoice_id=invoice["entity_id"])
            store.put("creditmemos", memo)
    order["state"], order["status"] = target


def _customers(store: Store, rng: random.Random, count: int) -> list[Record]:
    made = []
    for number in range(count):
        first, last = rng.choice(FIRST_NAMES), rng.choice(LAST_NAMES)
        email = f"{_ascii(first)}.{_ascii(last)}{number + 1}@example.com"
        made.append(make_customer(store, rng, first, last, email=email, when=_moment(rng)))
    return made


def _companies(store: Store, rng: random.Random, admins: list[Record]) -> None:
    for admin in admins:
        company_id = store.next_id("companies")
        address = admin["addresses"][0]
        name = f"{rng.choice(COMPANY_WORDS)} {rng.choice(COMPANY_TRADES)} {company_id}"
        store.put(
            "companies",
            {
                "id": company_id,
                "status": 1,
                "company_name": name,
                "legal_name": f"{name} LLC",
                "company_email": f"ap{company_id}@{_ascii(name)}.example",
                "vat_tax_id": f"VAT{company_id:06d}",
                "reseller_id": "",
                "comment": "",
                "street": list(address["street"]),
                "city": address["city"],
                "country_id": address["country_id"],
                "region": address["region"]["region"],
                "region_id": address["region_id"],
                "postcode": address["postcode"],
                "telephone": address["telephone"],
                "customer_group_id": 1,
                "sales_representative_id": 1,
                "super_user_id": admin["id"],
                "reject_reason": None,
                "rejected_at": None,
                "extension_attributes": {
                    "quote_config": {"company_id": str(company_id), "is_quote_enabled": True},
                    "applicable_payment_method": 0,
                },
            },
        )
        admin["extension_attributes"]["company_attributes"] = {
            "customer_id": admin["id"],
            "company_id": company_id,
            "job_title": "Buyer",
            "status": 1,
            "telephone": address["telephone"],
        }


def purchase_order(
    store: Store, company: Record, creator: Record, lines: list[Record], *, status: str, when: str
) -> Record:
    """A B2B purchase order (header + items); REST has no route for these (reference §6)."""
    po_id = store.next_id("purchase_orders")
    items = [
        {"sku": i["sku"], "name": i["name"], "qty": i["qty_ordered"], "price": i["price"], "row_total": i["row_total"]}
        for i in lines
    ]
    subtotal = money(sum(float(item["row_total"]) for item in items))
    return store.put(
        "purchase_orders",
        {
            "entity_id": po_id,
            "increment_id": increment_id(po_id),
            "status": status,
            "company_id": company["id"],
            "creator_id": creator["id"],
            "order_id": None,
            "order_increment_id": None,
            "currency_code": "USD",
            "subtotal": subtotal,
            "grand_total": subtotal,
            "created_at": when,
            "updated_at": when,
            "items": items,
        },
    )


def place_order_for(
    po: Record, order: Record, company: Record, *, method: str = "companycredit", when: str | None = None
) -> None:
    """Link an approved purchase order and the order placed from it (both records change in place; ``when``
    stamps their updated_at).

    The order is paid on account ("companycredit") or by purchase order ("purchaseorder"), carries the company in
    extension_attributes.company_order_attributes, and payment.po_number = the PO's increment id (UNVERIFIED: that
    Commerce fills po_number for orders placed from a B2B purchase order)."""
    if when is not None:
        po["updated_at"] = order["updated_at"] = when
    po.update(
        status="order_placed",
        order_id=order["entity_id"],
        order_increment_id=order["increment_id"],
        currency_code=order["order_currency_code"],
    )
    order["payment"].update(method=method, po_number=po["increment_id"])
    order["extension_attributes"]["company_order_attributes"] = {
        "order_id": order["entity_id"],
        "company_id": company["id"],
        "company_name": company["company_name"],
    }


def _purchase_orders(store: Store, rng: random.Random, count: int) -> None:
    companies = store.rows("companies")
    customers = store.table("customers")
    by_admin = {company["super_user_id"]: company for company in companies}
    placed = [o for o in store.rows("orders") if o.get("customer_id") in by_admin and o["items"]][: count // 2]
    for order in placed:
        company = by_admin[order["customer_id"]]
        po = purchase_order(
            store,
            company,
            customers[order["customer_id"]],
            order["items"],
            status="order_placed",
            when=order["created_at"],
        )
        place_order_for(po, order, company, method=PO_PAYMENT_METHODS[order["entity_id"] % len(PO_PAYMENT_METHODS)])
    for _ in range(count - len(placed)):
        company = rng.choice(companies)
        lines = order_items(0, _lines(rng, rng.randint(1, 3)), "US")
        when = stamp(_moment(rng))
        creator = customers[company["super_user_id"]]
        purchase_order(store, company, creator, lines, status=rng.choice(PO_OPEN_STATUSES), when=when)


def _tricky(store: Store, rng: random.Random) -> TrickyIds:
    when = EPOCH + timedelta(days=200)
    guest = make_order(store, rng, customer=None, email=None, lines=_lines(rng, 1), currency="USD", when=when)
    empty_customer = store.rows("customers")[0]
    empty = make_order(
        store, rng, customer=empty_customer, email=empty_customer["email"], lines=[], currency="USD", when=when
    )
    odd = make_order(
        store, rng, customer=empty_customer, email=empty_customer["email"], lines=_lines(rng, 2),
        currency=UNKNOWN_CURRENCY, when=when,
    )  # fmt: skip
    control = make_customer(store, rng, CONTROL_CHAR_NAME, "Lee\x00\x1f", email="control.chars@example.com", when=when)
    control_order = make_order(
        store, rng, customer=control, email=control["email"], lines=_lines(rng, 1), currency="USD", when=when
    )
    return TrickyIds(
        guest["entity_id"], empty["entity_id"], odd["entity_id"], control["id"], control_order["entity_id"]
    )


def invoice_in_parts(store: Store, order: Record, first: datetime, second: datetime) -> list[Record]:
    """Invoice an order's first item at ``first`` and the rest at ``second``: two invoices (the first carries the
    shipping, as Commerce does), the order in processing."""
    quantities = open_quantities(order, "qty_invoiced")
    first_item = next(iter(quantities))
    parts = ({first_item: quantities.pop(first_item)}, quantities)
    invoices = []
    for part, moment in zip(parts, (first, second), strict=True):
        invoices.append(store.put("invoices", invoice_order(order, store.next_id("invoices"), part, stamp(moment))))
    return invoices


def _invoiced_in_parts(store: Store, rng: random.Random, customers: list[Record]) -> None:
    for number in range(INVOICED_IN_PARTS):
        customer = customers[number % len(customers)]
        when = EPOCH + timedelta(days=210 + number)
        order = make_order(
            store, rng, customer=customer, email=customer["email"], lines=_lines(rng, 2), currency="USD", when=when
        )
        invoice_in_parts(store, order, _moment(rng, when), when + timedelta(days=25))


def seed_store(store: Store, seed: int, size: int, *, tricky: bool = True) -> TrickyIds:
    """Fill an empty store; the same (seed, size, tricky) always gives the same records."""
    rng = random.Random(f"commerce:{seed}:{size}")
    customers = _customers(store, rng, max(4, size // 2))
    company_count = max(2, size // 10)
    _companies(store, rng, customers[:company_count])
    for _ in range(size):
        customer = None if rng.random() < 0.1 else rng.choice(customers)
        email = customer["email"] if customer else f"guest{rng.randint(100, 999)}@example.net"
        when = _moment(rng)
        order = make_order(
            store, rng, customer=customer, email=email, lines=_lines(rng, rng.randint(1, 4)),
            currency=rng.choice(CURRENCIES), when=when, state=rng.choice(STATES),
        )  # fmt: skip
        _settle(store, rng, order, when)
    _purchase_orders(store, rng, company_count)
    ids = _tricky(store, rng) if tricky else TrickyIds()
    _invoiced_in_parts(store, random.Random(f"commerce:{seed}:{size}:parts"), customers[company_count:] or customers)
    return ids
