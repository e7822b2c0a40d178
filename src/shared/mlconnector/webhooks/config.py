"""What a webhook route accepts: which signature schemes, in which headers, and how old a delivery may be."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Literal, get_args

from mlconnector.webhooks.hmac_signature import SignatureEncoding

Scheme = Literal["rsa", "hmac"]
"""`rsa`: Adobe Commerce Webhooks public-key signature (reference §7.1). `hmac`: HMAC-SHA256 with a shared secret."""
HmacMessage = Literal["body", "timestamp+body", "body+timestamp"]
"""What the HMAC covers: the raw body, or the timestamp header's value then the raw body (Zendesk's current doc), or
the body then the timestamp (an older copy of Zendesk's doc, whose test vector matches that order: verified §3.3)."""

COMMERCE_SIGNATURE_HEADER = "x-adobe-commerce-webhook-signature"
LEGACY_HMAC_HEADER = "x-adobe-signature"


class WebhookConfigError(ValueError):
    """The connector's own settings are wrong (a deployment problem, never the sender's)."""


@dataclass(frozen=True)
class WebhookConfig:
    """A sender's signature strategy. Every scheme in `schemes` must verify: configuring two never lets a sender
    pick the weaker one. The defaults are Adobe Commerce's; a sender's spec sets its own.

    Timestamps: Adobe Commerce Webhooks send none (reference §7.1), so both sources are off by default. A
    `timestamp_field` (dotted path in the JSON body, e.g. `time` for I/O Events envelopes) is covered by the
    signature. A `timestamp_header` is signed only when `hmac_message` is `timestamp+body` (Zendesk); otherwise
    it only stops honest late redeliveries, and replays are stopped by deduplicating on the delivery id."""

    schemes: tuple[Scheme, ...] = ("rsa",)
    rsa_header: str = COMMERCE_SIGNATURE_HEADER
    rsa_accept_raw_body: bool = True
    """Also accept an RSA signature over the raw body (UNVERIFIED signer detail, see rsa_signature)."""
    hmac_header: str = LEGACY_HMAC_HEADER
    hmac_encoding: SignatureEncoding = "base64"
    hmac_message: HmacMessage = "body"
    timestamp_header: str | None = None
    timestamp_field: str | None = None
    require_timestamp: bool = False
    max_age_seconds: int = 300
    clock_skew_seconds: int = 60

    def __post_init__(self) -> None:
        if not self.schemes:
            raise WebhookConfigError("at least one signature scheme is required")
        unknown = set(self.schemes) - set(get_args(Scheme))
        if unknown:
            raise WebhookConfigError(f"unknown signature schemes: {sorted(unknown)}")
        if len(set(self.schemes)) != len(self.schemes):
            raise WebhookConfigError("a signature scheme is listed twice")
        if self.hmac_encoding not in get_args(SignatureEncoding):
            raise WebhookConfigError(f"unknown HMAC encoding: {self.hmac_encoding!r}")
        if self.hmac_message not in get_args(HmacMessage):
            raise WebhookConfigError(f"unknown HMAC message: {self.hmac_message!r}")
        if self.hmac_message != "body" and not self.timestamp_header:
            raise WebhookConfigError(f"an HMAC over {self.hmac_message} needs a timestamp_header")
        if self.max_age_seconds <= 0 or self.clock_skew_seconds < 0:
            raise WebhookConfigError("max_age_seconds must be > 0 and clock_skew_seconds >= 0")
        if self.require_timestamp and not (self.timestamp_header or self.timestamp_field):
            raise WebhookConfigError("require_timestamp needs a timestamp_header or timestamp_field")


@dataclass(frozen=True)
class WebhookSecrets:
    """Key material, as the handler read it from Secrets Manager. The HMAC secret never shows in a repr."""

    hmac_secret: str | None = field(default=None, repr=False)
    public_key_pem: str | None = None

    def require_for(self, schemes: tuple[Scheme, ...]) -> None:
        if "hmac" in schemes and not self.hmac_secret:
            raise WebhookConfigError("the hmac scheme is configured but no HMAC secret was provided")
        if "rsa" in schemes and not self.public_key_pem:
            raise WebhookConfigError("the rsa scheme is configured but no public key was provided")
