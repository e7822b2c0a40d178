"""What the verifier puts on the SQS queue for the processor: the delivery's claim (connection, entity, event id),
never its body."""

from __future__ import annotations

import json
import os
from collections.abc import Mapping
from dataclasses import asdict, dataclass
from typing import Any

import boto3

from mlconnector.config import ConfigurationError, check_connection_name

QUEUE_URL_VARIABLE = "MLC_WEBHOOK_QUEUE_URL"
PROCESSED_TYPES = frozenset({"order", "invoice"})
"""Entity types with a stream to post through; others are acknowledged and ignored. What an order or an invoice
posts depends on the connection's bills stream (posting bill_source): see processor.bill_sources."""


class MessageError(ValueError):
    """A queue message is not what the verifier sends (never retried: it would fail the same way)."""


@dataclass(frozen=True)
class QueueMessage:
    """What the verifier enqueues: the delivery's claim, never its body (the processor fetches the truth)."""

    connection: str
    entity_type: str
    entity_id: str
    event_id: str

    def to_json(self) -> str:
        return json.dumps(asdict(self), sort_keys=True)

    @classmethod
    def from_json(cls, text: str) -> QueueMessage:
        try:
            data = json.loads(text)
            message = cls(**{k: str(data[k]) for k in ("connection", "entity_type", "entity_id", "event_id")})
        except (ValueError, TypeError, KeyError):
            raise MessageError("the queue message is not a webhook delivery message") from None
        check_connection_name(message.connection)
        return message


def queue_url_from_env(env: Mapping[str, str] | None = None) -> str:
    url = (os.environ if env is None else env).get(QUEUE_URL_VARIABLE, "").strip()
    if not url:
        raise ConfigurationError(f"environment variable {QUEUE_URL_VARIABLE} is not set (template.yaml sets it)")
    return url


@dataclass
class DeliveryQueue:
    url: str
    client: Any = None

    def send(self, message: QueueMessage) -> str:
        if self.client is None:
            self.client = boto3.client("sqs")
        response = self.client.send_message(QueueUrl=self.url, MessageBody=message.to_json())
        return str(response["MessageId"])
