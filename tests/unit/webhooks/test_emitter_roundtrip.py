"""The simulator's emitter posts over loopback; what arrives, shaped as API Gateway would, must verify."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from mlconnector.webhooks import Verified, WebhookConfig, WebhookSecrets, parse_delivery, verify_delivery
from sandbox.commerce import CommerceSimulator
from sandbox.commerce.webhooks import KeyPair
from tests.loopback_posts import collect_posts
from tests.unit.webhooks.webhook_fixtures import HMAC_SECRET, http_api_event

Received = list[tuple[dict[str, str], bytes]]


@pytest.fixture
def receiver() -> Iterator[tuple[str, Received]]:
    with collect_posts() as collected:
        yield collected


@pytest.mark.parametrize("base64_encoded", [False, True])
def test_emitted_deliveries_verify_under_both_schemes(
    receiver: tuple[str, Received], keys: KeyPair, other_keys: KeyPair, base64_encoded: bool
) -> None:
    url, received = receiver
    sim = CommerceSimulator(size=3)
    order = sim.orders[min(sim.orders)]
    sim.webhooks.deliver(url, "observer.sales_order_save_after", order, private_key=keys.private_pem,
                         secret=HMAC_SECRET, hmac_header="X-Connector-Signature")  # fmt: skip
    headers, body = received[0]
    event = http_api_event(body, headers, base64_encoded=base64_encoded)
    config = WebhookConfig(schemes=("rsa", "hmac"), hmac_header="x-connector-signature")
    secrets = WebhookSecrets(hmac_secret=HMAC_SECRET, public_key_pem=keys.public_pem)

    result = verify_delivery(event, config, secrets, now=0.0)
    assert isinstance(result, Verified)
    delivery = parse_delivery(result.payload)
    assert (delivery.entity_type, delivery.entity_id) == ("order", str(order["entity_id"]))

    rotated = WebhookSecrets(hmac_secret=HMAC_SECRET, public_key_pem=other_keys.public_pem)
    assert not isinstance(verify_delivery(event, config, rotated, now=0.0), Verified)
