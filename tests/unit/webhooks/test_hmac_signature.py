from __future__ import annotations

import hashlib
import hmac
from unittest import mock

import pytest

from mlconnector.webhooks import verify_hmac
from sandbox.commerce.webhooks import hmac_signature as simulator_hmac
from tests.unit.webhooks.webhook_fixtures import HMAC_SECRET, order_body


def test_accepts_the_simulator_signature() -> None:
    body = order_body()
    assert verify_hmac(body, simulator_hmac(body, HMAC_SECRET), HMAC_SECRET)


def test_accepts_hex_encoding() -> None:
    body = order_body()
    signature = hmac.new(HMAC_SECRET.encode(), body, hashlib.sha256).hexdigest()
    assert verify_hmac(body, signature, HMAC_SECRET, encoding="hex")
    assert not verify_hmac(body, signature, HMAC_SECRET)  # hex text is not the base64 form


def test_refuses_wrong_secret_and_tampered_body() -> None:
    body = order_body()
    signature = simulator_hmac(body, HMAC_SECRET)
    assert not verify_hmac(body, signature, HMAC_SECRET + "x")
    assert not verify_hmac(order_body(status="canceled"), signature, HMAC_SECRET)


@pytest.mark.parametrize("garbage", ["", "!!!", "c2ln", "zz"])
def test_undecodable_or_short_signatures_are_refused(garbage: str) -> None:
    assert not verify_hmac(order_body(), garbage, HMAC_SECRET)
    assert not verify_hmac(order_body(), garbage, HMAC_SECRET, encoding="hex")


def test_empty_secret_is_a_configuration_error() -> None:
    with pytest.raises(ValueError, match="empty"):
        verify_hmac(b"{}", "c2ln", "")


def test_comparison_is_constant_time() -> None:
    body = order_body()
    with mock.patch("hmac.compare_digest", wraps=hmac.compare_digest) as spy:
        assert verify_hmac(body, simulator_hmac(body, HMAC_SECRET), HMAC_SECRET)
    spy.assert_called_once()
    expected = hmac.new(HMAC_SECRET.encode(), body, hashlib.sha256).digest()
    assert expected in spy.call_args.args
