"""The Adobe Commerce Webhooks signature (reference §7.1): header `x-adobe-commerce-webhook-signature` holds
base64(RSA-SHA256, PKCS#1 v1.5) made with the Commerce instance's private key; the receiver holds the PEM public
key from the Admin ("Regenerate key pair"). There is no shared secret.

What is signed is base64(raw body), per Adobe's verification sample. UNVERIFIED against the PHP signer: a
third-party test signs the raw body itself, so the raw body is accepted as a fallback (switchable in
`WebhookConfig`) and reported, so the handler can log which form matched. The fallback's one ambiguity: a
signature over base64(X) is also a raw-body signature for a body that *is* the text base64(X); such a body is never
a JSON object, so `verify_delivery` refuses it as unparsable.
"""

from __future__ import annotations

import binascii
from base64 import b64decode, b64encode
from functools import lru_cache
from typing import Literal

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import padding, rsa

SignedForm = Literal["base64-body", "raw-body"]


def verify_rsa(body: bytes, signature_b64: str, public_key_pem: str) -> bool:
    """True when the signature verifies over base64(body), the form Adobe's sample defines."""
    return rsa_signed_form(body, signature_b64, public_key_pem, allow_raw_body=False) is not None


def rsa_signed_form(
    body: bytes, signature_b64: str, public_key_pem: str, *, allow_raw_body: bool = True
) -> SignedForm | None:
    """Which form of the body the signature covers (base64(body) tried first), or None if neither verifies.

    Raises ValueError when `public_key_pem` is not an RSA public key: that is the connector's configuration, not
    the sender's fault."""
    key = load_public_key(public_key_pem)
    try:
        signature = b64decode(signature_b64.strip(), validate=True)
    except binascii.Error:
        return None
    if _verifies(key, signature, b64encode(body)):
        return "base64-body"
    if allow_raw_body and _verifies(key, signature, body):
        return "raw-body"
    return None


@lru_cache(maxsize=8)
def load_public_key(public_key_pem: str) -> rsa.RSAPublicKey:
    """The PEM public key, parsed once per warm Lambda container."""
    try:
        key = serialization.load_pem_public_key(public_key_pem.encode("ascii"))
    except (ValueError, UnicodeEncodeError):
        raise ValueError("the webhook public key is not a PEM public key") from None
    if not isinstance(key, rsa.RSAPublicKey):
        raise ValueError("the webhook public key is not an RSA key")
    return key


def _verifies(key: rsa.RSAPublicKey, signature: bytes, signed: bytes) -> bool:
    try:
        key.verify(signature, signed, padding.PKCS1v15(), hashes.SHA256())
    except InvalidSignature:
        return False
    return True
