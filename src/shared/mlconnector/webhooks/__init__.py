"""Webhook verification and delivery parsing: pure functions the webhook handlers call before they touch AWS."""

from mlconnector.webhooks.commerce_delivery import Delivery, DeliveryError, claimed_entity_id, parse_delivery
from mlconnector.webhooks.config import Scheme, WebhookConfig, WebhookConfigError, WebhookSecrets
from mlconnector.webhooks.gateway import MalformedEventError, header, raw_body
from mlconnector.webhooks.hmac_signature import verify_hmac
from mlconnector.webhooks.rsa_signature import verify_rsa
from mlconnector.webhooks.verification import Rejected, RejectReason, Verified, verify_delivery

__all__ = [
    "Delivery",
    "DeliveryError",
    "MalformedEventError",
    "RejectReason",
    "Rejected",
    "Scheme",
    "Verified",
    "WebhookConfig",
    "WebhookConfigError",
    "WebhookSecrets",
    "claimed_entity_id",
    "header",
    "parse_delivery",
    "raw_body",
    "verify_delivery",
    "verify_hmac",
    "verify_rsa",
]
