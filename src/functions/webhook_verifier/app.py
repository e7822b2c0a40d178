"""Webhook route POST /webhooks/{system}/{connection}: verify the signature over the raw body by the sender's spec,
deduplicate by event id, enqueue to SQS."""

from __future__ import annotations

from functools import cache
from typing import Any

from mlconnector.config import SecretReader, Settings
from mlconnector.engine.observability import logger, tracer
from mlconnector.webhooks.queue import DeliveryQueue, queue_url_from_env
from mlconnector.webhooks.verifier import Verifier


@cache
def _container() -> tuple[Settings, SecretReader, DeliveryQueue]:
    """Built once per warm container: each sender's webhook secret is kept for MLC_SECRET_CACHE_SECONDS, not read per
    delivery (a signature that stops verifying re-reads it sooner, see Verifier)."""
    settings = Settings.from_env()
    return settings, SecretReader.for_container(settings), DeliveryQueue(queue_url_from_env())


@logger.inject_lambda_context(clear_state=True)
@tracer.capture_lambda_handler
def handler(event: dict[str, Any], context: Any) -> dict[str, Any]:
    settings, secrets, queue = _container()
    return Verifier(settings, queue, secrets).handle(event, context)
