from __future__ import annotations

import hashlib
import hmac
import json
from dataclasses import replace
from datetime import UTC, datetime
from typing import Any
from unittest import mock

import pytest

from mlconnector.webhooks import (
    Rejected,
    RejectReason,
    Verified,
    WebhookConfig,
    WebhookConfigError,
    WebhookSecrets,
    verify_delivery,
)
from sandbox.commerce.webhooks import SIGNATURE_HEADER, KeyPair, hmac_signature, rsa_signature
from tests.unit.webhooks.webhook_fixtures import HMAC_SECRET, ORDER, http_api_event, order_body

NOW = 1_790_000_000.0
RSA = WebhookConfig()
HMAC = WebhookConfig(schemes=("hmac",), hmac_header="X-Connector-Signature")


@pytest.fixture
def secrets(keys: KeyPair) -> WebhookSecrets:
    return WebhookSecrets(hmac_secret=HMAC_SECRET, public_key_pem=keys.public_pem)


def rsa_event(keys: KeyPair, body: bytes, *, signed: bytes | None = None, **options: Any) -> dict[str, Any]:
    return http_api_event(body, {SIGNATURE_HEADER: rsa_signature(signed or body, keys.private_pem)}, **options)


def hmac_event(body: bytes, *, secret: str = HMAC_SECRET, extra: dict[str, str] | None = None) -> dict[str, Any]:
    return http_api_event(body, {"X-Connector-Signature": hmac_signature(body, secret), **(extra or {})})


def rejected(result: Verified | Rejected, reason: RejectReason) -> Rejected:
    assert isinstance(result, Rejected), result
    assert result.reason is reason, result
    return result


def test_valid_rsa_delivery_is_verified_with_its_payload(keys: KeyPair, secrets: WebhookSecrets) -> None:
    body = order_body()
    result = verify_delivery(rsa_event(keys, body), RSA, secrets, now=NOW)
    assert isinstance(result, Verified)
    assert result.payload == json.loads(body)
    assert result.payload["data"]["order"]["entity_id"] == ORDER["entity_id"]
    assert result.schemes == ("rsa",)
    assert result.rsa_signed_form == "base64-body"
    assert result.timestamp is None


def test_raw_body_rsa_signature_is_accepted_and_reported_unless_switched_off(
    keys: KeyPair, secrets: WebhookSecrets
) -> None:
    body = order_body()
    event = http_api_event(body, {SIGNATURE_HEADER: rsa_signature(body, keys.private_pem, sign_raw_body=True)})
    result = verify_delivery(event, RSA, secrets, now=NOW)
    assert isinstance(result, Verified)
    assert result.rsa_signed_form == "raw-body"
    strict = replace(RSA, rsa_accept_raw_body=False)
    rejected(verify_delivery(event, strict, secrets, now=NOW), RejectReason.BAD_SIGNATURE)


def test_valid_hmac_delivery_in_a_configured_header(secrets: WebhookSecrets) -> None:
    result = verify_delivery(hmac_event(order_body()), HMAC, secrets, now=NOW)
    assert isinstance(result, Verified)
    assert result.schemes == ("hmac",)
    assert result.rsa_signed_form is None


def test_hex_hmac_when_configured(secrets: WebhookSecrets) -> None:
    body = order_body()
    event = http_api_event(
        body, {"x-adobe-signature": hmac.new(HMAC_SECRET.encode(), body, hashlib.sha256).hexdigest()}
    )
    config = WebhookConfig(schemes=("hmac",), hmac_encoding="hex")
    assert isinstance(verify_delivery(event, config, secrets, now=NOW), Verified)
    rejected(verify_delivery(event, WebhookConfig(schemes=("hmac",)), secrets, now=NOW), RejectReason.BAD_SIGNATURE)


def test_header_names_match_whatever_their_case(keys: KeyPair, secrets: WebhookSecrets) -> None:
    body = order_body()
    event = {
        "body": body.decode(),
        "isBase64Encoded": False,
        "headers": {"X-Adobe-Commerce-Webhook-Signature": rsa_signature(body, keys.private_pem)},
    }
    assert isinstance(verify_delivery(event, RSA, secrets, now=NOW), Verified)
    upper = replace(HMAC, hmac_header="X-CONNECTOR-SIGNATURE")
    assert isinstance(verify_delivery(hmac_event(body), upper, secrets, now=NOW), Verified)


def test_base64_flagged_body_is_verified_over_the_decoded_bytes(keys: KeyPair, secrets: WebhookSecrets) -> None:
    body = order_body(customer_firstname="Zoë")
    event = rsa_event(keys, body, base64_encoded=True)
    result = verify_delivery(event, RSA, secrets, now=NOW)
    assert isinstance(result, Verified)
    assert result.payload["data"]["order"]["customer_firstname"] == "Zoë"
    event["isBase64Encoded"] = False  # the same text, not decoded, is not what was signed
    strict = replace(RSA, rsa_accept_raw_body=False)
    rejected(verify_delivery(event, strict, secrets, now=NOW), RejectReason.BAD_SIGNATURE)
    # With the raw-body fallback the base64 text does "verify" (it is exactly the bytes signed), but base64 text
    # is never a JSON object, so nothing from it is processed.
    rejected(verify_delivery(event, RSA, secrets, now=NOW), RejectReason.UNPARSABLE_BODY)


def test_wrong_key_wrong_secret_and_tampered_body_are_bad_signatures(
    keys: KeyPair, other_keys: KeyPair, secrets: WebhookSecrets
) -> None:
    body = order_body()
    forged = http_api_event(body, {SIGNATURE_HEADER: rsa_signature(body, other_keys.private_pem)})
    rejected(verify_delivery(forged, RSA, secrets, now=NOW), RejectReason.BAD_SIGNATURE)
    tampered = rsa_event(keys, order_body(grand_total=0), signed=body)
    rejected(verify_delivery(tampered, RSA, secrets, now=NOW), RejectReason.BAD_SIGNATURE)
    wrong_secret = hmac_event(body, secret="guessed-secret")
    result = rejected(verify_delivery(wrong_secret, HMAC, secrets, now=NOW), RejectReason.BAD_SIGNATURE)
    assert result.http_status == 401


def test_missing_signature_header(keys: KeyPair, secrets: WebhookSecrets) -> None:
    body = order_body()
    result = rejected(verify_delivery(http_api_event(body, {}), RSA, secrets, now=NOW), RejectReason.MISSING_SIGNATURE)
    assert SIGNATURE_HEADER in result.detail
    assert result.http_status == 401
    hmac_only = hmac_event(body)
    rejected(verify_delivery(hmac_only, RSA, secrets, now=NOW), RejectReason.MISSING_SIGNATURE)


def test_every_configured_scheme_must_verify(keys: KeyPair, secrets: WebhookSecrets) -> None:
    both = replace(HMAC, schemes=("rsa", "hmac"))
    body = order_body()
    signature = rsa_signature(body, keys.private_pem)
    good = hmac_event(body, extra={SIGNATURE_HEADER: signature})
    result = verify_delivery(good, both, secrets, now=NOW)
    assert isinstance(result, Verified)
    assert result.schemes == ("rsa", "hmac")
    rejected(verify_delivery(rsa_event(keys, body), both, secrets, now=NOW), RejectReason.MISSING_SIGNATURE)
    bad_hmac = hmac_event(body, secret="guessed-secret", extra={SIGNATURE_HEADER: signature})
    rejected(verify_delivery(bad_hmac, both, secrets, now=NOW), RejectReason.BAD_SIGNATURE)


def test_nothing_is_parsed_before_the_signature_verifies(keys: KeyPair, other_keys: KeyPair) -> None:
    secrets = WebhookSecrets(public_key_pem=keys.public_pem)
    event = http_api_event(b"not json", {SIGNATURE_HEADER: rsa_signature(b"not json", other_keys.private_pem)})
    with mock.patch("json.loads", wraps=json.loads) as loads:
        rejected(verify_delivery(event, RSA, secrets, now=NOW), RejectReason.BAD_SIGNATURE)
    loads.assert_not_called()


@pytest.mark.parametrize("body", [b"not json", b"[1, 2]", b"\xff\xfe", b"[" * 100_000])
def test_signed_body_that_is_not_a_json_object_is_unparsable(
    keys: KeyPair, secrets: WebhookSecrets, body: bytes
) -> None:
    result = verify_delivery(rsa_event(keys, body, base64_encoded=True), RSA, secrets, now=NOW)
    assert rejected(result, RejectReason.UNPARSABLE_BODY).http_status == 400


def test_body_flagged_base64_that_does_not_decode_is_unparsable(keys: KeyPair, secrets: WebhookSecrets) -> None:
    event = {"body": "%%%", "isBase64Encoded": True, "headers": {SIGNATURE_HEADER: "c2ln"}}
    rejected(verify_delivery(event, RSA, secrets, now=NOW), RejectReason.UNPARSABLE_BODY)


def test_stale_or_future_header_timestamp_is_rejected(secrets: WebhookSecrets) -> None:
    config = replace(HMAC, timestamp_header="X-Webhook-Timestamp", max_age_seconds=300, clock_skew_seconds=30)
    body = order_body()

    def at(stamp: float) -> Verified | Rejected:
        return verify_delivery(
            hmac_event(body, extra={"x-webhook-timestamp": str(int(stamp))}), config, secrets, now=NOW
        )

    fresh = at(NOW - 200)
    assert isinstance(fresh, Verified)
    assert fresh.timestamp == NOW - 200
    stale = rejected(at(NOW - 331), RejectReason.STALE_TIMESTAMP)
    assert stale.http_status == 401
    assert "X-Webhook-Timestamp" in stale.detail
    future = rejected(at(NOW + 31), RejectReason.STALE_TIMESTAMP)
    assert "future" in future.detail
    absent = verify_delivery(hmac_event(body), config, secrets, now=NOW)
    assert isinstance(absent, Verified)
    assert absent.timestamp is None


def test_signed_body_timestamp_field(keys: KeyPair, secrets: WebhookSecrets) -> None:
    config = replace(RSA, timestamp_field="meta.time", require_timestamp=True)

    def with_time(value: object) -> Verified | Rejected:
        body = json.dumps({"eventName": "observer.sales_order_save_after", "meta": {"time": value}}).encode()
        return verify_delivery(rsa_event(keys, body), config, secrets, now=NOW)

    iso_now = datetime.fromtimestamp(NOW, UTC).isoformat()
    verified = with_time(iso_now)
    assert isinstance(verified, Verified)
    assert verified.timestamp == NOW
    assert isinstance(with_time(NOW - 300), Verified)
    rejected(with_time(NOW - 3600), RejectReason.STALE_TIMESTAMP)
    rejected(with_time("last tuesday"), RejectReason.BAD_TIMESTAMP)
    result = rejected(with_time(None), RejectReason.BAD_TIMESTAMP)
    assert result.http_status == 400


def test_reasons_and_reprs_never_carry_secrets_or_signature_values(
    keys: KeyPair, other_keys: KeyPair, secrets: WebhookSecrets
) -> None:
    body = order_body()
    good_rsa = rsa_signature(body, keys.private_pem)
    forged_rsa = rsa_signature(body, other_keys.private_pem)
    good_hmac = hmac_signature(body, HMAC_SECRET)
    both = WebhookConfig(schemes=("rsa", "hmac"), timestamp_header="x-ts")
    events = [
        http_api_event(body, {SIGNATURE_HEADER: forged_rsa, "x-adobe-signature": good_hmac}),
        http_api_event(body, {SIGNATURE_HEADER: good_rsa, "x-adobe-signature": hmac_signature(body, "x")}),
        http_api_event(body, {SIGNATURE_HEADER: good_rsa}),
        http_api_event(body, {SIGNATURE_HEADER: good_rsa, "x-adobe-signature": good_hmac, "x-ts": "1"}),
        http_api_event(body, {SIGNATURE_HEADER: good_rsa, "x-adobe-signature": good_hmac, "x-ts": HMAC_SECRET}),
    ]
    for event in events:
        result = verify_delivery(event, both, secrets, now=NOW)
        assert isinstance(result, Rejected)
        text = f"{result!r} {result.detail} {result.reason}"
        for value in (HMAC_SECRET, good_rsa, forged_rsa, good_hmac, keys.private_pem):
            assert value not in text
    assert HMAC_SECRET not in repr(secrets)


def test_missing_or_unusable_key_material_is_a_configuration_error(keys: KeyPair) -> None:
    event = rsa_event(keys, order_body())
    with pytest.raises(WebhookConfigError, match="public key"):
        verify_delivery(event, RSA, WebhookSecrets(hmac_secret=HMAC_SECRET), now=NOW)
    with pytest.raises(WebhookConfigError, match="HMAC secret"):
        verify_delivery(hmac_event(order_body()), HMAC, WebhookSecrets(public_key_pem=keys.public_pem), now=NOW)
    with pytest.raises(WebhookConfigError, match="PEM"):
        verify_delivery(event, RSA, WebhookSecrets(public_key_pem="not a key"), now=NOW)


@pytest.mark.parametrize(
    "options",
    [
        {"schemes": ()},
        {"schemes": ("rsa", "rsa")},
        {"schemes": ("md5",)},
        {"hmac_encoding": "base32"},
        {"max_age_seconds": 0},
        {"clock_skew_seconds": -1},
        {"require_timestamp": True},
    ],
)
def test_inconsistent_configs_are_refused(options: dict[str, Any]) -> None:
    with pytest.raises(WebhookConfigError):
        WebhookConfig(**options)
