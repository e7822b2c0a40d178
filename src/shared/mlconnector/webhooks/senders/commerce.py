"""Adobe Commerce as a webhook sender (reference §7): Adobe Commerce Webhooks or Adobe I/O Events envelopes
(`commerce_delivery`), signed with RSA-SHA256 by default (HMAC-SHA256 in `x-adobe-signature` when the secret's
settings choose it); orders and invoices are posted through the commerce-intacct bills stream
(`commerce_posting`, loaded only by the processor and the re-drive)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from mlconnector.webhooks.commerce_delivery import read_delivery
from mlconnector.webhooks.config import WebhookConfig
from mlconnector.webhooks.spec import WebhookSpec

if TYPE_CHECKING:
    from mlconnector.webhooks.spec import Posting


def _posting() -> Posting:
    from mlconnector.webhooks.senders.commerce_posting import POSTING  # noqa: PLC0415 - the flow, only when posting

    return POSTING


SPEC = WebhookSpec(
    system="commerce",
    integration="commerce-intacct",
    read_delivery=read_delivery,
    processed_types=frozenset({"order", "invoice"}),
    posting=_posting,
    signature=WebhookConfig(),  # RSA in x-adobe-commerce-webhook-signature; no timestamp (Commerce sends none)
    secret_system="commerce-webhook",  # noqa: S106 - a secret name's system part
)
"""What an order or an invoice posts depends on the connection's bills stream (posting bill_source): see
commerce_posting.bill_sources."""
