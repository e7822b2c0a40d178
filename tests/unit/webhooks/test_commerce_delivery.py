from __future__ import annotations

import json
from collections.abc import Mapping
from datetime import UTC, datetime
from typing import Any

import pytest

from mlconnector.webhooks import Delivery, DeliveryError, claimed_entity_id, parse_delivery
from sandbox.commerce import CommerceSimulator
from sandbox.commerce.webhooks import event_body


@pytest.fixture(scope="module")
def sim() -> CommerceSimulator:
    return CommerceSimulator(size=3)


def delivered(event: str, entity: Mapping[str, Any], key: str | None = None) -> Delivery:
    """What the connector reads from the exact body the simulator would send."""
    return parse_delivery(json.loads(event_body(event, entity, key)))


def test_simulator_entities_are_read_with_their_type_and_id(sim: CommerceSimulator) -> None:
    order, invoice = sim.orders[min(sim.orders)], sim.invoices[min(sim.invoices)]
    memo, customer = sim.credit_memos[min(sim.credit_memos)], sim.customers[min(sim.customers)]
    cases = [
        ("observer.sales_order_save_after", order, "order", order["entity_id"]),
        ("observer.sales_order_invoice_save_after", invoice, "invoice", invoice["entity_id"]),
        ("observer.sales_order_creditmemo_save_after", memo, "creditmemo", memo["entity_id"]),
        ("observer.customer_save_commit_after", customer, "customer", customer["id"]),
    ]
    for event, entity, entity_type, entity_id in cases:
        delivery = delivered(event, entity)
        assert (delivery.event_name, delivery.entity_type, delivery.entity_id) == (event, entity_type, str(entity_id))
        assert delivery.id_source == "updated_at"
        expected = datetime.strptime(entity["updated_at"], "%Y-%m-%d %H:%M:%S").replace(tzinfo=UTC)
        assert delivery.occurred_at == expected


def test_derived_id_is_stable_for_a_redelivery_and_changes_with_the_entity(sim: CommerceSimulator) -> None:
    order = sim.orders[min(sim.orders)]
    first = delivered("observer.sales_order_save_after", order)
    assert delivered("observer.sales_order_save_after", dict(order)) == first
    assert delivered("observer.sales_order_save_after", {**order, "status": "x"}).event_id == first.event_id
    later = delivered("observer.sales_order_save_after", {**order, "updated_at": "2031-01-01 00:00:00"})
    assert later.event_id != first.event_id
    other_event = delivered("observer.sales_order_place_after", order)
    assert other_event.event_id != first.event_id
    other_order = delivered("observer.sales_order_save_after", {**order, "entity_id": 99_999})
    assert other_order.event_id != first.event_id


def test_without_updated_at_the_id_follows_the_content() -> None:
    first = delivered("observer.sales_order_save_after", {"entity_id": 7, "status": "pending"})
    assert first.id_source == "content"
    assert first.occurred_at is None
    same = delivered("observer.sales_order_save_after", {"status": "pending", "entity_id": 7})
    assert same.event_id == first.event_id
    changed = delivered("observer.sales_order_save_after", {"entity_id": 7, "status": "processing"})
    assert changed.event_id != first.event_id


def test_a_custom_data_key_is_found_when_it_is_the_only_object() -> None:
    delivery = delivered("observer.sales_order_save_after", {"entity_id": 5}, key="object")
    assert (delivery.entity_type, delivery.entity_id) == ("order", "5")


def test_io_events_envelope_uses_the_sender_event_id() -> None:
    payload = {
        "specversion": "1.0",
        "id": "cloud-event-id",
        "event_id": "b0f2b088-1",
        "type": "com.adobe.commerce.observer.sales_order_save_after",
        "time": "2025-07-17T15:48:42.436Z",
        "data": {"key": "k", "value": {"entity_id": "3", "increment_id": "000000003"}},
    }
    delivery = parse_delivery(payload)
    assert delivery.event_id == "b0f2b088-1"
    assert delivery.id_source == "sender"
    assert (delivery.entity_type, delivery.entity_id) == ("order", "3")
    assert delivery.occurred_at == datetime(2025, 7, 17, 15, 48, 42, 436_000, tzinfo=UTC)
    without_event_id = {k: v for k, v in payload.items() if k != "event_id"}
    assert parse_delivery(without_event_id).event_id == "cloud-event-id"
    with pytest.raises(DeliveryError, match="neither event_id nor id"):
        parse_delivery({k: v for k, v in without_event_id.items() if k != "id"})


@pytest.mark.parametrize(
    ("payload", "named"),
    [
        ({"data": {"order": {"entity_id": 1}}}, "eventName"),
        ({"eventName": "observer.sales_order_save_after"}, "data object"),
        ({"eventName": "observer.sales_order_save_after", "data": {}}, "data.order"),
        ({"eventName": "observer.sales_order_save_after", "data": {"order": {"status": "x"}}}, "data.order.entity_id"),
        ({"eventName": "observer.customer_save_after", "data": {"customer": {"id": True}}}, "data.customer.id"),
        ({"eventName": "observer.sales_order_save_after", "data": {"order": {"entity_id": " "}}}, "entity_id"),
        ({"eventName": "observer.catalog_product_save_after", "data": {"product": {"id": 1}}}, "names no order"),
        ({"eventName": "observer.purchase_order_save_after", "data": {"x": {"entity_id": 1}}}, "purchase order"),
        (
            {"eventName": "observer.sales_order_save_after", "data": {"order": {"entity_id": 1, "updated_at": "x"}}},
            "data.order.updated_at is not a timestamp",
        ),
        ({"type": "com.adobe.commerce.observer.sales_order_save_after", "data": {"value": 3}, "id": "i"}, "data.value"),
    ],
)
def test_missing_or_unusable_fields_are_named(payload: dict[str, Any], named: str) -> None:
    with pytest.raises(DeliveryError, match=named):
        parse_delivery(payload)


def test_claimed_entity_id_is_best_effort_and_log_safe() -> None:
    assert claimed_entity_id(event_body("observer.sales_order_invoice_save_after", {"entity_id": 12})) == "12"
    assert claimed_entity_id(b"not json") is None
    assert claimed_entity_id(b"[]") is None
    assert claimed_entity_id(event_body("observer.sales_order_save_after", {"status": "x"})) is None
    hostile = event_body("observer.sales_order_save_after", {"entity_id": "1\nINFO forged log line"})
    assert claimed_entity_id(hostile) is None
