"""Quarantined webhook deliveries re-driven by `replay`: rejected at the door (401), kept with the id they claim,
and posted from Commerce's current record once the operator asks, never from the rejected body, never twice."""

from __future__ import annotations

from collections.abc import Iterator
from decimal import Decimal
from typing import Any

import boto3
import pytest

from mlconnector.config import SecretReader
from mlconnector.service import Replayed, replay_and_redrive, sync
from mlconnector.state import ConnectionState
from mlconnector.webhooks.senders.commerce import SPEC as COMMERCE
from sandbox.commerce import CommerceSimulator
from sandbox.commerce.webhooks import KeyPair, generate_key_pair
from tests.integration.conftest import Stack
from tests.integration.test_commerce_intacct import _expected_total
from tests.integration.test_webhooks import _bills_for, _postable_order, serve_gateway

QUARANTINE_FLOW = COMMERCE.quarantine_flow
WEBHOOK_SECRET_SYSTEM = COMMERCE.secret

pytestmark = pytest.mark.integration

ORDER_SAVED = "observer.sales_order_save_after"


class Shop:
    """The `shop` stack behind a loopback gateway, with the connector holding the Admin's first public key."""

    def __init__(self, stack: Stack, url: str, queue_url: str) -> None:
        self.stack, self.url, self.queue_url = stack, url, queue_url
        self.old_keys, self.new_keys = generate_key_pair(), generate_key_pair()
        self.install(self.old_keys)

    @property
    def commerce(self) -> CommerceSimulator:
        assert self.stack.commerce is not None
        return self.stack.commerce

    def install(self, keys: KeyPair) -> None:
        """The operator puts a public key into the connection's webhook secret."""
        self.stack._put("default", WEBHOOK_SECRET_SYSTEM, {"public_key_pem": keys.public_pem})

    def deliver(self, event: str, entity: dict[str, Any], keys: KeyPair) -> int:
        return self.commerce.webhooks.deliver(self.url, event, entity, private_key=keys.private_pem)

    def state(self) -> ConnectionState:
        return self.stack.connection().state

    def quarantined(self) -> list[tuple[str, str]]:
        return sorted((f.stream, f.source_key) for f in self.state().failures.pending(QUARANTINE_FLOW))

    def queued(self) -> int:
        attributes = boto3.client("sqs").get_queue_attributes(QueueUrl=self.queue_url, AttributeNames=["All"])
        return int(attributes["Attributes"]["ApproximateNumberOfMessages"])

    def quarantine_history(self, entity_type: str, entity_id: object) -> list[tuple[str, str | None]]:
        history = self.state().audit.history("commerce", entity_type, str(entity_id))
        return [(e.action, e.error) for e in history if e.flow == QUARANTINE_FLOW]


@pytest.fixture
def shop_route(shop: Stack) -> Iterator[Shop]:
    # As in Lambda: one reader kept across deliveries (five minutes), re-read when a signature stops verifying.
    secrets = SecretReader(shop.settings.secret_prefix, max_age_seconds=300, failure_ttl_seconds=30, clock=shop.clock)
    with serve_gateway(shop, secrets) as (url, queue_url):
        yield Shop(shop, url, queue_url)


def _replay(route: Shop, **options: Any) -> Replayed:
    route.stack.clock.advance(60)  # the operator replays a while later (audit entries sort by time)
    return replay_and_redrive("commerce-intacct", route.stack.connection(), **options)


def test_a_delivery_signed_with_a_key_the_connector_lacks_is_posted_by_replay_in_its_current_state(
    shop_route: Shop,
) -> None:
    route = shop_route
    order = _postable_order(route.stack)
    increment_id, entity_id = str(order["increment_id"]), order["entity_id"]
    # The Admin regenerated the key pair; the connector still holds the old public key.
    assert route.deliver(ORDER_SAVED, order, route.new_keys) == 401
    assert route.quarantined() == [("order", str(entity_id))]

    route.install(route.new_keys)  # the operator fixes the cause: nothing is posted until replay
    route.stack.clock.advance(600)
    assert route.quarantined() == [("order", str(entity_id))]
    assert route.queued() == 0
    assert _bills_for(route.stack, increment_id) == []

    shipping = Decimal(str(order.get("shipping_amount") or 0)) + Decimal("12.34")
    changed = route.commerce.update_order(entity_id, {"shipping_amount": float(shipping)})
    assert _expected_total(changed) != _expected_total(order)

    result = _replay(route)
    assert result.ok
    assert result.records is not None
    assert result.records.counts["created"] == 0  # no engine failures were waiting
    assert result.deliveries is not None
    assert result.deliveries.counts == {"redriven": 1, "skipped": 0, "kept": 0}
    assert result.deliveries.bills["created"] == 1
    (bill,) = _bills_for(route.stack, increment_id)
    assert Decimal(str(bill["TOTALENTERED"])) == _expected_total(changed)  # Commerce's record now, not the body's
    assert route.quarantined() == []
    actions = [action for action, _ in route.quarantine_history("order", entity_id)]
    assert actions == ["rejected", "redriven"]
    bill_history = route.state().audit.history("commerce", "order", increment_id)
    assert [(e.action, e.run_id) for e in bill_history] == [("created", result.deliveries.run_id)]

    creates = route.stack.simulator.calls.count("create")
    again = _replay(route)
    assert again.deliveries is not None
    assert again.deliveries.results == []
    assert route.stack.simulator.calls.count("create") == creates
    assert _bills_for(route.stack, increment_id) == [bill]


def test_a_forged_delivery_for_an_order_that_does_not_exist_is_skipped_and_removed(shop_route: Shop) -> None:
    route = shop_route
    forged = {**_postable_order(route.stack), "entity_id": 987654, "increment_id": "000987654", "grand_total": 1}
    assert route.deliver(ORDER_SAVED, forged, generate_key_pair()) == 401
    assert route.quarantined() == [("order", "987654")]
    bills_before = len(route.stack.simulator.store.all("APBILL"))

    result = _replay(route, webhooks_only=True)
    assert result.records is None
    assert result.deliveries is not None
    ((entity_type, entity_id, outcome),) = [(r.entity_type, r.entity_id, r.outcome) for r in result.deliveries.results]
    assert (entity_type, entity_id, outcome) == ("order", "987654", "skipped")
    assert route.quarantined() == []
    assert route.quarantine_history("order", 987654)[-1] == ("skipped", "order 987654 is not in Commerce")
    assert len(route.stack.simulator.store.all("APBILL")) == bills_before
    assert _bills_for(route.stack, "000987654") == []


def test_an_order_the_poller_already_posted_is_not_posted_again(shop_route: Shop) -> None:
    route = shop_route
    order = _postable_order(route.stack)
    assert sync("commerce-intacct", route.stack.connection()).error is None
    (bill,) = _bills_for(route.stack, str(order["increment_id"]))
    creates = route.stack.simulator.calls.count("create")
    assert route.deliver(ORDER_SAVED, order, route.new_keys) == 401

    result = _replay(route)
    assert result.deliveries is not None
    ((outcome, detail),) = [(r.outcome, r.detail) for r in result.deliveries.results]
    assert outcome == "redriven"
    assert "already posted" in detail
    assert result.deliveries.bills["unchanged"] == 1
    assert _bills_for(route.stack, str(order["increment_id"])) == [bill]
    assert route.stack.simulator.calls.count("create") == creates  # hash-skip: no Intacct write at all
    assert route.quarantined() == []


def test_a_commerce_outage_keeps_the_delivery_quarantined_until_a_later_replay(shop_route: Shop) -> None:
    route = shop_route
    order = _postable_order(route.stack)
    assert route.deliver(ORDER_SAVED, order, route.new_keys) == 401
    route.install(route.new_keys)
    route.commerce.faults.add("status", status=503, times=None)

    result = _replay(route, webhooks_only=True)
    assert not result.ok
    assert result.deliveries is not None
    assert result.deliveries.counts == {"redriven": 0, "skipped": 0, "kept": 1}
    (kept,) = route.state().failures.pending(QUARANTINE_FLOW)
    assert (kept.source_key, kept.attempts) == (str(order["entity_id"]), 2)
    assert kept.error.startswith("re-drive failed")
    assert kept.payload is not None
    assert kept.payload["reason"] == "bad signature"  # why it was quarantined is still there
    assert _bills_for(route.stack, str(order["increment_id"])) == []
    assert route.quarantine_history("order", order["entity_id"])[-1][0] == "failed"

    route.commerce.faults.clear()
    later = _replay(route, webhooks_only=True)
    assert later.ok
    assert later.deliveries is not None
    assert later.deliveries.counts["redriven"] == 1
    assert len(_bills_for(route.stack, str(order["increment_id"]))) == 1
    assert route.quarantined() == []


def test_an_invoice_posts_its_order_and_other_types_are_removed_with_the_reason(shop_route: Shop) -> None:
    route = shop_route
    order = route.commerce.add_order(email="redrive@example.com", invoiced=True)
    (invoice,) = [i for i in route.commerce.invoices.values() if i["order_id"] == order["entity_id"]]
    customer = next(iter(route.commerce.customers.values()))
    assert route.deliver("observer.sales_order_invoice_save_after", invoice, route.new_keys) == 401
    assert route.deliver("observer.customer_save_after", customer, route.new_keys) == 401
    assert route.quarantined() == sorted([("invoice", str(invoice["entity_id"])), ("customer", str(customer["id"]))])

    result = _replay(route, entity_ids=[str(invoice["entity_id"]), str(customer["id"])])
    assert result.records is None  # only deliveries were named
    assert result.deliveries is not None
    outcomes = {r.entity_type: r.outcome for r in result.deliveries.results}
    assert outcomes == {"invoice": "redriven", "customer": "skipped"}
    assert len(_bills_for(route.stack, str(order["increment_id"]))) == 1
    (action, why) = route.quarantine_history("customer", customer["id"])[-1]
    assert action == "skipped"
    assert why is not None
    assert "no stream posts customer deliveries" in why
    assert route.quarantined() == []


def test_keys_and_entity_ids_choose_what_is_replayed(shop_route: Shop) -> None:
    route = shop_route
    orders = [o for o in route.commerce.orders.values() if o["state"] != "canceled"][:2]
    for order in orders:
        assert route.deliver(ORDER_SAVED, order, route.new_keys) == 401
    route.install(route.new_keys)

    only_records = _replay(route, keys=["000000001"])
    assert only_records.deliveries is None  # engine keys named: the quarantine is left alone
    assert len(route.quarantined()) == 2

    first = str(orders[0]["entity_id"])
    one = _replay(route, entity_ids=[first])
    assert one.deliveries is not None
    assert [r.entity_id for r in one.deliveries.results] == [first]
    assert route.quarantined() == [("order", str(orders[1]["entity_id"]))]
    with pytest.raises(ValueError, match="webhooks_only"):
        _replay(route, keys=["000000001"], webhooks_only=True)
