"""B2B purchase orders: both normalisers, the pure mapping to create_potransaction, and the function built from it."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Any

import pytest

from mlconnector.config import ConfigurationError
from mlconnector.engine.hashing import content_hash
from mlconnector.engine.records import MappingError, SkipRecord, SourceRecord, WriteItem
from mlconnector.flows.commerce_intacct.order_mapping import customer_of
from mlconnector.flows.commerce_intacct.po_mapping import buyer_of, po_to_transaction, po_total
from mlconnector.flows.commerce_intacct.po_reader import (
    PoOrigin,
    is_po_order,
    normalise_po_order,
    normalise_route_po,
    origin_notes,
)
from mlconnector.flows.commerce_intacct.po_writer import po_transaction
from mlconnector.flows.commerce_intacct.posting import PostingConfig
from mlconnector.flows.intacct_destination.payee import VENDOR_KEY
from mlconnector.systems.intacct.xml import render

MAPPED = PostingConfig.from_config({"po_items": {"WS12": "ITM-100", "24-MB01": "ITM-200"}})


def _order(**overrides: Any) -> dict[str, Any]:
    order: dict[str, Any] = {
        "entity_id": 42,
        "increment_id": "000000042",
        "state": "processing",
        "created_at": "2024-03-05 23:59:01",
        "customer_id": 7,
        "customer_is_guest": 0,
        "customer_email": "Buyer@Example.com",
        "customer_firstname": "Ann",
        "customer_lastname": "Lee",
        "order_currency_code": "USD",
        "items": [
            {"sku": "WS12", "name": "Radiant Tee", "qty_ordered": 2.0, "price": 22.0, "row_total": 44.0},
            {"sku": "WS12-M", "name": "child", "qty_ordered": 2.0, "price": 0, "parent_item_id": 9},
            {"sku": "24-MB01", "name": "Joust Duffle Bag", "qty_ordered": 10, "price": "32.5"},
        ],
        "payment": {"method": "companycredit", "po_number": "000000003"},
        "extension_attributes": {"company_order_attributes": {"company_id": 5, "company_name": "Acme"}},
    }
    order.update(overrides)
    return order


def _route_po(**overrides: Any) -> dict[str, Any]:
    po: dict[str, Any] = {
        "entity_id": 3,
        "increment_id": "000000003",
        "status": "approved",
        "company_id": 5,
        "creator_id": 7,
        "currency_code": "EUR",
        "created_at": "2024-12-20 10:00:00",
        "items": [{"sku": "WS12", "name": "Radiant Tee", "qty": 3, "price": 22, "row_total": 66}],
    }
    po.update(overrides)
    return po


def _map(data: dict[str, Any], config: PostingConfig = MAPPED) -> dict[str, Any]:
    return po_to_transaction(SourceRecord(str(data["po_number"]), data), config)


def test_an_order_placed_from_a_po_normalises_to_the_po_it_came_from() -> None:
    data = normalise_po_order(_order())
    assert data["po_number"] == "000000003"  # payment.po_number, not the order's increment id
    assert data["order"] == "000000042"
    assert (data["status"], data["company_id"], data["currency"]) == ("order_placed", "5", "USD")
    assert data["creator"] == {"id": "7", "email": "Buyer@Example.com", "name": "Ann Lee"}
    assert [(line["sku"], line["qty"], line["price"]) for line in data["lines"]] == [
        ("WS12", 2.0, 22.0),
        ("24-MB01", 10, "32.5"),  # the configurable child is left out
    ]
    without_number = normalise_po_order(_order(payment={"method": "purchaseorder"}))
    assert without_number["po_number"] == "000000042"
    assert normalise_po_order(_order(state="canceled"))["status"] == "canceled"


def test_a_route_po_takes_its_buyer_from_the_customers_read_for_it() -> None:
    customers = {"7": {"id": 7, "email": "ann@example.com", "firstname": "Ann", "lastname": "Lee"}}
    data = normalise_route_po(_route_po(), customers)
    assert (data["po_number"], data["status"], data["currency"], data["order"]) == (
        "000000003",
        "approved",
        "EUR",
        None,
    )
    assert data["creator"] == {"id": "7", "email": "ann@example.com", "name": "Ann Lee"}
    assert data["lines"] == [{"sku": "WS12", "name": "Radiant Tee", "qty": 3, "price": 22}]
    unknown = normalise_route_po(_route_po(creator_id=99), customers)["creator"]
    assert unknown == {"id": "99", "email": None, "name": None}


def test_only_company_orders_paid_on_account_or_by_po_are_purchase_orders() -> None:
    methods = ("companycredit", "purchaseorder")
    assert is_po_order(_order(), methods)
    assert is_po_order(_order(payment={"method": "purchaseorder"}), methods)
    assert not is_po_order(_order(payment={"method": "checkmo"}), methods)
    assert not is_po_order(_order(extension_attributes={}), methods)
    assert is_po_order(_order(payment={"method": "checkmo"}), ("checkmo",))


def test_a_po_maps_to_a_purchase_order_on_the_vendor_of_its_orders_bill() -> None:
    payload = _map(normalise_po_order(_order()))
    assert payload["transactiontype"] == "Purchase Order"
    assert (payload["documentno"], payload["referenceno"]) == ("MC-PO-000000003", "000000003")
    assert (payload["datecreated"], payload["datedue"]) == ("2024-03-05", "2024-04-04")
    assert payload["currency"] == "USD"
    assert payload["lines"] == [
        {"itemid": "ITM-100", "itemdesc": "WS12 Radiant Tee", "quantity": "2", "price": "22.00"},
        {"itemid": "ITM-200", "itemdesc": "24-MB01 Joust Duffle Bag", "quantity": "10", "price": "32.50"},
    ]
    assert po_total(payload) == Decimal("369.00")
    assert payload[VENDOR_KEY]["key"] == customer_of(_order()).key == "customer:7"  # one vendor with the bill
    assert payload[VENDOR_KEY]["email"] == "buyer@example.com"


def test_prefix_type_terms_and_a_finer_unit_price_follow_the_config() -> None:
    config = PostingConfig.from_config(
        {"po_prefix": "PO-", "po_transaction_type": "Purchase Requisition", "terms_days": 10, "po_default_item": "X"}
    )
    po = normalise_route_po(_route_po(items=[{"sku": "ANY", "qty": "1.50", "price": "0.125"}]), {})
    payload = _map(po, config)
    assert (payload["documentno"], payload["transactiontype"], payload["datedue"]) == (
        "PO-000000003",
        "Purchase Requisition",
        "2024-12-30",
    )
    assert payload["lines"] == [{"itemid": "X", "itemdesc": "ANY", "quantity": "1.5", "price": "0.125"}]


def test_a_sku_without_an_item_fails_naming_it_unless_a_default_item_is_set() -> None:
    po = normalise_po_order(_order(items=[{"sku": "NOPE-1", "qty_ordered": 1, "price": 3}]))
    with pytest.raises(MappingError, match=r"SKU 'NOPE-1' has no Intacct item.*po_default_item"):
        _map(po)
    with_default = PostingConfig.from_config({"po_items": {"WS12": "ITM-100"}, "po_default_item": "COMMERCE-ITEM"})
    assert [line["itemid"] for line in _map(normalise_po_order(_order()), with_default)["lines"]] == [
        "ITM-100",
        "COMMERCE-ITEM",
    ]


@pytest.mark.parametrize("status", ["approval_required", "rejected", "canceled", None])
def test_a_po_not_in_a_postable_status_is_skipped_with_its_status(status: str | None) -> None:
    with pytest.raises(SkipRecord, match=status or "without a status"):
        _map(normalise_route_po(_route_po(status=status), {}))
    pending = PostingConfig.from_config({"po_statuses": ["approved", status or "none"], "po_default_item": "X"})
    assert _map(normalise_route_po(_route_po(status="approved"), {}), pending)["documentno"] == "MC-PO-000000003"


@pytest.mark.parametrize(
    ("change", "reason"),
    [
        ({"items": []}, "has no lines"),
        ({"items": [{"sku": "WS12", "qty_ordered": 0, "price": 1}]}, r"quantity 0 is not above zero"),
        ({"items": [{"sku": "WS12", "qty_ordered": "two", "price": 1}]}, r"quantity 'two' is not a number"),
        ({"items": [{"sku": "WS12", "qty_ordered": 1, "price": -1}]}, "is negative"),
        ({"items": [{"name": "no sku", "qty_ordered": 1, "price": 1}]}, "line 1 has no SKU"),
        ({"order_currency_code": "XTS"}, "currency 'XTS' is not enabled"),
        ({"created_at": "yesterday"}, "created_at 'yesterday'"),
        ({"customer_id": None, "customer_is_guest": 1}, "names no buyer"),
    ],
)
def test_bad_purchase_orders_fail_with_a_reason(change: dict[str, Any], reason: str) -> None:
    with pytest.raises(MappingError, match=reason):
        _map(normalise_po_order(_order(**change)))


def test_the_buyer_of_a_po_without_email_or_name_still_has_a_vendor_name() -> None:
    buyer = buyer_of({"creator": {"id": "12", "email": None, "name": None}})
    assert (buyer.key, buyer.email, buyer.name) == ("customer:12", None, "Customer 12")


def test_posting_config_reads_the_po_options_and_refuses_bad_ones() -> None:
    config = PostingConfig.from_config({"po_items": {"B": "I2", "A": "I1"}, "po_route": None})
    assert config.po_items == (("A", "I1"), ("B", "I2"))
    assert config.po_item_ids == {"A": "I1", "B": "I2"}
    assert config.po_route is None
    assert PostingConfig().po_payment_methods == ("companycredit", "purchaseorder")
    for bad in (
        {"po_items": ["A", "I1"]},
        {"po_items": {"A": ""}},
        {"po_items": {"A": 5}},
        {"po_route": "/V1/purchaseorders?x=1"},
        {"po_itemz": {}},
    ):
        with pytest.raises(ConfigurationError):
            PostingConfig.from_config(bad)


def test_the_intacct_function_carries_the_payload_and_a_controlid_fixed_by_its_content() -> None:
    payload = _map(normalise_po_order(_order()))
    record = SourceRecord("000000003", {})
    item = WriteItem(record, payload, content_hash(payload), None)
    function = po_transaction(item, "MC-ABC")
    assert (function.vendor_id, function.document_no, function.reference_no) == (
        "MC-ABC",
        "MC-PO-000000003",
        "000000003",
    )
    assert (function.date_created, function.date_due, function.currency) == (
        date(2024, 3, 5),
        date(2024, 4, 4),
        "USD",
    )
    assert [(line.item_id, line.quantity, line.price) for line in function.lines] == [
        ("ITM-100", Decimal(2), Decimal("22.00")),
        ("ITM-200", Decimal(10), Decimal("32.50")),
    ]
    xml = render(function.to_element())
    assert "<documentno>MC-PO-000000003</documentno>" in xml
    assert "<itemid>ITM-200</itemid><itemdesc>24-MB01 Joust Duffle Bag</itemdesc>" in xml
    assert po_transaction(item, "MC-ABC").controlid == function.controlid  # a retry sends the same controlid
    changed = {**payload, "currency": "EUR"}
    other = po_transaction(WriteItem(record, changed, content_hash(changed), None), "MC-ABC")
    assert other.controlid != function.controlid


def test_the_notes_say_where_purchase_orders_come_from() -> None:
    assert origin_notes(PoOrigin.NO_B2B, "V1/purchaseorders") == (
        "B2B is not installed on this store: no purchase orders to post",
    )
    [route] = origin_notes(PoOrigin.ROUTE, "V1/purchaseorders")
    assert "V1/purchaseorders" in route
    assert "not yet placed as orders" in route
    [orders] = origin_notes(PoOrigin.ORDERS, "V1/purchaseorders")
    assert orders.startswith("this store has no purchase-order REST route: ")
    assert "awaiting approval are not visible over REST" in orders
