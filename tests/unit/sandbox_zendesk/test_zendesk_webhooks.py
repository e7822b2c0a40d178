"""Webhook deliveries: base64(HMAC-SHA256(secret, timestamp + raw body)) in X-Zendesk-Webhook-Signature, the
timestamp, webhook, invocation and account headers, the event-subscription envelope for ticket events."""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
from collections.abc import Iterator

import pytest
import requests

from sandbox.zendesk import TEST_SECRET, ZendeskSimConfig, ZendeskSimulator
from sandbox.zendesk.webhooks import signature
from tests.loopback_posts import collect_posts
from tests.unit.sandbox_zendesk.api import Api
from tests.unit.sandbox_zendesk.conftest import StartZendesk

Received = list[tuple[dict[str, str], bytes]]


@pytest.fixture
def receiver() -> Iterator[tuple[str, Received]]:
    with collect_posts(lower_names=True) as collected:
        yield collected


def _expected(secret: str, timestamp: str, body: bytes) -> str:
    return base64.b64encode(hmac.new(secret.encode(), timestamp.encode() + body, hashlib.sha256).digest()).decode()


def test_reference_vectors() -> None:
    body = b'{"event":"ticket.updated","id":123}'
    assert signature(TEST_SECRET, "2021-03-25T05:09:27Z", body) == "S/RDdU2ERmj7LHDDoWJ2onPYH+t7/f2+LTM4dL7UiLM="
    legacy = signature(
        "HRkRd4BeOAoUkfZr-mhauJT64rvBASlJRoIyPsd3zeA=", "2021-07-25T10:00:00Z", b'{"say": "hello"}', "body_timestamp"
    )
    assert legacy == "tRDSF7URY8BLCDlaBcQ7FHu051Zk+aAB0NKMP53teMw="


def test_ticket_event_delivery_is_signed(sim: ZendeskSimulator, receiver: tuple[str, Received]) -> None:
    url, received = receiver
    sim.add_organization({"name": "Acme", "external_id": "V100"})
    ticket_id = sim.add_ticket(organization_external_id="V100", requester_email="ap@acme.example", priority="high")
    assert sim.deliver_ticket_webhook(url, ticket_id, secret="s3cret") == 200
    headers, body = received[0]
    timestamp = headers["x-zendesk-webhook-signature-timestamp"]
    assert timestamp == "2026-03-10T12:00:30Z"
    assert headers["x-zendesk-webhook-signature"] == _expected("s3cret", timestamp, body)
    assert headers["x-zendesk-webhook-id"] == sim.config.webhook_id
    assert headers["x-zendesk-account-id"] == str(sim.config.account_id)
    payload = json.loads(body)
    assert payload["type"] == "zen:event-type:ticket.created"
    assert payload["subject"] == f"zen:ticket:{ticket_id}"
    assert payload["detail"]["id"] == str(ticket_id)  # ids are strings in events
    assert payload["detail"]["priority"] == "HIGH"
    assert payload["detail"]["status"] == "NEW"
    org = sim.organization_by_external_id("V100")
    assert org is not None
    assert payload["detail"]["organization_id"] == str(org["id"])
    sim.deliver_ticket_webhook(url, ticket_id, secret="s3cret")
    invocations = {headers["x-zendesk-webhook-invocation-id"] for headers, _ in received}
    assert len(invocations) == 2  # unique per invocation


def test_status_change_event_and_the_test_secret(sim: ZendeskSimulator, receiver: tuple[str, Received]) -> None:
    url, received = receiver
    ticket_id = sim.add_ticket(subject="No org")
    event = {"current": "OPEN", "previous": "NEW"}
    assert sim.deliver_ticket_webhook(url, ticket_id, event_type="ticket.status_changed", event=event) == 200
    headers, body = received[0]
    assert headers["x-zendesk-webhook-signature"] == _expected(
        TEST_SECRET, headers["x-zendesk-webhook-signature-timestamp"], body
    )
    assert json.loads(body)["event"] == event


def test_older_signature_order_is_a_knob(start_zendesk: StartZendesk, receiver: tuple[str, Received]) -> None:
    url, received = receiver
    sim = start_zendesk(config=ZendeskSimConfig(signature_order="body_timestamp"))
    sim.deliver_ticket_webhook(url, sim.add_ticket(), secret="k")
    headers, body = received[0]
    timestamp = headers["x-zendesk-webhook-signature-timestamp"]
    expected = base64.b64encode(hmac.new(b"k", body + timestamp.encode(), hashlib.sha256).digest()).decode()
    assert headers["x-zendesk-webhook-signature"] == expected


def test_admin_endpoint_delivers_and_only_to_loopback(sim: ZendeskSimulator, receiver: tuple[str, Received]) -> None:
    url, received = receiver
    ticket_id = sim.add_ticket()
    answer = requests.post(
        f"{sim.base_url}/_sandbox/tickets/{ticket_id}/webhook", json={"url": url, "secret": "k"}, timeout=10
    )
    assert answer.json() == {"status": 200}
    assert len(received) == 1
    with pytest.raises(ValueError, match="loopback"):
        sim.deliver_ticket_webhook("https://example.com/hook", ticket_id)


def test_a_tampered_body_keeps_the_original_signature(sim: ZendeskSimulator, receiver: tuple[str, Received]) -> None:
    url, received = receiver
    sim.deliver_ticket_webhook(url, sim.add_ticket(), secret="k", body=b'{"forged":true}')
    headers, body = received[0]
    assert headers["x-zendesk-webhook-signature"] != _expected(
        "k", headers["x-zendesk-webhook-signature-timestamp"], body
    )


def test_configured_url_receives_ticket_events(sim: ZendeskSimulator, receiver: tuple[str, Received]) -> None:
    url, received = receiver
    sim.add_organization({"name": "Acme", "external_id": "V100"})
    sim.add_ticket(organization_external_id="V100")  # before configuring: nothing is sent
    sim.configure_webhook(url, "k")
    ticket_id = sim.add_ticket(organization_external_id="V100", subject="Late payment")
    sim.update_ticket(ticket_id, status="open", priority="high", custom_fields=[])
    sim.delete_ticket(ticket_id)
    payloads = [json.loads(body) for _, body in received]
    assert [payload["type"].removeprefix("zen:event-type:") for payload in payloads] == [
        "ticket.created",
        "ticket.status_changed",
        "ticket.priority_changed",
        "ticket.soft_deleted",
    ]
    assert payloads[1]["event"] == {"current": "OPEN", "previous": "NEW"}
    assert payloads[2]["event"] == {"current": "HIGH", "previous": None}
    for headers, body in received:
        assert headers["x-zendesk-webhook-signature"] == _expected(
            "k", headers["x-zendesk-webhook-signature-timestamp"], body
        )


def test_configured_through_admin_and_a_receiver_that_is_down(sim: ZendeskSimulator) -> None:
    with collect_posts() as (url, received):
        pass  # the receiver is gone now
    patched = requests.patch(
        sim.base_url + "/_sandbox/config", json={"webhook_url": url, "webhook_secret": "k"}, timeout=5
    )
    assert patched.json()["webhook_url"] == url
    assert "webhook_secret" not in patched.json()
    sim.add_ticket()  # the delivery is lost, the ticket is not
    assert sim.counts()["tickets"] == 1
    assert sim.webhooks.sent[-1]["status"] is None
    assert received == []
    assert requests.patch(sim.base_url + "/_sandbox/config", json={"webhook_url": None}, timeout=5).status_code == 200
    assert sim.config.webhook_url is None


def test_the_webhook_resource(sim: ZendeskSimulator) -> None:
    api = Api(sim, sim.access_token())
    hook_id = sim.config.webhook_id
    inactive = api.get(f"/webhooks/{hook_id}").json()["webhook"]
    assert inactive["status"] == "inactive"
    assert inactive["endpoint"] == ""
    sim.configure_webhook("http://127.0.0.1:9/webhooks/zendesk/acme", "k")
    hook = api.get(f"/webhooks/{hook_id}.json").json()["webhook"]
    assert hook["status"] == "active"
    assert hook["endpoint"] == "http://127.0.0.1:9/webhooks/zendesk/acme"
    assert "zen:event-type:ticket.status_changed" in hook["subscriptions"]
    assert api.get(f"/webhooks/{hook_id}/signing_secret").json() == {
        "signing_secret": {"algorithm": "SHA256", "secret": "k"}
    }
    assert api.get("/webhooks/OTHER").status_code == 404
