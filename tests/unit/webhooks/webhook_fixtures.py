"""Webhook test material: API Gateway HTTP API events around bodies signed by the Commerce simulator's own signer."""

from __future__ import annotations

import base64
from typing import Any

from sandbox.commerce.webhooks import event_body

HMAC_SECRET = "hmac-shared-secret-9f2c"  # a value no header name, reason or detail could contain by accident
ORDER = {"entity_id": 42, "increment_id": "000000042", "updated_at": "2025-11-04 00:00:49", "status": "pending"}


def order_body(**changes: Any) -> bytes:
    return event_body("observer.sales_order_save_after", {**ORDER, **changes})


def http_api_event(body: bytes | None, headers: dict[str, str], *, base64_encoded: bool = False) -> dict[str, Any]:
    """A payload-format-2.0 event as API Gateway builds it: lower-cased header names, text or base64 body."""
    event: dict[str, Any] = {
        "version": "2.0",
        "routeKey": "POST /webhooks/{system}/{connection}",
        "rawPath": "/webhooks/commerce/acme",
        "headers": {name.lower(): value for name, value in headers.items()},
        "isBase64Encoded": base64_encoded,
        "requestContext": {"http": {"method": "POST"}},
    }
    if body is not None:
        event["body"] = base64.b64encode(body).decode() if base64_encoded else body.decode("utf-8")
    return event
