"""The Commerce webhook processor: for each queued delivery, fetch what it names from Commerce (the truth now, not
the delivery) and post it through the same engine path as the poller.

With bills from orders an order delivery posts that order and an invoice delivery its order; with bills from
invoices (posting bill_source = "invoices") an invoice delivery posts that invoice and an order delivery each of
the order's invoices (see `bill_sources`).

Schedule and webhooks together post once: the processor runs its records through the bills stream's `StreamRun`,
so the link check, hash-skip, audit and the bill's deterministic controlid are the poller's own. No lease is
taken: a webhook must not wait for (or block) a 15-minute poll, and two writers of one order are already safe
(a repeated controlid or RECORDID is refused by Intacct and read back, see flows/commerce_intacct/bills.py).
"""

from __future__ import annotations

import time
import uuid
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from aws_lambda_powertools.utilities.batch import BatchProcessor, EventType, process_partial_response
from aws_lambda_powertools.utilities.data_classes.sqs_event import SQSRecord

from mlconnector.config import ConfigurationError
from mlconnector.connection import Connection
from mlconnector.engine.flow import Stream
from mlconnector.engine.observability import logger
from mlconnector.engine.pipeline import StreamRun
from mlconnector.engine.records import Action, Outcome, SourceRecord
from mlconnector.engine.report import RunReport
from mlconnector.flows.commerce_intacct import flow as commerce_intacct
from mlconnector.flows.commerce_intacct.invoice_reader import InvoiceReader
from mlconnector.state.clock import iso_utc
from mlconnector.systems.commerce import CommerceReader
from mlconnector.webhooks.queue import PROCESSED_TYPES, MessageError, QueueMessage


@dataclass(frozen=True)
class BillSources:
    """What the bills stream posts for one delivered entity: records keyed as the stream's reader keys them or,
    when there is none, why (audited as skipped under `missing_key`)."""

    records: list[SourceRecord]
    why: str = ""
    missing_key: str = ""


def post_delivery(connection: Connection, message: QueueMessage, run_id: str | None = None) -> RunReport:
    """Fetch what the delivery names (the truth now, not the delivery) and run it through the bills stream.

    A record that fails is audited and kept for replay by the engine; an exception here (Commerce or Intacct
    unreachable, an unknown write outcome) is an infrastructure error and fails the queue message."""
    if message.entity_type not in PROCESSED_TYPES:
        raise MessageError(f"no stream posts {message.entity_type} deliveries")
    run = bills_run(connection, run_id or uuid.uuid4().hex[:16])
    sources = bill_sources(connection, run.stream, message.entity_type, message.entity_id)
    if sources.records:
        post_records(run, sources.records)
    else:
        run.record_outcomes([Outcome(sources.missing_key, Action.SKIPPED, error=sources.why)])
    return run.report


def post_records(run: StreamRun, records: list[SourceRecord]) -> None:
    """Run records `bill_sources` returned through the bills stream (link check, hash-skip, exactly-once post)."""
    run.process(records)
    run.flush()


def bills_run(connection: Connection, run_id: str) -> StreamRun:
    """A run of the connection's bills stream (bills from orders or from invoices), outside any scheduled run."""
    flow = commerce_intacct.build(connection)
    (stream,) = [s for s in flow.streams if s.name in commerce_intacct.BILL_STREAMS]
    report = RunReport(run_id, flow.name, connection.name, False, iso_utc(time.time()))
    return StreamRun(flow.name, stream, connection.state, run_id, False, report)


def bill_sources(connection: Connection, stream: Stream, entity_type: str, entity_id: str) -> BillSources:
    """What `stream` posts for a delivered order or invoice (by entity id), as Commerce has it now:
    - bills from orders: the order; for an invoice, the invoice's order;
    - bills from invoices: the invoice; for an order, each of its invoices (one invoices search; an order not
      invoiced yet has none, and its invoices come with their own deliveries or the next poll)."""
    commerce = connection.commerce()
    if stream.name == commerce_intacct.INVOICE_BILLS:
        reader = InvoiceReader(commerce)
        if entity_type == "invoice":
            return _found(
                reader.by_ids([entity_id]), f"invoice {entity_id} is not in Commerce", f"entity_id:{entity_id}"
            )
        invoices = reader.of_orders([entity_id])
        return _found(invoices, f"order {entity_id} has no invoices in Commerce", f"order:{entity_id}")
    order_id = entity_id
    if entity_type == "invoice":
        invoices = CommerceReader(commerce, "invoices", key_field="entity_id").fetch([entity_id])
        order_id = str(invoices[0].data.get("order_id") or "") if invoices else ""
        if not order_id:
            return BillSources([], f"invoice {entity_id} is not in Commerce", f"invoice:{entity_id}")
    by_id = CommerceReader(commerce, "orders", key_field="entity_id")
    orders = [SourceRecord(_order_key(r), r.data) for r in by_id.fetch([order_id])]
    return _found(orders, f"order {order_id} is not in Commerce", f"entity_id:{order_id}")


def _found(records: list[SourceRecord], why: str, missing_key: str) -> BillSources:
    return BillSources(records) if records else BillSources([], why, missing_key)


def _order_key(record: SourceRecord) -> str:
    """The bills stream's key (increment id), as its reader would key the same order."""
    increment_id = record.data.get("increment_id")
    return str(increment_id) if increment_id not in (None, "") else f"entity_id:{record.key}"


@dataclass
class Processor:
    open_connection: Callable[[str], Connection]

    def handle(self, event: dict[str, Any], context: Any) -> dict[str, Any]:
        connections: dict[str, Connection] = {}

        def record_handler(record: SQSRecord) -> None:
            try:
                message = QueueMessage.from_json(record.body)
            except (MessageError, ConfigurationError) as error:
                logger.error("queue message dropped", extra={"message_id": record.message_id, "reason": str(error)})
                return  # acknowledged: a retry would fail the same way
            if message.connection not in connections:
                connections[message.connection] = self.open_connection(message.connection)
            report = post_delivery(connections[message.connection], message)
            logger.info("webhook processed", extra={"event_id": message.event_id, "counts": report.counts})

        processor = BatchProcessor(event_type=EventType.SQS)
        return dict(process_partial_response(event, record_handler, processor, context))
