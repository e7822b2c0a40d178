from __future__ import annotations

import base64

import pytest
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import ec

from mlconnector.webhooks import verify_rsa
from mlconnector.webhooks.rsa_signature import rsa_signed_form
from sandbox.commerce.webhooks import KeyPair, rsa_signature
from tests.unit.webhooks.webhook_fixtures import order_body


def test_accepts_the_simulator_signature_over_base64_of_the_body(keys: KeyPair) -> None:
    body = order_body()
    signature = rsa_signature(body, keys.private_pem)
    assert verify_rsa(body, signature, keys.public_pem)
    assert rsa_signed_form(body, signature, keys.public_pem) == "base64-body"


def test_raw_body_form_is_only_a_reported_fallback(keys: KeyPair) -> None:
    body = order_body()
    signature = rsa_signature(body, keys.private_pem, sign_raw_body=True)
    assert not verify_rsa(body, signature, keys.public_pem)
    assert rsa_signed_form(body, signature, keys.public_pem) == "raw-body"
    assert rsa_signed_form(body, signature, keys.public_pem, allow_raw_body=False) is None


def test_refuses_another_key_and_a_tampered_body(keys: KeyPair, other_keys: KeyPair) -> None:
    body = order_body()
    signature = rsa_signature(body, keys.private_pem)
    assert not verify_rsa(body, signature, other_keys.public_pem)
    assert not verify_rsa(order_body(status="canceled"), signature, keys.public_pem)
    assert rsa_signed_form(order_body(status="canceled"), signature, keys.public_pem) is None


@pytest.mark.parametrize("garbage", ["", "not base64!", base64.b64encode(b"short").decode()])
def test_malformed_signatures_are_refused(keys: KeyPair, garbage: str) -> None:
    assert not verify_rsa(order_body(), garbage, keys.public_pem)


def test_a_key_that_is_not_rsa_pem_is_a_configuration_error(keys: KeyPair) -> None:
    body = order_body()
    signature = rsa_signature(body, keys.private_pem)
    with pytest.raises(ValueError, match="not a PEM public key"):
        verify_rsa(body, signature, "-----BEGIN PUBLIC KEY-----\nnope\n-----END PUBLIC KEY-----\n")
    ec_pem = (
        ec.generate_private_key(ec.SECP256R1())
        .public_key()
        .public_bytes(serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo)
        .decode()
    )
    with pytest.raises(ValueError, match="not an RSA key"):
        verify_rsa(body, signature, ec_pem)
