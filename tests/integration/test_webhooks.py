"""Simulator's emitter -> verifier handler -> SQS (moto) -> processor handler -> one bill, even with the poller."""

from __future__ import annotations

import json
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

import boto3
import pytest

from mlc.handlers import sqs_event
from mlc.lambda_context import LocalLambdaContext
from mlconnector.config import SecretReader
from mlconnector.service import sync
from mlconnector.webhooks.processor import Processor
from mlconnector.webhooks.queue import DeliveryQueue
from mlconnector.webhooks.senders.commerce import SPEC as COMMERCE
from mlconnector.webhooks.verifier import Verifier
from sandbox.commerce.webhooks import generate_key_pair
from tests.integration.conftest import Stack
from tests.loopback_posts import serve_posts
from tests.unit.webhooks.webhook_fixtures import http_api_event

WEBHOOK_SECRET_SYSTEM = COMMERCE.secret

pytestmark = pytest.mark.integration


@pytest.fixture
def gateway(shop: Stack) -> Iterator[tuple[str, Any]]:
    with serve_gateway(shop) as served:
        yield served


@contextmanager
def serve_gateway(
    shop: Stack, secrets: SecretReader | None = None, system: str = "commerce"
) -> Iterator[tuple[str, str]]:
    """A loopback 'API Gateway': builds the HTTP API event from what the emitter sends and calls the verifier.
    Yields the default connection's webhook URL (for `system`) and the queue's URL."""
    queue_url = boto3.client("sqs").create_queue(QueueName="webhooks")["QueueUrl"]
    verifier = Verifier(shop.settings, DeliveryQueue(queue_url, boto3.client("sqs")), secrets, clock=shop.clock)

    def answer(path: str, headers: dict[str, str], body: bytes) -> int:
        event = http_api_event(body, headers)
        system, connection = path.rstrip("/").split("/")[-2:]  # the route: /webhooks/{system}/{connection}
        event["pathParameters"] = {"system": system, "connection": connection}
        return int(verifier.handle(event, LocalLambdaContext("webhook-verifier"))["statusCode"])

    with serve_posts(answer) as base:
        yield f"{base}/webhooks/{system}/default", queue_url


def drain(shop: Stack, queue_url: str) -> list[dict[str, Any]]:
    """Hand what the queue holds to the processor, as the SQS event source would; returns its responses."""
    client = boto3.client("sqs")
    responses = []
    while messages := client.receive_message(QueueUrl=queue_url, MaxNumberOfMessages=10).get("Messages", []):
        event = sqs_event(messages, "arn:aws:sqs:us-east-1:123456789012:webhooks")
        responses.append(Processor(shop.connection).handle(event, LocalLambdaContext("webhook-verifier")))
        for m in messages:
            client.delete_message(QueueUrl=queue_url, ReceiptHandle=m["ReceiptHandle"])
    return responses


def _bills_for(shop: Stack, increment_id: str) -> list[dict[str, Any]]:
    return [b for b in shop.simulator.store.all("APBILL") if b.get("RECORDID") == f"MC-{increment_id}"]


def _postable_order(shop: Stack) -> dict[str, Any]:
    assert shop.commerce is not None
    tricky = shop.commerce.tricky
    bad = {tricky.guest_without_email_order, tricky.order_without_items, tricky.unknown_currency_order}
    return next(o for o in shop.commerce.orders.values() if o["state"] != "canceled" and o["entity_id"] not in bad)


def test_webhook_and_poller_together_post_one_bill(shop: Stack, gateway: tuple[str, str]) -> None:
    url, queue_url = gateway
    keys = generate_key_pair()
    shop._put("default", WEBHOOK_SECRET_SYSTEM, {"public_key_pem": keys.public_pem})
    assert shop.commerce is not None
    order = _postable_order(shop)
    for _ in range(2):  # a redelivery
        status = shop.commerce.webhooks.deliver(url, "observer.sales_order_save_after", order,
                                                private_key=keys.private_pem)  # fmt: skip
        assert status == 202
    forged = json.dumps({"eventName": "observer.sales_order_save_after", "data": {"order": order}}).encode()
    other = generate_key_pair()
    assert shop.commerce.webhooks.deliver(url, "observer.sales_order_save_after", order,
                                          private_key=other.private_pem, body=forged) == 401  # fmt: skip

    attributes = boto3.client("sqs").get_queue_attributes(QueueUrl=queue_url, AttributeNames=["All"])["Attributes"]
    assert attributes["ApproximateNumberOfMessages"] == "1"  # the redelivery was deduplicated
    assert drain(shop, queue_url) == [{"batchItemFailures": []}]
    (bill,) = _bills_for(shop, str(order["increment_id"]))

    report = sync("commerce-intacct", shop.connection())  # the schedule runs too
    assert report.error is None
    assert _bills_for(shop, str(order["increment_id"])) == [bill]
    history = shop.connection().state.audit.history("commerce", "order", str(order["increment_id"]))
    assert [e.action for e in history].count("created") == 1


def test_poller_first_then_webhook_posts_nothing_new(shop: Stack, gateway: tuple[str, str]) -> None:
    url, queue_url = gateway
    keys = generate_key_pair()
    shop._put("default", WEBHOOK_SECRET_SYSTEM, {"public_key_pem": keys.public_pem})
    assert shop.commerce is not None
    order = _postable_order(shop)
    sync("commerce-intacct", shop.connection())
    (bill,) = _bills_for(shop, str(order["increment_id"]))
    creates = shop.simulator.calls.count("create")
    assert shop.commerce.webhooks.deliver(url, "observer.sales_order_save_after", order,
                                          private_key=keys.private_pem) == 202  # fmt: skip
    assert drain(shop, queue_url) == [{"batchItemFailures": []}]
    assert _bills_for(shop, str(order["increment_id"])) == [bill]
    assert shop.simulator.calls.count("create") == creates  # hash-skip: no Intacct write at all
