"""Commerce webhook route: verify the signature over the raw body, deduplicate by event id, enqueue to SQS."""

from __future__ import annotations

from typing import Any

from mlconnector.config import Settings
from mlconnector.engine.observability import logger, tracer
from mlconnector.webhooks.handling import DeliveryQueue, Verifier, queue_url_from_env


@logger.inject_lambda_context(clear_state=True)
@tracer.capture_lambda_handler
def handler(event: dict[str, Any], context: Any) -> dict[str, Any]:
    verifier = Verifier(Settings.from_env(), DeliveryQueue(queue_url_from_env()))
    return verifier.handle(event, context)
