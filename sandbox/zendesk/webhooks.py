"""Webhook deliveries as Zendesk sends them for event-subscription webhooks (reference §7, verified §3.3).

Headers: ``X-Zendesk-Webhook-Signature`` = base64(HMAC-SHA256(secret, timestamp + raw body)) with the secret string
used as-is, ``X-Zendesk-Webhook-Signature-Timestamp`` (``2021-03-25T05:09:27Z``), ``X-Zendesk-Webhook-Id``,
``X-Zendesk-Webhook-Invocation-Id`` (unique per invocation) and ``X-Zendesk-Account-Id``. The body is the fixed
envelope of a ticket event: ids in ``detail`` are strings and status/priority/type upper case. ``signature_order``
"body_timestamp" signs as an older copy of the doc says (verified by its vector)."""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
import uuid
from collections.abc import Mapping
from datetime import datetime
from typing import Any
from urllib.parse import urlsplit

import requests

from sandbox.zendesk.config import TEST_SECRET, SignatureOrder
from sandbox.zendesk.values import Json, stamp

__all__ = ["TEST_SECRET", "WebhookEmitter", "signature", "ticket_event"]
SIGNATURE_HEADER = "X-Zendesk-Webhook-Signature"
TIMESTAMP_HEADER = "X-Zendesk-Webhook-Signature-Timestamp"
WEBHOOK_ID_HEADER = "X-Zendesk-Webhook-Id"
INVOCATION_HEADER = "X-Zendesk-Webhook-Invocation-Id"
ACCOUNT_HEADER = "X-Zendesk-Account-Id"
EVENT_VERSION = "2022-11-06"
_LOOPBACK_HOSTS = frozenset({"127.0.0.1", "localhost", "::1"})
# A change of one of these fields is this event (SECONDARY names, reference §7.3).
CHANGE_EVENTS = {
    "status": "ticket.status_changed",
    "priority": "ticket.priority_changed",
    "subject": "ticket.subject_changed",
    "organization_id": "ticket.organization_changed",
    "tags": "ticket.tags_changed",
    "assignee_id": "ticket.agent_assignment_changed",
    "group_id": "ticket.group_assignment_changed",
}
_ID_FIELDS = ("id", "assignee_id", "brand_id", "group_id", "organization_id", "requester_id", "submitter_id")


def signature(secret: str, timestamp: str, body: bytes, order: SignatureOrder = "timestamp_body") -> str:
    message = timestamp.encode() + body if order == "timestamp_body" else body + timestamp.encode()
    return base64.b64encode(hmac.new(secret.encode(), message, hashlib.sha256).digest()).decode()


def ticket_detail(ticket: Mapping[str, Any]) -> Json:
    """The REST ticket as an event's ``detail``: id fields as strings, enums upper case."""
    detail: Json = {
        key: ticket.get(key)
        for key in ("created_at", "description", "external_id", "subject", "tags", "updated_at", "via")
    }
    for key in _ID_FIELDS:
        value = ticket.get(key)
        detail[key] = None if value is None else str(value)
    for key in ("status", "priority", "type"):
        value = ticket.get(key)
        detail[key] = value.upper() if isinstance(value, str) else None
    detail["actor_id"] = detail["requester_id"]
    detail["is_public"] = True
    return detail


def change_events(before: Mapping[str, Any], after: Mapping[str, Any]) -> list[tuple[str, Json]]:
    """(event type, ``{"current", "previous"}``) for each watched field a change moved; enums upper case."""

    def shown(key: str, value: Any) -> Any:
        if key in ("status", "priority") and isinstance(value, str):
            return value.upper()
        return str(value) if key.endswith("_id") and value is not None else value

    return [
        (kind, {"current": shown(key, after.get(key)), "previous": shown(key, before.get(key))})
        for key, kind in CHANGE_EVENTS.items()
        if before.get(key) != after.get(key)
    ]


def ticket_event(
    account_id: int, ticket: Mapping[str, Any], event_type: str, moment: datetime, event: Mapping[str, Any] | None
) -> Json:
    """``{"account_id", "id", "time", "type": "zen:event-type:ticket.created", "subject": "zen:ticket:<id>", ...}``."""
    kind = event_type if event_type.startswith("zen:event-type:") else f"zen:event-type:{event_type}"
    return {
        "account_id": account_id,
        "id": str(uuid.uuid4()),
        "time": moment.strftime("%Y-%m-%dT%H:%M:%S.%f000Z"),
        "type": kind,
        "zendesk_event_version": EVENT_VERSION,
        "subject": f"zen:ticket:{ticket['id']}",
        "detail": ticket_detail(ticket),
        "event": dict(event or {}),
    }


class WebhookEmitter:
    """``sim.webhooks``: POSTs signed deliveries to a loopback URL and answers the receiver's HTTP status."""

    def __init__(self, account_id: int, webhook_id: str) -> None:
        self.account_id = account_id
        self.webhook_id = webhook_id
        self.sent: list[Json] = []  # url, event type, invocation id, status (None: not delivered): for tests

    def deliver(
        self,
        url: str,
        payload: Mapping[str, Any],
        *,
        secret: str,
        moment: datetime,
        order: SignatureOrder = "timestamp_body",
        invocation_id: str | None = None,
        body: bytes | None = None,
        timeout: float = 12.0,
    ) -> int:
        """Send one delivery; ``body`` replaces the signed body on the wire (a tampered delivery)."""
        if urlsplit(url).hostname not in _LOOPBACK_HOSTS:
            raise ValueError("the sandbox only delivers webhooks to loopback URLs")
        raw = json.dumps(payload, separators=(",", ":"), ensure_ascii=False).encode()
        timestamp = stamp(moment)
        invocation = invocation_id or str(uuid.uuid4().int % 10**19)
        headers = {
            "Content-Type": "application/json; charset=utf-8",
            SIGNATURE_HEADER: signature(secret, timestamp, raw, order),
            TIMESTAMP_HEADER: timestamp,
            WEBHOOK_ID_HEADER: self.webhook_id,
            INVOCATION_HEADER: invocation,
            ACCOUNT_HEADER: str(self.account_id),
            "User-Agent": "Zendesk Webhook",
        }
        record: Json = {"url": url, "type": payload.get("type"), "invocation_id": invocation, "status": None}
        self.sent.append(record)
        response = requests.post(url, data=raw if body is None else body, headers=headers, timeout=timeout)
        record["status"] = response.status_code
        return response.status_code
