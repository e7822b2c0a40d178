"""The verifier and processor logic on moto: what is enqueued, audited and quarantined for each delivery."""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any

import boto3
import pytest

from mlc.lambda_context import LocalLambdaContext
from mlconnector.config import ConfigurationError, SecretReader, Settings, secret_name
from mlconnector.connection import Connection
from mlconnector.state import ConnectionState
from mlconnector.webhooks.config import WebhookConfigError
from mlconnector.webhooks.processor import Processor
from mlconnector.webhooks.queue import DeliveryQueue, MessageError, QueueMessage, queue_url_from_env
from mlconnector.webhooks.senders.commerce import SPEC as COMMERCE
from mlconnector.webhooks.verifier import Verifier, webhook_settings
from sandbox.commerce.webhooks import KeyPair, event_body, hmac_signature, rsa_signature
from tests.conftest import TABLES, FakeClock
from tests.unit.webhooks.webhook_fixtures import HMAC_SECRET, ORDER, http_api_event, order_body

QUARANTINE_FLOW = COMMERCE.quarantine_flow
WEBHOOK_SECRET_SYSTEM = COMMERCE.secret

PREFIX = "ml-connector/unit"
CONNECTION = "acme"


@dataclass
class Route:
    verifier: Verifier
    queue_url: str
    keys: KeyPair

    def receive(self, body: bytes, headers: dict[str, str], connection: str = CONNECTION) -> dict[str, Any]:
        event = http_api_event(body, headers) | {"pathParameters": {"system": "commerce", "connection": connection}}
        return self.verifier.handle(event, LocalLambdaContext("webhook-verifier"))

    def enqueued(self) -> list[dict[str, Any]]:
        client = boto3.client("sqs", region_name="us-east-1")
        messages = client.receive_message(QueueUrl=self.queue_url, MaxNumberOfMessages=10).get("Messages", [])
        return [json.loads(m["Body"]) for m in messages]

    def state(self) -> ConnectionState:
        return ConnectionState.open(CONNECTION, retention_days=30)


def _put_secret(secret: dict[str, Any]) -> None:
    client = boto3.client("secretsmanager", region_name="us-east-1")
    name = secret_name(PREFIX, CONNECTION, WEBHOOK_SECRET_SYSTEM)
    try:
        client.create_secret(Name=name, SecretString=json.dumps(secret))
    except client.exceptions.ResourceExistsException:
        client.put_secret_value(SecretId=name, SecretString=json.dumps(secret))


@pytest.fixture
def route(aws: None, clock: FakeClock, keys: KeyPair) -> Route:
    queue_url = boto3.client("sqs", region_name="us-east-1").create_queue(QueueName="webhooks")["QueueUrl"]
    _put_secret({"hmac_secret": HMAC_SECRET, "public_key_pem": keys.public_pem, "settings": {"schemes": ["hmac"]}})
    settings = Settings(TABLES, PREFIX, 30, region="us-east-1")
    queue = DeliveryQueue(queue_url, boto3.client("sqs", region_name="us-east-1"))
    return Route(Verifier(settings, queue, SecretReader(PREFIX, region="us-east-1"), clock), queue_url, keys)


def _signed(body: bytes) -> dict[str, str]:
    return {"x-adobe-signature": hmac_signature(body, HMAC_SECRET)}


def test_valid_delivery_is_enqueued_once_without_its_body(route: Route) -> None:
    response = route.receive(order_body(), _signed(order_body()))
    assert response["statusCode"] == 202
    (message,) = route.enqueued()
    assert message["connection"] == CONNECTION
    assert (message["entity_type"], message["entity_id"]) == ("order", str(ORDER["entity_id"]))
    assert "data" not in message
    assert "status" not in message
    assert route.state().failures.pending(QUARANTINE_FLOW) == []


def test_duplicate_delivery_is_enqueued_once(route: Route) -> None:
    body = order_body()
    first, second = route.receive(body, _signed(body)), route.receive(body, _signed(body))
    assert (first["statusCode"], second["statusCode"]) == (202, 202)
    assert len(route.enqueued()) == 1


def test_the_next_change_of_the_same_order_is_enqueued_again(route: Route) -> None:
    for body in (order_body(), order_body(updated_at="2025-11-05 10:00:00")):
        route.receive(body, _signed(body))
    assert len({m["event_id"] for m in route.enqueued()}) == 2


def test_forged_signature_gets_401_audit_and_quarantine_and_nothing_is_enqueued(route: Route) -> None:
    forged = order_body(grand_total=0.01)
    response = route.receive(forged, _signed(order_body()))  # a signature over another body
    assert response["statusCode"] == 401
    assert HMAC_SECRET not in json.dumps(response)
    assert route.enqueued() == []
    (entry,) = route.state().audit.history("commerce", "order", str(ORDER["entity_id"]))
    assert (entry.action, entry.flow) == ("rejected", QUARANTINE_FLOW)
    assert entry.error is not None
    assert entry.error.startswith("bad signature")
    (kept,) = route.state().failures.pending(QUARANTINE_FLOW)
    assert (kept.stream, kept.source_key) == ("order", str(ORDER["entity_id"]))
    assert kept.payload == {"entity_type": "order", "entity_id": str(ORDER["entity_id"]), "reason": "bad signature"}


def test_missing_signature_is_rejected(route: Route) -> None:
    assert route.receive(order_body(), {})["statusCode"] == 401
    assert route.enqueued() == []


def test_rejected_body_without_an_id_is_audited_but_not_quarantined(route: Route) -> None:
    body = b'{"eventName": "observer.sales_order_save_after", "data": {}}'
    assert route.receive(body, {"x-adobe-signature": "AAAA"})["statusCode"] == 401
    (entry,) = route.state().audit.history("commerce", "unknown", "unidentified")
    assert entry.action == "rejected"
    assert route.state().failures.pending(QUARANTINE_FLOW) == []


def test_stale_delivery_is_rejected(route: Route, clock: FakeClock) -> None:
    _put_secret({"hmac_secret": HMAC_SECRET, "settings": {"schemes": ["hmac"], "timestamp_field": "time"}})
    body = json.dumps({"time": clock() - 3600, **json.loads(order_body())}).encode()
    response = route.receive(body, _signed(body))
    assert response["statusCode"] == 401
    assert route.enqueued() == []
    (entry,) = route.state().audit.history("commerce", "order", str(ORDER["entity_id"]))
    assert entry.error is not None
    assert entry.error.startswith("stale timestamp")
    fresh = json.dumps({"time": clock() - 10, **json.loads(order_body())}).encode()
    assert route.receive(fresh, _signed(fresh))["statusCode"] == 202


def test_rsa_signed_delivery_is_accepted(route: Route) -> None:
    _put_secret({"public_key_pem": route.keys.public_pem})  # default settings: the rsa scheme
    body = order_body()
    headers = {"x-adobe-commerce-webhook-signature": rsa_signature(body, route.keys.private_pem)}
    assert route.receive(body, headers)["statusCode"] == 202
    assert len(route.enqueued()) == 1


def test_unsupported_entities_are_acknowledged_not_enqueued(route: Route) -> None:
    body = event_body("observer.customer_save_after", {"id": 7, "updated_at": "2025-11-04 00:00:00"})
    assert route.receive(body, _signed(body))["statusCode"] == 202
    assert route.enqueued() == []


def test_a_bad_connection_name_is_404_and_a_missing_secret_503(route: Route) -> None:
    body = order_body()
    assert route.receive(body, _signed(body), connection="Not Valid")["statusCode"] == 404
    assert route.receive(body, _signed(body), connection="other")["statusCode"] == 503
    assert route.enqueued() == []


def test_webhook_settings_need_the_key_material_of_every_scheme() -> None:
    secret = {"hmac_secret": HMAC_SECRET, "settings": {"schemes": ["hmac"], "hmac_encoding": "hex"}}
    config, keys = webhook_settings(secret)
    assert (config.schemes, config.hmac_encoding, keys.hmac_secret) == (("hmac",), "hex", HMAC_SECRET)
    assert HMAC_SECRET not in repr(keys)
    with pytest.raises(WebhookConfigError):
        webhook_settings({"hmac_secret": "s"})  # rsa by default, no public key
    with pytest.raises(WebhookConfigError):
        webhook_settings({"hmac_secret": "s", "settings": {"schemes": ["hmac"], "colour": "red"}})


def test_queue_messages_round_trip_and_refuse_other_shapes() -> None:
    message = QueueMessage(CONNECTION, "order", "42", "e1", system="commerce")
    assert QueueMessage.from_json(message.to_json()) == message
    with pytest.raises(MessageError):
        QueueMessage.from_json('{"connection": "acme"}')
    with pytest.raises(ConfigurationError):
        QueueMessage.from_json(QueueMessage("../x", "order", "42", "e1", system="commerce").to_json())
    with pytest.raises(ConfigurationError):
        queue_url_from_env({})
    assert queue_url_from_env({"MLC_WEBHOOK_QUEUE_URL": "https://q"}) == "https://q"


def _sqs_event(*bodies: str) -> dict[str, Any]:
    return {
        "Records": [
            {
                "messageId": f"m{i}",
                "receiptHandle": "r",
                "body": body,
                "attributes": {},
                "messageAttributes": {},
                "md5OfBody": "",
                "eventSource": "aws:sqs",
                "eventSourceARN": "arn:aws:sqs:us-east-1:1:q",
                "awsRegion": "us-east-1",
            }
            for i, body in enumerate(bodies)
        ]
    }


def test_processor_fails_only_messages_whose_posting_raised(aws: None) -> None:
    opened: list[str] = []

    def open_connection(name: str) -> Connection:
        opened.append(name)
        raise ConnectionError("Commerce unreachable")

    good = QueueMessage(CONNECTION, "order", "42", "e1", system="commerce").to_json()
    response = Processor(open_connection).handle(_sqs_event("not json", good), LocalLambdaContext("webhook-verifier"))
    assert response == {"batchItemFailures": [{"itemIdentifier": "m1"}]}  # the malformed one is dropped, not retried
    assert opened == [CONNECTION]
