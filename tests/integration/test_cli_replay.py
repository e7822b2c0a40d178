"""`mlc replay` and `mlc audit --failed` with a quarantined webhook delivery, on a running local environment."""

from __future__ import annotations

import json
from typing import Any

import boto3
import pytest

from mlc.embedded import DEFAULT_CONNECTION, LocalEnvironment
from mlc.main import main
from mlconnector.config import secret_name
from mlconnector.webhooks.queue import DeliveryQueue
from mlconnector.webhooks.senders.commerce import SPEC as COMMERCE
from mlconnector.webhooks.verifier import Verifier
from sandbox.commerce.webhooks import event_body, generate_key_pair
from tests.unit.webhooks.webhook_fixtures import http_api_event

QUARANTINE_FLOW = COMMERCE.quarantine_flow
WEBHOOK_SECRET_SYSTEM = COMMERCE.secret

pytestmark = pytest.mark.integration


def _quarantine_an_order(environment: LocalEnvironment) -> dict[str, Any]:
    """A delivery for a real order, signed with a key the connector does not hold: 401, quarantined."""
    assert environment.sandbox is not None
    assert environment.description is not None
    settings = environment.description.settings()
    boto3.client("secretsmanager").create_secret(
        Name=secret_name(settings.secret_prefix, DEFAULT_CONNECTION, WEBHOOK_SECRET_SYSTEM),
        SecretString=json.dumps({"public_key_pem": generate_key_pair().public_pem}),
    )
    order = next(o for o in environment.sandbox.commerce.orders.values() if o["state"] == "complete")
    body = event_body("observer.sales_order_save_after", order)
    event = http_api_event(body, {"x-adobe-commerce-webhook-signature": "c2lnbmVk"})
    event["pathParameters"] = {"system": "commerce", "connection": DEFAULT_CONNECTION}
    response = Verifier(settings, DeliveryQueue("http://127.0.0.1:1/unused")).handle(event, None)
    assert response["statusCode"] == 401
    return order


def _json(capsys: pytest.CaptureFixture[str], *argv: str, code: int = 0) -> Any:
    capsys.readouterr()
    assert main([*argv, "--json"]) == code
    return json.loads(capsys.readouterr().out)


def test_replay_redrives_a_quarantined_delivery_and_audit_lists_it_until_then(
    local: LocalEnvironment, capsys: pytest.CaptureFixture[str]
) -> None:
    order = _quarantine_an_order(local)
    (failed,) = _json(capsys, "audit", "--failed")
    claimed = (QUARANTINE_FLOW, "order", str(order["entity_id"]))
    assert (failed["flow"], failed["stream"], failed["source_key"]) == claimed
    assert failed["error"].startswith("bad signature")

    report = _json(capsys, "replay", "commerce-intacct")
    assert report["flow"] == "commerce-intacct"  # the engine's replay, as before
    assert report["status"] == "completed"
    webhooks = report["webhooks"]
    assert webhooks["counts"] == {"redriven": 1, "skipped": 0, "kept": 0}
    (delivery,) = webhooks["deliveries"]
    assert (delivery["entity_type"], delivery["entity_id"], delivery["outcome"]) == (
        "order",
        str(order["entity_id"]),
        "redriven",
    )
    assert sum(webhooks["bills"].values()) == 1
    assert _json(capsys, "audit", "--failed") == []
    history = _json(capsys, "audit", "--key", str(order["entity_id"]), "--system", "commerce", "--object", "order")
    assert [e["action"] for e in history] == ["rejected", "redriven"]

    again = _json(capsys, "replay", "commerce-intacct", "--webhooks-only")
    assert set(again) == {"webhooks", "nothing_to_replay"}
    assert again["nothing_to_replay"] is True
    assert again["webhooks"]["deliveries"] == []


def test_human_output_and_integrations_without_webhooks(
    local: LocalEnvironment, capsys: pytest.CaptureFixture[str]
) -> None:
    order = _quarantine_an_order(local)
    capsys.readouterr()
    assert main(["replay", "commerce-intacct", "--entity-id", str(order["entity_id"])]) == 0
    out = capsys.readouterr().out
    assert "1 re-driven, 0 skipped, 0 kept" in out
    assert f"order {order['entity_id']}: redriven" in out
    assert "commerce-intacct run" not in out  # only the delivery was named
    assert main(["replay", "intacct-marketo", "--webhooks-only"]) == 2
    assert "takes no webhooks" in capsys.readouterr().err
    assert main(["replay", "intacct-marketo"]) == 0  # still replays its records, nothing to re-drive
