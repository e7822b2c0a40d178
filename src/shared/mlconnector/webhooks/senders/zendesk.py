"""Zendesk as a webhook sender (reference §7, verified §3.3): event-subscription or trigger webhooks signed with
base64(HMAC-SHA256(signing secret, timestamp + raw body)) in `X-Zendesk-Webhook-Signature`, the timestamp in
`X-Zendesk-Webhook-Signature-Timestamp` (refused when older than five minutes), deduplicated by
`X-Zendesk-Webhook-Invocation-Id` (`zendesk_delivery`). Tickets are posted through the intacct-zendesk tickets
stream (`zendesk_posting`, loaded only by the processor and the re-drive).

The secret `ml-connector/<stack>/<connection>/zendesk-webhook` holds `hmac_secret` (the webhook's signing secret)
and optional `settings`; `{"settings": {"hmac_message": "body+timestamp"}}` accepts the order an older copy of
Zendesk's doc describes (a delivery signed in the other order is refused with a log line saying so).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from mlconnector.webhooks.config import WebhookConfig
from mlconnector.webhooks.spec import WebhookSpec
from mlconnector.webhooks.zendesk_delivery import TICKET, read_delivery

if TYPE_CHECKING:
    from mlconnector.webhooks.spec import Posting

SIGNATURE_HEADER = "x-zendesk-webhook-signature"
TIMESTAMP_HEADER = "x-zendesk-webhook-signature-timestamp"


def _posting() -> Posting:
    from mlconnector.webhooks.senders.zendesk_posting import POSTING  # noqa: PLC0415 - the flow, only when posting

    return POSTING


SPEC = WebhookSpec(
    system="zendesk",
    integration="intacct-zendesk",
    read_delivery=read_delivery,
    processed_types=frozenset({TICKET}),
    posting=_posting,
    signature=WebhookConfig(
        schemes=("hmac",),
        hmac_header=SIGNATURE_HEADER,
        hmac_encoding="base64",
        hmac_message="timestamp+body",
        timestamp_header=TIMESTAMP_HEADER,
        require_timestamp=True,
    ),
    secret_system="zendesk-webhook",  # noqa: S106 - a secret name's system part
)
