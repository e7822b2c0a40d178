"""How a Zendesk delivery is posted: fetch the ticket it names from Zendesk (the truth now, not the delivery) and
run it through the intacct-zendesk tickets stream's own pipeline, so the poller and the webhooks store each ticket
once (link check, hash-skip, the writer's read-by-name, newer-only update and deterministic controlids).

No lease is taken (like Commerce's): a webhook must not wait for a poll. A ticket Zendesk no longer shows (deleted)
is skipped here; the export reports deletions and the poller marks the record.
"""

from __future__ import annotations

import time

from mlconnector.connection import Connection
from mlconnector.engine.pipeline import StreamRun
from mlconnector.engine.report import RunReport
from mlconnector.flows.intacct_zendesk import flow as intacct_zendesk
from mlconnector.flows.intacct_zendesk.ticket_home import TicketHome
from mlconnector.flows.intacct_zendesk.tickets_config import TicketsConfig
from mlconnector.state.clock import iso_utc
from mlconnector.systems.registry import INTACCT, ZENDESK
from mlconnector.webhooks.spec import Sources


class TicketsPosting:
    """The Zendesk spec's Posting: the tickets stream. Where tickets live is looked up once per connection the
    processor opened (a batch of deliveries), not once per delivery."""

    noun = "ticket record"

    def __init__(self) -> None:
        self._home: tuple[Connection, TicketHome] | None = None

    def open_run(self, connection: Connection, run_id: str) -> StreamRun:
        stream = intacct_zendesk.tickets_stream(connection, self._home_of(connection))
        report = RunReport(run_id, intacct_zendesk.NAME, connection.name, False, iso_utc(time.time()))
        return StreamRun(intacct_zendesk.NAME, stream, connection.state, run_id, False, report)

    def _home_of(self, connection: Connection) -> TicketHome:
        if self._home is None or self._home[0] is not connection:
            config = TicketsConfig.from_options(connection.options(ZENDESK))
            self._home = (connection, TicketHome(connection.client(INTACCT), config))
        return self._home[1]

    def sources(self, connection: Connection, run: StreamRun, entity_type: str, entity_id: str) -> Sources:
        del connection, entity_type  # the run's reader has the connection's client; tickets are the only type
        records = run.stream.reader.fetch([entity_id])
        if records:
            return Sources(records)
        why = f"ticket {entity_id} is not in Zendesk (a deleted ticket is marked by the next poll)"
        return Sources([], why, entity_id)


POSTING = TicketsPosting()
