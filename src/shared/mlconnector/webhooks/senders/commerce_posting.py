"""How a Commerce delivery is posted: fetch what it names from Commerce (the truth now, not the delivery) and run
it through the commerce-intacct bills stream's own pipeline.

With bills from orders an order delivery posts that order and an invoice delivery its order; with bills from
invoices (posting bill_source = "invoices") an invoice delivery posts that invoice and an order delivery each of
the order's invoices (see `bill_sources`).

Schedule and webhooks together post once: the records run through the bills stream's `StreamRun`, so the link
check, hash-skip, audit and the bill's deterministic controlid are the poller's own. No lease is taken: a webhook
must not wait for (or block) a 15-minute poll, and two writers of one order are already safe (a repeated controlid
or RECORDID is refused by Intacct and read back, see flows/commerce_intacct/bill_writer.py).
"""

from __future__ import annotations

import time

from mlconnector.connection import Connection
from mlconnector.engine.flow import Stream
from mlconnector.engine.pipeline import StreamRun
from mlconnector.engine.records import SourceRecord
from mlconnector.engine.report import RunReport
from mlconnector.flows.commerce_intacct import flow as commerce_intacct
from mlconnector.flows.commerce_intacct.invoice_reader import InvoiceReader
from mlconnector.state.clock import iso_utc
from mlconnector.systems.commerce import CommerceReader
from mlconnector.systems.registry import COMMERCE
from mlconnector.webhooks.spec import Sources

BillSources = Sources
"""What the bills stream posts for one delivered entity (the generic Sources, under the name Commerce used)."""


def bills_run(connection: Connection, run_id: str) -> StreamRun:
    """A run of the connection's bills stream (bills from orders or from invoices), outside any scheduled run."""
    flow = commerce_intacct.build(connection)
    (stream,) = [s for s in flow.streams if s.name in commerce_intacct.BILL_STREAMS]
    report = RunReport(run_id, flow.name, connection.name, False, iso_utc(time.time()))
    return StreamRun(flow.name, stream, connection.state, run_id, False, report)


def bill_sources(connection: Connection, stream: Stream, entity_type: str, entity_id: str) -> Sources:
    """What `stream` posts for a delivered order or invoice (by entity id), as Commerce has it now:
    - bills from orders: the order; for an invoice, the invoice's order;
    - bills from invoices: the invoice; for an order, each of its invoices (one invoices search; an order not
      invoiced yet has none, and its invoices come with their own deliveries or the next poll)."""
    commerce = connection.client(COMMERCE)
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
            return Sources([], f"invoice {entity_id} is not in Commerce", f"invoice:{entity_id}")
    by_id = CommerceReader(commerce, "orders", key_field="entity_id")
    orders = [SourceRecord(_order_key(r), r.data) for r in by_id.fetch([order_id])]
    return _found(orders, f"order {order_id} is not in Commerce", f"entity_id:{order_id}")


def _found(records: list[SourceRecord], why: str, missing_key: str) -> Sources:
    return Sources(records) if records else Sources([], why, missing_key)


def _order_key(record: SourceRecord) -> str:
    """The bills stream's key (increment id), as its reader would key the same order."""
    increment_id = record.data.get("increment_id")
    return str(increment_id) if increment_id not in (None, "") else f"entity_id:{record.key}"


class BillsPosting:
    """The Commerce spec's Posting: the bills stream."""

    noun = "bill"

    def open_run(self, connection: Connection, run_id: str) -> StreamRun:
        return bills_run(connection, run_id)

    def sources(self, connection: Connection, run: StreamRun, entity_type: str, entity_id: str) -> Sources:
        return bill_sources(connection, run.stream, entity_type, entity_id)


POSTING = BillsPosting()
