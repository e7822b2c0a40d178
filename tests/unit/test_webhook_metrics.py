"""The verifier counts deliveries it accepted and rejected, per sender, as EMF lines of their own (its handler has no
`log_metrics` to flush a shared set)."""

from __future__ import annotations

import json
from typing import Any

import boto3
import pytest

from mlc.lambda_context import LocalLambdaContext
from mlconnector.config import SecretReader, Settings, secret_name
from mlconnector.engine.observability import NAMESPACE, count_now
from mlconnector.webhooks.queue import DeliveryQueue
from mlconnector.webhooks.senders.commerce import SPEC as COMMERCE
from mlconnector.webhooks.verifier import Verifier
from sandbox.commerce.webhooks import hmac_signature
from tests.conftest import TABLES, FakeClock
from tests.unit.webhooks.webhook_fixtures import HMAC_SECRET, http_api_event, order_body

PREFIX = "ml-connector/unit"
CONNECTION = "acme"


def _emf(capsys: pytest.CaptureFixture[str]) -> list[dict[str, Any]]:
    return [json.loads(line) for line in capsys.readouterr().out.splitlines() if '"_aws"' in line]


def _counted(lines: list[dict[str, Any]]) -> dict[str, list[dict[str, Any]]]:
    """Metric name -> the EMF lines that carry it."""
    found: dict[str, list[dict[str, Any]]] = {}
    for line in lines:
        for directive in line["_aws"]["CloudWatchMetrics"]:
            assert directive["Namespace"] == NAMESPACE
            assert directive["Dimensions"] == [["service", "system"]]
            for metric in directive["Metrics"]:
                assert metric["Unit"] == "Count"
                found.setdefault(metric["Name"], []).append(line)
    return found


@pytest.fixture
def verifier(aws: None, clock: FakeClock) -> Verifier:
    sqs = boto3.client("sqs", region_name="us-east-1")
    queue_url = sqs.create_queue(QueueName="webhooks")["QueueUrl"]
    boto3.client("secretsmanager", region_name="us-east-1").create_secret(
        Name=secret_name(PREFIX, CONNECTION, COMMERCE.secret),
        SecretString=json.dumps({"hmac_secret": HMAC_SECRET, "settings": {"schemes": ["hmac"]}}),
    )
    settings = Settings(TABLES, PREFIX, 30, region="us-east-1")
    return Verifier(settings, DeliveryQueue(queue_url, sqs), SecretReader(PREFIX, region="us-east-1"), clock)


def _deliver(verifier: Verifier, signature: str) -> int:
    event = http_api_event(order_body(), {"x-adobe-signature": signature})
    event["pathParameters"] = {"system": "commerce", "connection": CONNECTION}
    return int(verifier.handle(event, LocalLambdaContext("webhook-verifier"))["statusCode"])


def test_an_accepted_delivery_is_counted_for_its_sender(verifier: Verifier, capsys: pytest.CaptureFixture[str]) -> None:
    capsys.readouterr()
    assert _deliver(verifier, hmac_signature(order_body(), HMAC_SECRET)) == 202
    counted = _counted(_emf(capsys))
    assert set(counted) == {"WebhooksAccepted"}
    (line,) = counted["WebhooksAccepted"]
    assert (line["service"], line["system"], line["WebhooksAccepted"]) == ("ml-connector", "commerce", [1.0])


def test_a_forged_signature_is_counted_as_rejected(verifier: Verifier, capsys: pytest.CaptureFixture[str]) -> None:
    capsys.readouterr()
    for _ in range(3):
        assert _deliver(verifier, hmac_signature(order_body(), "not-the-shared-secret")) == 401
    counted = _counted(_emf(capsys))
    assert set(counted) == {"WebhooksRejected"}
    assert [line["system"] for line in counted["WebhooksRejected"]] == ["commerce"] * 3
    assert HMAC_SECRET not in json.dumps(counted)


def test_count_now_prints_one_line_and_leaves_nothing_behind(capsys: pytest.CaptureFixture[str]) -> None:
    capsys.readouterr()
    count_now("WebhooksAccepted", system="zendesk")
    count_now("WebhooksAccepted", system="zendesk")
    lines = _emf(capsys)
    assert [line["WebhooksAccepted"] for line in lines] == [[1.0], [1.0]]
