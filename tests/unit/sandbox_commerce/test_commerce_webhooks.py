"""Webhook deliveries: RSA-SHA256 over base64(body) verifiable with the public key; HMAC mode."""

from __future__ import annotations

import base64
import hashlib
import hmac
from collections.abc import Iterator

import pytest
from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import padding, rsa

from sandbox.commerce import CommerceSimulator, generate_key_pair
from sandbox.commerce.webhooks import SIGNATURE_HEADER
from tests.loopback_posts import collect_posts

Received = list[tuple[dict[str, str], bytes]]


@pytest.fixture
def receiver() -> Iterator[tuple[str, Received]]:
    with collect_posts(lower_names=True) as collected:
        yield collected


def _verify(public_pem: str, signature: str, signed: bytes) -> bool:
    key = serialization.load_pem_public_key(public_pem.encode())
    assert isinstance(key, rsa.RSAPublicKey)
    try:
        key.verify(base64.b64decode(signature), signed, padding.PKCS1v15(), hashes.SHA256())
    except InvalidSignature:
        return False
    return True


def test_rsa_signature_verifies_over_base64_of_body(receiver: tuple[str, Received]) -> None:
    url, received = receiver
    sim = CommerceSimulator(size=5)
    keys = generate_key_pair()
    assert keys.private_pem not in repr(keys)
    status = sim.webhooks.deliver(url, "observer.sales_order_save_after", sim.orders[1], private_key=keys.private_pem)
    assert status == 200
    headers, body = received[0]
    assert b'"eventName":"observer.sales_order_save_after"' in body
    assert b'"order":{"entity_id":1' in body
    assert _verify(keys.public_pem, headers[SIGNATURE_HEADER], base64.b64encode(body))
    assert not _verify(keys.public_pem, headers[SIGNATURE_HEADER], body)
    assert not _verify(generate_key_pair().public_pem, headers[SIGNATURE_HEADER], base64.b64encode(body))


def test_hmac_mode_with_configurable_header(receiver: tuple[str, Received]) -> None:
    url, received = receiver
    sim = CommerceSimulator(size=5)
    sim.webhooks.deliver(url, "observer.sales_order_invoice_save_after", sim.invoices[min(sim.invoices)],
                         secret="s3cret", hmac_header="X-Connector-Signature")  # fmt: skip
    headers, body = received[0]
    expected = base64.b64encode(hmac.new(b"s3cret", body, hashlib.sha256).digest()).decode()
    assert hmac.compare_digest(headers["x-connector-signature"], expected)
    assert b'"invoice":' in body
    assert SIGNATURE_HEADER not in headers


def test_only_loopback_targets() -> None:
    with pytest.raises(ValueError, match="loopback"):
        CommerceSimulator(size=2).webhooks.deliver("http://example.com/hook", "observer.x", {})
