"""What the connector needs from a verified Zendesk delivery (reference §7, verified §3.3): the invocation id to
deduplicate on and the ticket it is about.

- Event-subscription webhooks (`zen:event-type:ticket.*`): `{"type": "zen:event-type:ticket.status_changed",
  "subject": "zen:ticket:35436", "time": ..., "detail": {"id": "35436", ...}}`.
- Trigger and automation webhooks post a body the admin writes; the connector reads a `ticket_id` (or
  `ticket.id`) field, so a trigger body `{"ticket_id": "{{ticket.id}}"}` works.

The id is the `X-Zendesk-Webhook-Invocation-Id` header (one per invocation, kept across Zendesk's retries); a
delivery without it is refused as unusable. The ticket itself is fetched from Zendesk by the processor.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import UTC, datetime
from typing import Any

from mlconnector.webhooks.delivery import Delivery, DeliveryError, Headers
from mlconnector.webhooks.timestamps import parse_timestamp

INVOCATION_HEADER = "x-zendesk-webhook-invocation-id"
TICKET_SUBJECT = "zen:ticket:"
TICKET = "ticket"


def read_delivery(payload: Mapping[str, Any], headers: Headers) -> Delivery:
    """The spec's reader. Raises DeliveryError naming what is missing."""
    invocation = headers.get(INVOCATION_HEADER, "").strip()
    if not invocation:
        raise DeliveryError(f"delivery has no {INVOCATION_HEADER} header")
    kind = payload.get("type")
    name = str(kind) if isinstance(kind, str) and kind else "trigger"
    entity_type = TICKET if _is_ticket(payload, name) else name.removeprefix("zen:event-type:").split(".")[0]
    return Delivery(
        event_id=invocation,
        id_source="sender",
        event_name=name,
        entity_type=entity_type,
        entity_id=_ticket_id(payload) if entity_type == TICKET else _subject_id(payload),
        occurred_at=_time(payload.get("time")),
    )


def _is_ticket(payload: Mapping[str, Any], name: str) -> bool:
    subject = payload.get("subject")
    if isinstance(subject, str) and subject.startswith(TICKET_SUBJECT):
        return True
    if name.startswith("zen:event-type:"):
        return name.removeprefix("zen:event-type:").startswith("ticket.")
    return "ticket_id" in payload or isinstance(payload.get("ticket"), Mapping)


def _ticket_id(payload: Mapping[str, Any]) -> str:
    subject = payload.get("subject")
    detail = payload.get("detail")
    ticket = payload.get("ticket")
    candidates = (
        subject.removeprefix(TICKET_SUBJECT)
        if isinstance(subject, str) and subject.startswith(TICKET_SUBJECT)
        else None,
        detail.get("id") if isinstance(detail, Mapping) else None,
        payload.get("ticket_id"),
        ticket.get("id") if isinstance(ticket, Mapping) else None,
    )
    for value in candidates:
        text = str(value).strip() if value is not None and not isinstance(value, bool) else ""
        if text.isdigit() and int(text) > 0:
            return text
    raise DeliveryError("delivery names no ticket id (subject zen:ticket:<id>, detail.id or ticket_id)")


def _subject_id(payload: Mapping[str, Any]) -> str:
    subject = payload.get("subject")
    return str(subject).rsplit(":", 1)[-1] if isinstance(subject, str) and subject else "unknown"


def _time(value: object) -> datetime | None:
    try:
        return datetime.fromtimestamp(parse_timestamp(value), UTC) if value is not None else None
    except ValueError:
        return None
