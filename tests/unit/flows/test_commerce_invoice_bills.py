"""Bills from invoices (posting bill_source = "invoices"): the pure invoice mapping, the order bill it shares its
shape with, the config switch, credit memos against an invoice's bill, and the reader that attaches orders."""

from __future__ import annotations

import copy
from decimal import Decimal
from typing import Any

import pytest

from mlconnector.config import ConfigurationError
from mlconnector.engine.records import MappingError, SkipRecord, SourceRecord
from mlconnector.flows.commerce_intacct.invoice_mapping import invoice_to_bill
from mlconnector.flows.commerce_intacct.invoice_reader import INVOICE_ORDER_KEY, InvoiceReader
from mlconnector.flows.commerce_intacct.memo_mapping import ORDER_KEY, AdjustmentConfig, memo_to_adjustment
from mlconnector.flows.commerce_intacct.order_mapping import bill_total, order_to_bill
from mlconnector.flows.commerce_intacct.posting import PostingConfig
from mlconnector.flows.intacct_destination.payee import VENDOR_KEY
from mlconnector.http import HttpPolicy, RetryPolicy
from mlconnector.systems.commerce import CommerceClient
from tests.unit.commerce.commerce_fakes import Call, FakeCommerce, paas, search_handler

INVOICES = PostingConfig(bill_source="invoices")
ORDERS_PATH, INVOICES_PATH = "/rest/default/V1/orders", "/rest/default/V1/invoices"


def _order(**overrides: Any) -> dict[str, Any]:
    order: dict[str, Any] = {
        "entity_id": 42,
        "increment_id": "000000042",
        "state": "processing",
        "created_at": "2024-03-01 10:00:00",
        "customer_id": 3,
        "customer_is_guest": 0,
        "customer_email": "Jo.Lee@Example.com",
        "customer_firstname": "Jo",
        "customer_lastname": "Lee",
        "order_currency_code": "USD",
        "items": [
            {
                "item_id": 1,
                "sku": "TEE",
                "name": "Radiant Tee",
                "qty_ordered": 2,
                "row_total": 44,
                "discount_amount": 4,
            },
            {"item_id": 2, "sku": "CFG", "name": "Hoodie", "qty_ordered": 1, "row_total": 52},
            {"item_id": 3, "sku": "CFG-L", "name": "Hoodie L", "qty_ordered": 1, "row_total": 0, "parent_item_id": 2},
        ],
        "shipping_amount": 10,
        "tax_amount": "7.59",
        "grand_total": "109.59",
    }
    order.update(overrides)
    return order


def _invoices_of(order: dict[str, Any]) -> list[dict[str, Any]]:
    """The order invoiced in two parts, as Commerce does it: the tee first (with the shipping), then the rest."""
    first = {
        "entity_id": 7,
        "increment_id": "000000007",
        "order_id": 42,
        "state": 2,
        "order_currency_code": "USD",
        "created_at": "2024-03-02 09:30:00",
        "items": [
            {"order_item_id": 1, "sku": "TEE", "name": "Radiant Tee", "qty": 2, "row_total": 44, "discount_amount": 4},
            {"order_item_id": 2, "sku": "CFG", "name": "Hoodie", "qty": 0, "row_total": 0},
        ],
        "shipping_amount": 10,
        "tax_amount": "3.30",
        "grand_total": "53.30",
    }
    second = {
        **first,
        "entity_id": 8,
        "increment_id": "000000008",
        "created_at": "2024-03-20 16:00:00",
        "items": [
            {"order_item_id": 2, "sku": "CFG", "name": "Hoodie", "qty": 1, "row_total": 52},
            {"order_item_id": 3, "sku": "CFG-L", "name": "Hoodie L", "qty": 1, "row_total": 0},
        ],
        "shipping_amount": 0,
        "tax_amount": "4.29",
        "grand_total": "56.29",
    }
    return [{**invoice, INVOICE_ORDER_KEY: order} for invoice in (first, second)]


def _bill(invoice: dict[str, Any], config: PostingConfig = INVOICES) -> dict[str, Any]:
    return invoice_to_bill(SourceRecord(str(invoice["increment_id"]), invoice), config)


def _lines(bill: dict[str, Any]) -> list[tuple[str, str, str]]:
    return [
        (line["ACCOUNTNO"], line["TRX_AMOUNT"], line["ENTRYDESCRIPTION"]) for line in bill["APBILLITEMS"]["APBILLITEM"]
    ]


def test_an_invoice_becomes_a_bill_of_its_own_lines_on_its_orders_customer() -> None:
    first, _ = _invoices_of(_order())
    bill = _bill(first)
    assert bill["RECORDID"] == "MC-000000007"
    assert bill["DESCRIPTION"] == "Adobe Commerce invoice 000000007 (order 000000042)"
    assert (bill["WHENCREATED"], bill["WHENDUE"]) == ("03/02/2024", "04/01/2024")  # the invoice's date + 30 days
    assert bill["CURRENCY"] == "USD"
    assert bill[VENDOR_KEY] == {"key": "customer:3", "email": "jo.lee@example.com", "name": "Jo Lee"}
    assert _lines(bill) == [
        ("5000", "40.00", "TEE Radiant Tee x2"),  # row total less its discount; the item invoiced zero times is out
        ("6700", "10.00", "Shipping"),
        ("2200", "3.30", "Tax"),
    ]
    assert bill_total(bill) == Decimal("53.30")  # the invoice's grand total


def test_an_order_invoiced_in_two_parts_gives_two_bills_worth_the_order_on_one_customer() -> None:
    order = _order()
    bills = [_bill(invoice) for invoice in _invoices_of(order)]
    assert [b["RECORDID"] for b in bills] == ["MC-000000007", "MC-000000008"]
    assert _lines(bills[1]) == [("5000", "52.00", "CFG Hoodie x1"), ("2200", "4.29", "Tax")]  # no shipping, no child
    assert bills[0][VENDOR_KEY] == bills[1][VENDOR_KEY]
    assert sum(map(bill_total, bills)) == bill_total(order_to_bill(SourceRecord("000000042", order), PostingConfig()))


def test_the_posting_config_decides_the_accounts_terms_and_prefix() -> None:
    config = PostingConfig(bill_source="invoices", item_account="4000", terms_days=10, bill_prefix="INV-")
    bill = _bill(_invoices_of(_order())[0], config)
    assert bill["RECORDID"] == "INV-000000007"
    assert bill["WHENDUE"] == "03/12/2024"
    assert _lines(bill)[0][0] == "4000"


def test_the_orders_currency_stands_in_when_the_invoice_has_none() -> None:
    invoice = _invoices_of(_order(order_currency_code="EUR"))[0]
    del invoice["order_currency_code"]
    assert _bill(invoice)["CURRENCY"] == "EUR"


@pytest.mark.parametrize("state", [3, "3"])
def test_a_canceled_invoice_is_skipped(state: object) -> None:
    invoice = {**_invoices_of(_order())[0], "state": state}
    with pytest.raises(SkipRecord, match="invoice is canceled"):
        _bill(invoice)


def test_an_invoice_of_a_canceled_order_is_still_owed() -> None:
    """skip_states is for orders: Commerce cancels only what is not invoiced."""
    assert _bill(_invoices_of(_order(state="canceled"))[0])["RECORDID"] == "MC-000000007"


@pytest.mark.parametrize(
    ("overrides", "reason"),
    [
        ({INVOICE_ORDER_KEY: None}, "its order 42 is not found in Commerce"),
        ({"order_currency_code": "XTS"}, "currency 'XTS' is not enabled"),
        ({"items": []}, "the invoice has no lines"),
        ({"created_at": "yesterday"}, "not a Commerce timestamp"),
        ({"tax_amount": "lots"}, "tax_amount 'lots' is not an amount"),
        ({INVOICE_ORDER_KEY: _order(customer_id=None, customer_is_guest=1, customer_email=None)}, "has no email"),
    ],
)
def test_bad_invoices_fail_with_their_reason(overrides: dict[str, Any], reason: str) -> None:
    invoice = {**_invoices_of(_order())[0], **overrides}
    with pytest.raises(MappingError, match=reason):
        _bill(invoice)


def test_the_order_bill_keeps_its_exact_shape() -> None:
    """Pinned: a changed payload would change every posted order's hash (and read as changed)."""
    bill = order_to_bill(SourceRecord("000000042", _order()), PostingConfig())
    assert bill == {
        VENDOR_KEY: {"key": "customer:3", "email": "jo.lee@example.com", "name": "Jo Lee"},
        "RECORDID": "MC-000000042",
        "WHENCREATED": "03/01/2024",
        "WHENDUE": "03/31/2024",
        "DESCRIPTION": "Adobe Commerce order 000000042",
        "CURRENCY": "USD",
        "APBILLITEMS": {
            "APBILLITEM": [
                {"ACCOUNTNO": "5000", "TRX_AMOUNT": "40.00", "ENTRYDESCRIPTION": "TEE Radiant Tee x2"},
                {"ACCOUNTNO": "5000", "TRX_AMOUNT": "52.00", "ENTRYDESCRIPTION": "CFG Hoodie x1"},
                {"ACCOUNTNO": "6700", "TRX_AMOUNT": "10.00", "ENTRYDESCRIPTION": "Shipping"},
                {"ACCOUNTNO": "2200", "TRX_AMOUNT": "7.59", "ENTRYDESCRIPTION": "Tax"},
            ]
        },
    }


def test_bill_source_is_orders_unless_the_secret_says_invoices() -> None:
    assert PostingConfig().bill_source == "orders"
    assert PostingConfig.from_config({"bill_source": "invoices"}).bill_source == "invoices"
    with pytest.raises(ConfigurationError, match="bill_source is 'orders' or 'invoices'"):
        PostingConfig.from_config({"bill_source": "shipments"})


# ---------------------------------------------------------------------------------------------- credit memos


def _memo(**overrides: Any) -> dict[str, Any]:
    memo: dict[str, Any] = {
        "entity_id": 5,
        "increment_id": "000000005",
        "order_id": 42,
        "invoice_id": 8,
        "state": 2,
        "order_currency_code": "USD",
        "created_at": "2024-04-01 08:00:00",
        "items": [{"sku": "CFG", "name": "Hoodie", "qty": 1, "row_total": 52}],
    }
    memo.update(overrides)
    return memo


def _adjustment(memo: dict[str, Any], posting: PostingConfig) -> dict[str, Any]:
    return memo_to_adjustment(SourceRecord(str(memo["increment_id"]), memo), AdjustmentConfig(posting))


def test_with_bills_from_invoices_a_memo_names_its_invoice() -> None:
    assert _adjustment(_memo(), INVOICES)[ORDER_KEY] == {"id": "42", "invoice_id": "8"}


def test_with_bills_from_orders_the_memo_payload_is_what_it_was() -> None:
    """The invoice id stays out, so a memo's content hash does not change under orders mode."""
    assert _adjustment(_memo(), PostingConfig())[ORDER_KEY] == {"id": "42"}


@pytest.mark.parametrize("invoice_id", [None, "", "abc"])
def test_with_bills_from_invoices_a_memo_without_an_invoice_fails_with_that_reason(invoice_id: object) -> None:
    with pytest.raises(MappingError, match="names no invoice, and bills are posted per invoice"):
        _adjustment(_memo(invoice_id=invoice_id), INVOICES)


# ---------------------------------------------------------------------------------------------- the reader


def _reader(fake: FakeCommerce) -> InvoiceReader:
    client = CommerceClient(
        paas(),
        None,
        transport=fake,
        clock=fake.clock,
        sleep=lambda _s: None,
        jitter=lambda: 0.0,
        http=HttpPolicy(retry=RetryPolicy(max_attempts=2)),
    )
    return InvoiceReader(client, page_size=4)


def _shop(invoice_count: int, orders_gone: frozenset[int] = frozenset()) -> tuple[FakeCommerce, list[dict[str, Any]]]:
    """Invoices 1..n, two per order (order n // 2 + 1), updated a minute apart."""
    invoices: list[dict[str, Any]] = [
        {
            "entity_id": n,
            "increment_id": f"INV{n:05d}",
            "order_id": 100 + n // 2,
            "updated_at": f"2024-03-01 10:{n:02d}:00",
        }
        for n in range(1, invoice_count + 1)
    ]
    orders = [
        {"entity_id": order_id, "increment_id": f"ORD{order_id}", "updated_at": "2024-03-01 09:00:00"}
        for order_id in sorted({i["order_id"] for i in invoices} - orders_gone)
    ]
    fake = FakeCommerce()
    fake.handlers[("GET", INVOICES_PATH)] = search_handler(copy.deepcopy(invoices))
    fake.handlers[("GET", ORDERS_PATH)] = search_handler(orders)
    return fake, invoices


def _order_searches(fake: FakeCommerce) -> list[Call]:
    return fake.rest_calls(ORDERS_PATH)


def test_pages_of_invoices_carry_their_orders_found_with_one_search_per_page() -> None:
    fake, invoices = _shop(10, orders_gone=frozenset({103}))
    pages = list(_reader(fake).pages(None))
    records = [record for page in pages for record in page.records]
    assert [r.key for r in records] == [i["increment_id"] for i in invoices]
    assert len(pages) == 3
    assert len(_order_searches(fake)) == len(pages)  # one orders search per page, never one per invoice
    for record in records:
        order = record.data[INVOICE_ORDER_KEY]
        if record.data["order_id"] == 103:
            assert order is None  # gone: the mapping fails the invoice with that reason
        else:
            assert order["entity_id"] == record.data["order_id"]
    assert pages[-1].cursor == invoices[-1]["updated_at"]


def test_fetch_by_number_by_id_and_by_order_key_invoices_by_increment_id() -> None:
    fake, _ = _shop(6)
    reader = _reader(fake)
    assert [r.key for r in reader.fetch(["INV00002", "INV00005"])] == ["INV00002", "INV00005"]
    assert [r.key for r in reader.by_ids(["3", "not-an-id"])] == ["INV00003"]
    of_order = reader.of_orders(["101"])
    assert sorted(r.key for r in of_order) == ["INV00002", "INV00003"]  # both invoices of order 101
    assert {r.data[INVOICE_ORDER_KEY]["increment_id"] for r in of_order} == {"ORD101"}
    before = len(fake.calls)
    assert reader.by_ids([]) == []
    assert len(fake.calls) == before  # nothing asked, nothing searched
