"""The webhook processor, for any registered sender: for each queued delivery, the message's sender spec says how
to post it (registry.py, spec.Posting): fetch what the delivery names from its source (the truth now, not the
delivery) and run it through the same engine path as the poller (the stream's own `StreamRun`: link check,
hash-skip, audit), so the schedule and the webhooks together post once.

A sender's posting (and so its flow and clients) is imported at the first message that needs it.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from aws_lambda_powertools.utilities.batch import BatchProcessor, EventType, process_partial_response
from aws_lambda_powertools.utilities.data_classes.sqs_event import SQSRecord

from mlconnector.config import ConfigurationError
from mlconnector.engine.observability import logger
from mlconnector.engine.records import Action, Outcome, SourceRecord
from mlconnector.webhooks.queue import MessageError, QueueMessage
from mlconnector.webhooks.registry import UnknownSender, spec_for

if TYPE_CHECKING:
    from mlconnector.connection import Connection
    from mlconnector.engine.pipeline import StreamRun
    from mlconnector.engine.report import RunReport


def post_delivery(connection: Connection, message: QueueMessage, run_id: str | None = None) -> RunReport:
    """Fetch what the delivery names (the truth now, not the delivery) and run it through its sender's stream.

    A record that fails is audited and kept for replay by the engine; an exception here (the source or the
    destination unreachable, an unknown write outcome) is an infrastructure error and fails the queue message."""
    try:
        spec = spec_for(message.system)
    except UnknownSender as error:
        raise MessageError(str(error)) from None
    if message.entity_type not in spec.processed_types:
        raise MessageError(f"no stream posts {message.entity_type} deliveries")
    posting = spec.posting()
    run = posting.open_run(connection, run_id or uuid.uuid4().hex[:16])
    sources = posting.sources(connection, run, message.entity_type, message.entity_id)
    if sources.records:
        post_records(run, sources.records)
    else:
        run.record_outcomes([Outcome(sources.missing_key, Action.SKIPPED, error=sources.why)])
    return run.report


def post_records(run: StreamRun, records: list[SourceRecord]) -> None:
    """Run records a posting's `sources` returned through its stream (link check, hash-skip, write)."""
    run.process(records)
    run.flush()


@dataclass
class Processor:
    open_connection: Callable[[str], Connection]

    def handle(self, event: dict[str, Any], context: Any) -> dict[str, Any]:
        connections: dict[str, Connection] = {}

        def record_handler(record: SQSRecord) -> None:
            try:
                message = QueueMessage.from_json(record.body)
                spec_for(message.system)
            except (MessageError, ConfigurationError, UnknownSender) as error:
                logger.error("queue message dropped", extra={"message_id": record.message_id, "reason": str(error)})
                return  # acknowledged: a retry would fail the same way
            if message.connection not in connections:
                connections[message.connection] = self.open_connection(message.connection)
            report = post_delivery(connections[message.connection], message)
            logger.info(
                "webhook processed",
                extra={"system": message.system, "event_id": message.event_id, "counts": report.counts},
            )

        processor = BatchProcessor(event_type=EventType.SQS)
        return dict(process_partial_response(event, record_handler, processor, context))
