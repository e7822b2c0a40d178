"""HMAC-SHA256 over the raw body with a shared secret (reference §7.2 legacy `x-adobe-signature`, §7.3 item 3)."""

from __future__ import annotations

import binascii
import hashlib
import hmac
from base64 import b64decode
from typing import Literal

SignatureEncoding = Literal["base64", "hex"]


def verify_hmac(
    body: bytes, signature_header_value: str, secret: str, *, encoding: SignatureEncoding = "base64"
) -> bool:
    """True when `signature_header_value` is HMAC-SHA256(secret, body) in `encoding`.

    The header is decoded to bytes and compared with `hmac.compare_digest`, so the comparison takes the same time
    wherever the first wrong byte is. A header that does not decode is simply a bad signature."""
    if not secret:
        raise ValueError("the HMAC secret is empty")
    presented = _decode(signature_header_value.strip(), encoding)
    if presented is None:
        return False
    expected = hmac.new(secret.encode("utf-8"), body, hashlib.sha256).digest()
    return hmac.compare_digest(expected, presented)


def _decode(value: str, encoding: SignatureEncoding) -> bytes | None:
    try:
        if encoding == "hex":
            return bytes.fromhex(value)
        return b64decode(value, validate=True)
    except (ValueError, binascii.Error):
        return None
