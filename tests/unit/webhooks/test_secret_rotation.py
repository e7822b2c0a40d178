"""The verifier with a secret kept per warm container: a rotated secret is picked up at the first delivery it
signs (not after the cache's five minutes), and forged deliveries cannot buy a Secrets Manager read each."""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any

import boto3
import pytest

from mlc.lambda_context import LocalLambdaContext
from mlconnector.config import SecretReader, Settings, secret_name
from mlconnector.state import ConnectionState
from mlconnector.webhooks.queue import DeliveryQueue
from mlconnector.webhooks.senders.commerce import SPEC as COMMERCE
from mlconnector.webhooks.verifier import Verifier
from sandbox.commerce.webhooks import hmac_signature
from tests.conftest import TABLES, FakeClock
from tests.unit.test_secret_cache import SecretsClient
from tests.unit.webhooks.webhook_fixtures import ORDER, http_api_event, order_body

QUARANTINE_FLOW = COMMERCE.quarantine_flow
WEBHOOK_SECRET_SYSTEM = COMMERCE.secret

PREFIX = "ml-connector/unit"
CONNECTION = "acme"
NAME = secret_name(PREFIX, CONNECTION, WEBHOOK_SECRET_SYSTEM)
OLD, NEW = "old-shared-secret-1a7e", "new-shared-secret-5c0d"


@dataclass
class Route:
    verifier: Verifier
    secrets: SecretsClient
    clock: FakeClock

    def rotate(self, hmac_secret: str) -> None:
        self.secrets.put(NAME, {"hmac_secret": hmac_secret, "settings": {"schemes": ["hmac"]}})

    def deliver(self, body: bytes, signed_with: str) -> int:
        event = http_api_event(body, {"x-adobe-signature": hmac_signature(body, signed_with)})
        event["pathParameters"] = {"system": "commerce", "connection": CONNECTION}
        response: dict[str, Any] = self.verifier.handle(event, LocalLambdaContext("webhook-verifier"))
        return int(response["statusCode"])


@pytest.fixture
def route(aws: None, clock: FakeClock) -> Route:
    queue_url = boto3.client("sqs", region_name="us-east-1").create_queue(QueueName="webhooks")["QueueUrl"]
    secrets = SecretsClient()
    reader = SecretReader(PREFIX, client=secrets, max_age_seconds=300, failure_ttl_seconds=30, clock=clock)
    settings = Settings(TABLES, PREFIX, 30, region="us-east-1")
    queue = DeliveryQueue(queue_url, boto3.client("sqs", region_name="us-east-1"))
    route = Route(Verifier(settings, queue, reader, clock), secrets, clock)
    route.rotate(OLD)
    return route


def _quarantined() -> list[str]:
    return [f.source_key for f in ConnectionState.open(CONNECTION, retention_days=30).failures.pending(QUARANTINE_FLOW)]


def test_deliveries_within_the_max_age_read_the_secret_once(route: Route) -> None:
    for number in range(20):
        body = order_body(updated_at=f"2025-11-04 00:01:{number:02d}")
        assert route.deliver(body, OLD) == 202
        route.clock.advance(10)
    assert route.secrets.reads == [NAME]


def test_a_rotated_secret_is_used_at_the_first_delivery_it_signs(route: Route) -> None:
    assert route.deliver(order_body(), OLD) == 202
    route.clock.advance(60)
    route.rotate(NEW)  # the operator rotates; the sender signs with the new secret from now on
    assert route.deliver(order_body(updated_at="2025-11-04 01:00:00"), NEW) == 202
    assert route.secrets.reads == [NAME, NAME]
    assert _quarantined() == []
    route.clock.advance(10)
    assert route.deliver(order_body(updated_at="2025-11-04 02:00:00"), OLD) == 401  # the old one no longer works
    assert route.deliver(order_body(updated_at="2025-11-04 03:00:00"), NEW) == 202
    assert route.secrets.reads == [NAME, NAME]  # the 401 could not force another read within 30 s


def test_forged_deliveries_buy_at_most_one_read_per_interval(route: Route) -> None:
    assert route.deliver(order_body(), OLD) == 202
    for _ in range(20):  # a forged delivery every six seconds for two minutes
        route.clock.advance(6)
        assert route.deliver(order_body(grand_total=0.01), "guessed") == 401
    assert 1 < len(route.secrets.reads) <= 1 + 120 // 30  # not one per delivery
    assert _quarantined() == [str(ORDER["entity_id"])]


def test_a_rotation_just_after_a_forced_read_waits_for_the_interval(route: Route) -> None:
    assert route.deliver(order_body(), OLD) == 202
    route.clock.advance(60)
    assert route.deliver(order_body(grand_total=0.01), "guessed") == 401  # forces a read now
    route.rotate(NEW)
    route.clock.advance(10)
    assert route.deliver(order_body(updated_at="2025-11-04 01:00:00"), NEW) == 401  # quarantined, replayable
    route.clock.advance(21)
    assert route.deliver(order_body(updated_at="2025-11-04 02:00:00"), NEW) == 202


def test_an_unconfigured_connection_costs_one_read_per_failure_ttl(route: Route) -> None:
    event = http_api_event(order_body(), {"x-adobe-signature": "AAAA"}) | {
        "pathParameters": {"system": "commerce", "connection": "other"}
    }
    statuses = []
    for _ in range(10):
        statuses.append(route.verifier.handle(event, LocalLambdaContext("webhook-verifier"))["statusCode"])
        route.clock.advance(1)
    assert statuses == [503] * 10
    assert route.secrets.reads == [secret_name(PREFIX, "other", WEBHOOK_SECRET_SYSTEM)]


def test_the_body_and_secret_never_reach_the_response(route: Route) -> None:
    route.clock.advance(60)
    route.rotate(NEW)
    event = http_api_event(order_body(), {"x-adobe-signature": hmac_signature(order_body(), "guessed")})
    event["pathParameters"] = {"system": "commerce", "connection": CONNECTION}
    response = route.verifier.handle(event, LocalLambdaContext("webhook-verifier"))
    assert response["statusCode"] == 401
    assert NEW not in json.dumps(response)
    assert OLD not in json.dumps(response)
