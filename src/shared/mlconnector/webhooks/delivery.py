"""What the connector keeps from a verified delivery, whoever sent it: an id to deduplicate on and the entity it
claims. Each sender's spec reads its own envelope into a `Delivery` (see spec.py); nothing else in the path reads
a body."""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import datetime
from typing import Any, Literal

IdSource = Literal["sender", "updated_at", "content"]
"""`sender`: the sender's own event id; otherwise what the connector derived the id from."""

Headers = Mapping[str, str]
"""The request's headers, names lower-cased (see gateway.headers)."""

DeliveryReader = Callable[[Mapping[str, Any], Headers], "Delivery"]
"""A sender's envelope, read: the verified JSON body and the headers in; a Delivery out, or DeliveryError."""

_SAFE_ID = re.compile(r"[A-Za-z0-9_.:-]{1,64}")


class DeliveryError(ValueError):
    """The delivery lacks something the connector needs; the message names it (never a value from it)."""


@dataclass(frozen=True)
class Delivery:
    event_id: str
    id_source: IdSource
    """`sender`: the sender's own event id; otherwise how the id was derived (see the sender's reader)."""
    event_name: str
    entity_type: str
    entity_id: str
    occurred_at: datetime | None
    """When the entity changed, UTC; None when the delivery does not say."""


def claimed_entity(read: DeliveryReader, body: bytes, headers: Headers | None = None) -> tuple[str, str] | None:
    """Best effort, for quarantining a rejected delivery: the (entity type, entity id) the unverified body claims,
    or None.

    Never raises, and returns only short ids of plain characters, so an attacker's body cannot inject into logs."""
    try:
        payload = json.loads(body)
        delivery = read(payload, headers or {}) if isinstance(payload, dict) else None
    except (ValueError, RecursionError, TypeError, AttributeError, KeyError):
        return None
    if delivery is None or not _SAFE_ID.fullmatch(delivery.entity_id):
        return None
    entity_type = delivery.entity_type if _SAFE_ID.fullmatch(delivery.entity_type) else "unknown"
    return entity_type, delivery.entity_id
