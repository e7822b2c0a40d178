"""What the verifier puts on the SQS queue for the processor: the delivery's claim (connection, sender, entity,
event id), never its body."""

from __future__ import annotations

import json
import os
from collections.abc import Mapping
from dataclasses import asdict, dataclass
from typing import Any

import boto3

from mlconnector.config import ConfigurationError, check_connection_name

QUEUE_URL_VARIABLE = "MLC_WEBHOOK_QUEUE_URL"
UNNAMED_SENDER = "commerce"
"""The sender of a message that names none: one enqueued before the route took a `{system}`, when Commerce was the
only sender (it may still be on the queue, or in its DLQ, across the deploy that brought the system field)."""
_FIELDS = ("connection", "entity_type", "entity_id", "event_id", "system")


class MessageError(ValueError):
    """A queue message is not what the verifier sends (never retried: it would fail the same way)."""


@dataclass(frozen=True)
class QueueMessage:
    """What the verifier enqueues: the delivery's claim, never its body (the processor fetches the truth)."""

    connection: str
    entity_type: str
    entity_id: str
    event_id: str
    system: str
    """The sender (registry name), which decides how the processor posts the delivery."""

    def to_json(self) -> str:
        return json.dumps(asdict(self), sort_keys=True)

    @classmethod
    def from_json(cls, text: str) -> QueueMessage:
        try:
            data = json.loads(text)
            data = {"system": UNNAMED_SENDER, **data}
            message = cls(**{k: str(data[k]) for k in _FIELDS})
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
