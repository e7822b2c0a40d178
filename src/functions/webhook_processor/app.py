"""Webhook queue: post each delivery through its sender's stream (by spec); report only failed messages."""

from __future__ import annotations

from typing import Any

from mlconnector.config import Settings
from mlconnector.connection import Connection
from mlconnector.engine.budget import TimeBudget
from mlconnector.engine.observability import logger, tracer
from mlconnector.webhooks.processor import Processor


@logger.inject_lambda_context(clear_state=True)
@tracer.capture_lambda_handler
def handler(event: dict[str, Any], context: Any) -> dict[str, Any]:
    settings = Settings.from_env()
    budget = TimeBudget.from_context(context)
    processor = Processor(lambda name: Connection.open(name, settings, budget=budget))
    return processor.handle(event, context)
