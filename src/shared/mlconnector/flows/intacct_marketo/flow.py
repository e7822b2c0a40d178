"""Wiring of the Intacct → Marketo flow: companies (from vendors) first, then leads (issue 3)."""

from __future__ import annotations

from mlconnector.connection import Connection
from mlconnector.engine.flow import Flow, Stream
from mlconnector.flows.intacct_marketo.mapping import VENDOR_SELECT, vendor_to_company
from mlconnector.systems.intacct.reader import IntacctReader

NAME = "intacct-marketo"


def build(connection: Connection) -> Flow:
    vendors = IntacctReader(connection.intacct(), "VENDOR", VENDOR_SELECT, key_field="VENDORID")
    # The Marketo client (and so the writer) comes with the Marketo issue: until then a dry run shows what the
    # first sync would write.
    companies = Stream("companies", "intacct", "VENDOR", "marketo", vendors, vendor_to_company, writer=None)
    return Flow(NAME, [companies], api_calls=connection.api_calls)
