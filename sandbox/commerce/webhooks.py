"""Webhook deliveries as Adobe Commerce Webhooks sends them (reference §7.1, §7.3).

RSA mode (what Commerce does): ``x-adobe-commerce-webhook-signature`` = base64(RSA-SHA256 PKCS#1 v1.5
over ``base64(raw body)``) — the signed bytes follow Adobe's verification sample (UNVERIFIED against
the PHP signer; ``sign_raw_body=True`` signs the raw body instead). HMAC mode (a shared secret; the
deprecated I/O Events style): base64(HMAC-SHA256(secret, raw body)) in a configurable header.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urlsplit

import requests
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import padding, rsa

SIGNATURE_HEADER = "x-adobe-commerce-webhook-signature"
HMAC_HEADER = "x-adobe-signature"
_LOOPBACK_HOSTS = frozenset({"127.0.0.1", "localhost", "::1"})
_DATA_KEYS = (("creditmemo", "creditmemo"), ("invoice", "invoice"), ("customer", "customer"), ("order", "order"))


@dataclass(frozen=True)
class KeyPair:
    """PEM texts; the private half never shows in a repr."""

    public_pem: str
    private_pem: str = field(repr=False)


def generate_key_pair(bits: int = 2048) -> KeyPair:
    """What "Regenerate key pair" in the Commerce Admin produces: the public PEM goes to the receiver."""
    key = rsa.generate_private_key(public_exponent=65537, key_size=bits)
    private = key.private_bytes(
        serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
    ).decode()
    public = (
        key.public_key()
        .public_bytes(serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo)
        .decode()
    )
    return KeyPair(public, private)


def rsa_signature(body: bytes, private_pem: str, *, sign_raw_body: bool = False) -> str:
    key = serialization.load_pem_private_key(private_pem.encode(), password=None)
    if not isinstance(key, rsa.RSAPrivateKey):
        raise ValueError("the webhook signing key must be an RSA private key")
    signed = body if sign_raw_body else base64.b64encode(body)
    return base64.b64encode(key.sign(signed, padding.PKCS1v15(), hashes.SHA256())).decode()


def hmac_signature(body: bytes, secret: str) -> str:
    return base64.b64encode(hmac.new(secret.encode(), body, hashlib.sha256).digest()).decode()


def data_key(event: str) -> str:
    """The ``data`` member an observer event carries its object in: ``sales_order_…`` -> ``order``."""
    lowered = event.lower()
    return next((key for marker, key in _DATA_KEYS if marker in lowered), "object")


def event_body(event: str, entity: Mapping[str, Any], key: str | None = None) -> bytes:
    """``{"eventName": "observer.sales_order_save_after", "data": {"order": {...}}}`` as sent."""
    payload = {"eventName": event, "data": {key or data_key(event): dict(entity)}}
    return json.dumps(payload, separators=(",", ":"), ensure_ascii=False).encode()


class WebhookEmitter:
    """``sim.webhooks``: POSTs events to a loopback URL and answers the receiver's HTTP status."""

    def __init__(self) -> None:
        self.sent: list[dict[str, Any]] = []  # what was delivered (event, url, status), for tests

    def deliver(
        self,
        url: str,
        event: str,
        entity: Mapping[str, Any],
        *,
        secret: str | None = None,
        private_key: str | None = None,
        hmac_header: str = HMAC_HEADER,
        sign_raw_body: bool = False,
        data_key: str | None = None,
        headers: Mapping[str, str] | None = None,
        body: bytes | None = None,
        timeout: float = 10.0,
    ) -> int:
        """Send one event. ``body`` overrides the built body (e.g. to forge a signature mismatch)."""
        if urlsplit(url).hostname not in _LOOPBACK_HOSTS:
            raise ValueError("the sandbox only delivers webhooks to loopback URLs")
        raw = event_body(event, entity, data_key)
        sent_headers = {"Content-Type": "application/json", **(headers or {})}
        if private_key is not None:
            sent_headers[SIGNATURE_HEADER] = rsa_signature(raw, private_key, sign_raw_body=sign_raw_body)
        if secret is not None:
            sent_headers[hmac_header] = hmac_signature(raw, secret)
        response = requests.post(url, data=raw if body is None else body, headers=sent_headers, timeout=timeout)
        self.sent.append({"url": url, "event": event, "status": response.status_code})
        return response.status_code
