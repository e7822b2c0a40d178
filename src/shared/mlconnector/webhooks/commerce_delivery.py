"""What the connector needs from a verified Adobe Commerce delivery: an id to deduplicate on and the entity it is
about. Two envelopes are read (reference §7):

- Adobe Commerce Webhooks: `{"eventName": "observer.sales_order_save_after", "data": {"order": {...}}}`. The sender
  gives no event id, so the id is derived: sha256 of event name + entity id + `updated_at`, which is the same for a
  redelivery and differs for the entity's next change. Hooks send only their configured fields; without
  `updated_at` the id is sha256 of event name + the entity's canonical JSON instead, so two different changes never
  collapse into one.
- Adobe I/O Events: `{"event_id": ..., "id": ..., "type": "com.adobe.commerce.observer...", "time": ...,
  "data": {"value": {...}}}`. The sender's `event_id` (else the CloudEvents `id`) is the id; which of the two stays
  stable across redeliveries is UNVERIFIED, so `event_id` is preferred.

The entity type comes from the event name (`sales_order_invoice_save_after` -> invoice), as Commerce names its data.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Mapping
from datetime import UTC, datetime
from typing import Any, Literal

from mlconnector.webhooks.delivery import Delivery, DeliveryError, Headers, claimed_entity
from mlconnector.webhooks.timestamps import parse_timestamp

__all__ = ["Delivery", "DeliveryError", "claimed_entity_id", "parse_delivery", "read_delivery"]

EntityType = Literal["order", "invoice", "creditmemo", "customer"]

_ENTITY_MARKERS: tuple[tuple[str, EntityType], ...] = (
    ("creditmemo", "creditmemo"),
    ("invoice", "invoice"),
    ("customer", "customer"),
    ("order", "order"),
)
_UNSUPPORTED_MARKERS = ("purchase_order", "address")  # would otherwise be read as an order or a customer
_ID_KEYS: Mapping[EntityType, tuple[str, ...]] = {
    "order": ("entity_id", "id"),
    "invoice": ("entity_id", "id"),
    "creditmemo": ("entity_id", "id"),
    "customer": ("id", "entity_id"),  # REST data objects say `id`, observer models `entity_id`
}


def parse_delivery(payload: Mapping[str, Any]) -> Delivery:
    """The delivery's id and the entity it claims. Raises DeliveryError naming what is missing or unusable."""
    if _is_io_event(payload):
        return _io_event(payload)
    return _commerce_webhook(payload)


def read_delivery(payload: Mapping[str, Any], headers: Headers) -> Delivery:
    """The spec's reader: Commerce says everything in the body (`headers` are not read)."""
    del headers
    return parse_delivery(payload)


def claimed_entity_id(body: bytes) -> str | None:
    """Best effort, for quarantining a rejected delivery: the entity id the (unverified) body claims, or None.

    Never raises, and returns only short ids of plain characters, so an attacker's body cannot inject into logs."""
    claimed = claimed_entity(read_delivery, body)
    return claimed[1] if claimed is not None else None


def _is_io_event(payload: Mapping[str, Any]) -> bool:
    data = payload.get("data")
    return "type" in payload and "eventName" not in payload and isinstance(data, Mapping) and "value" in data


def _io_event(payload: Mapping[str, Any]) -> Delivery:
    name = _text(payload.get("type"), "type")
    entity_type = _entity_type(name)
    entity = payload["data"]["value"]
    if not isinstance(entity, Mapping):
        raise DeliveryError("delivery has no object in data.value")
    entity_id = _entity_id(entity, entity_type, "data.value")
    event_id = _optional_text(payload, "event_id") or _optional_text(payload, "id")
    if event_id is None:
        raise DeliveryError("delivery has neither event_id nor id")
    occurred = payload.get("time")
    where = "time"
    if occurred is None:
        occurred, where = entity.get("updated_at"), "data.value.updated_at"
    return Delivery(event_id, "sender", name, entity_type, entity_id, _occurred_at(occurred, where))


def _commerce_webhook(payload: Mapping[str, Any]) -> Delivery:
    name = _text(payload.get("eventName"), "eventName")
    entity_type = _entity_type(name)
    data = payload.get("data")
    if not isinstance(data, Mapping):
        raise DeliveryError("delivery has no data object")
    entity, where = _webhook_entity(data, entity_type)
    entity_id = _entity_id(entity, entity_type, where)
    updated_at = entity.get("updated_at")
    if updated_at is not None:
        occurred_at = _occurred_at(updated_at, f"{where}.updated_at")
        digest = _sha256(name, entity_id, str(updated_at))
        return Delivery(digest, "updated_at", name, entity_type, entity_id, occurred_at)
    canonical = json.dumps(entity, sort_keys=True, separators=(",", ":"), ensure_ascii=False, default=str)
    return Delivery(_sha256(name, canonical), "content", name, entity_type, entity_id, None)


def _webhook_entity(data: Mapping[str, Any], entity_type: EntityType) -> tuple[Mapping[str, Any], str]:
    """`data.<type>` as Commerce sends it; failing that the only object in `data` (a hook with a custom data key)."""
    named = data.get(entity_type)
    if isinstance(named, Mapping):
        return named, f"data.{entity_type}"
    objects = [(key, value) for key, value in data.items() if isinstance(value, Mapping)]
    if len(objects) == 1:
        return objects[0][1], f"data.{objects[0][0]}"
    raise DeliveryError(f"delivery has no data.{entity_type} object")


def _entity_type(event_name: str) -> EntityType:
    lowered = event_name.lower()
    if any(marker in lowered for marker in _UNSUPPORTED_MARKERS):
        raise DeliveryError("delivery is about an entity the connector does not sync (purchase order or address)")
    for marker, entity_type in _ENTITY_MARKERS:
        if marker in lowered:
            return entity_type
    raise DeliveryError("delivery's event name names no order, invoice, creditmemo or customer")


def _entity_id(entity: Mapping[str, Any], entity_type: EntityType, where: str) -> str:
    for key in _ID_KEYS[entity_type]:
        value = entity.get(key)
        if isinstance(value, bool) or value is None:
            continue
        if isinstance(value, int) or (isinstance(value, str) and value.strip()):
            return str(value).strip()
    raise DeliveryError(f"delivery has no {where}.{_ID_KEYS[entity_type][0]}")


def _occurred_at(value: object, where: str) -> datetime | None:
    if value is None:
        return None
    try:
        return datetime.fromtimestamp(parse_timestamp(value), UTC)
    except ValueError:
        raise DeliveryError(f"delivery's {where} is not a timestamp") from None


def _text(value: object, where: str) -> str:
    if isinstance(value, str) and value.strip():
        return value.strip()
    raise DeliveryError(f"delivery has no {where}")


def _optional_text(payload: Mapping[str, Any], key: str) -> str | None:
    value = payload.get(key)
    return value.strip() if isinstance(value, str) and value.strip() else None


def _sha256(*parts: str) -> str:
    return hashlib.sha256("\n".join(parts).encode("utf-8")).hexdigest()
