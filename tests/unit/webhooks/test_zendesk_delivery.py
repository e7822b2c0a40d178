"""What the connector reads from a verified Zendesk delivery: the invocation id and the ticket it names."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest

from mlconnector.webhooks.config import WebhookSecrets
from mlconnector.webhooks.delivery import DeliveryError, claimed_entity
from mlconnector.webhooks.gateway import headers
from mlconnector.webhooks.registry import spec_for
from mlconnector.webhooks.verification import Rejected, RejectReason, Verified, verify_delivery
from mlconnector.webhooks.zendesk_delivery import INVOCATION_HEADER, read_delivery

HEADERS = {INVOCATION_HEADER: "8350205582"}
EVENT: dict[str, Any] = {
    "account_id": 22129848,
    "id": "2b7b1e5e-7c4a-4b1e-9d0a-2f0d1b0c9a11",
    "time": "2026-12-04T10:00:00.123456000Z",
    "type": "zen:event-type:ticket.status_changed",
    "subject": "zen:ticket:35436",
    "detail": {"id": "35436", "status": "SOLVED"},
}


def test_an_event_subscription_delivery_names_its_ticket_and_is_deduplicated_by_invocation() -> None:
    delivery = read_delivery(EVENT, HEADERS)
    assert (delivery.entity_type, delivery.entity_id, delivery.event_id) == ("ticket", "35436", "8350205582")
    assert delivery.id_source == "sender"
    assert delivery.occurred_at is not None
    assert delivery.occurred_at.isoformat().startswith("2026-12-04T10:00:00")


@pytest.mark.parametrize("body", [{"ticket_id": "77"}, {"ticket": {"id": 77}}, {"ticket_id": 77, "status": "open"}])
def test_a_trigger_body_naming_the_ticket_id_works(body: dict[str, Any]) -> None:
    delivery = read_delivery(body, HEADERS)
    assert (delivery.entity_type, delivery.entity_id) == ("ticket", "77")


def test_a_delivery_without_an_invocation_id_or_a_ticket_id_is_refused_naming_what_is_missing() -> None:
    with pytest.raises(DeliveryError, match="x-zendesk-webhook-invocation-id"):
        read_delivery(EVENT, {})
    with pytest.raises(DeliveryError, match="names no ticket id"):
        read_delivery({"ticket_id": "{{ticket.id}}"}, HEADERS)


def test_other_event_types_are_not_tickets() -> None:
    user = {**EVENT, "type": "zen:event-type:user.created", "subject": "zen:user:9", "detail": {"id": "9"}}
    delivery = read_delivery(user, HEADERS)
    assert (delivery.entity_type, delivery.entity_id) == ("user", "9")


def test_the_claim_of_a_rejected_body_is_only_plain_ids() -> None:
    assert claimed_entity(read_delivery, b'{"subject": "zen:ticket:12"}', HEADERS) == ("ticket", "12")
    assert claimed_entity(read_delivery, b'{"subject": "zen:ticket:12\\n<script>"}', HEADERS) is None
    assert claimed_entity(read_delivery, b"not json", HEADERS) is None


def test_the_sample_event_is_signed_as_zendesk_signs_and_refused_as_stale_later() -> None:
    event = json.loads((Path(__file__).parents[3] / "events" / "webhook-zendesk-delivery.json").read_text())
    assert event["pathParameters"] == {"system": "zendesk", "connection": "default"}
    spec = spec_for("zendesk")
    secrets = WebhookSecrets(hmac_secret="dGhpc19zZWNyZXRfaXNfZm9yX3Rlc3Rpbmdfb25seQ==")
    signed_at = datetime(2026, 12, 4, 10, 0, 1, tzinfo=UTC).timestamp()
    verified = verify_delivery(event, spec.signature, secrets, now=signed_at + 5)
    assert isinstance(verified, Verified)
    assert spec.read_delivery(verified.payload, headers(event)).entity_id == "35436"
    later = verify_delivery(event, spec.signature, secrets, now=signed_at + 3600)
    assert isinstance(later, Rejected)
    assert later.reason is RejectReason.STALE_TIMESTAMP
