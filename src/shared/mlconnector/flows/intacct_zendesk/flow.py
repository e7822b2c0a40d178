"""Wiring of the Intacct → Zendesk half of intacct-zendesk, streams in this order:

1. organizations: vendors (with their open AP balance and last payment) → organizations, external id VENDORID;
2. customer-organizations (when `organizations.customers` is on): customers → organizations, `customer:<id>`;
3. users: vendors' contacts → end-users of their vendor's organization;
4. tickets: Zendesk tickets (the incremental export) → Intacct, tied to the vendor or customer their organization
   names: `zendesk_ticket` custom-object records, or attachment files where the company has no Platform Services.
   Webhook deliveries post through the same stream (webhooks/senders/zendesk.py).

The preflight checks the organization-field mapping against Zendesk's organization fields and looks up where
tickets live in Intacct (ticket_home.py).
"""

from __future__ import annotations

from functools import partial

from mlconnector.config import ConfigurationError
from mlconnector.connection import Connection
from mlconnector.engine.flow import Flow, Stream
from mlconnector.flows.destination_ids import DestinationIds
from mlconnector.flows.intacct_source.custom_fields import select_with
from mlconnector.flows.intacct_source.selects import ADDRESS, contact_block
from mlconnector.flows.intacct_zendesk.config import COMPUTED, OrganizationsConfig
from mlconnector.flows.intacct_zendesk.mapping import (
    contact_user,
    customer_organization,
    ticket_mapping,
    vendor_organization,
)
from mlconnector.flows.intacct_zendesk.ticket_home import TicketHome
from mlconnector.flows.intacct_zendesk.ticket_source import TicketSource
from mlconnector.flows.intacct_zendesk.ticket_writer import LearntForms, TicketWriter
from mlconnector.flows.intacct_zendesk.tickets_config import TicketsConfig
from mlconnector.flows.intacct_zendesk.vendor_source import VendorSource
from mlconnector.flows.intacct_zendesk.writers import OrganizationWriter, UserWriter
from mlconnector.systems.intacct.reader import IntacctReader
from mlconnector.systems.registry import INTACCT, ZENDESK

NAME = "intacct-zendesk"
ORGANIZATIONS, CUSTOMER_ORGANIZATIONS, USERS, TICKETS = "organizations", "customer-organizations", "users", "tickets"
_CONTACT = "DISPLAYCONTACT."
PARTY = (
    "RECORDNO",
    "NAME",
    "STATUS",
    "COMMENTS",
    *contact_block(_CONTACT, "EMAIL1", "PHONE1", "URL1", *ADDRESS),
    "WHENMODIFIED",
)
CONTACT_SELECT = ("RECORDNO", "CONTACTNAME", *contact_block(), "VENDORID", "WHENMODIFIED")


def build(connection: Connection) -> Flow:
    """No I/O but the secret: the organization fields are checked in the run's preflight."""
    intacct, zendesk = connection.client(INTACCT), connection.client(ZENDESK)
    config = OrganizationsConfig.from_options(connection.options(ZENDESK))
    sources = [s for s in config.fields.values() if s not in COMPUTED]
    types: dict[str, str] = {}

    def check_fields() -> None:
        types.update({f.key: f.type for f in zendesk.organization_fields()})
        unknown = config.unknown_fields(set(types))
        if unknown:
            raise ConfigurationError(
                f"Zendesk has no organization field(s) {', '.join(unknown)}: create them in Zendesk (Admin Center, "
                "Organization fields) or change organizations.fields in the Zendesk secret"
            )

    vendor_ids = DestinationIds(connection.state.links, NAME, ORGANIZATIONS)
    names: dict[str, str] = {}  # organization names given this run, shared by vendors and customers
    vendors = IntacctReader(
        intacct, "VENDOR", select_with(("VENDORID", "ONHOLD", "TERMNAME", *PARTY), sources), "VENDORID"
    )
    streams = [
        Stream.declare(
            ORGANIZATIONS,
            reader=VendorSource(intacct, vendors),
            mapping=partial(vendor_organization, config=config, types=types),
            writer=OrganizationWriter(zendesk, vendor_ids, names=names),
        ),
        Stream.declare(
            USERS,
            reader=IntacctReader(intacct, "CONTACT", CONTACT_SELECT, "CONTACTNAME"),
            mapping=contact_user,
            writer=UserWriter(zendesk, vendor_ids),
            depends_on=(ORGANIZATIONS,),
        ),
    ]
    customer_ids: DestinationIds | None = None
    if config.customers:
        customer_ids = DestinationIds(connection.state.links, NAME, CUSTOMER_ORGANIZATIONS)
        customers = IntacctReader(intacct, "CUSTOMER", select_with(("CUSTOMERID", *PARTY), sources), "CUSTOMERID")
        streams.append(
            Stream.declare(
                CUSTOMER_ORGANIZATIONS,
                reader=customers,
                mapping=partial(customer_organization, config=config, types=types),
                writer=OrganizationWriter(zendesk, customer_ids, names=names),
            )
        )
    home = TicketHome(intacct, TicketsConfig.from_options(connection.options(ZENDESK)))
    streams.append(tickets_stream(connection, home, vendor_ids, customer_ids))
    return Flow(NAME, streams, api_calls=connection.api_calls, preflight=(check_fields, home.check))


def tickets_stream(
    connection: Connection,
    home: TicketHome,
    vendor_ids: DestinationIds | None = None,
    customer_ids: DestinationIds | None = None,
) -> Stream:
    """Zendesk tickets → Intacct (the poller's stream, and the one webhook deliveries post through)."""
    zendesk = connection.client(ZENDESK)
    tickets = home.config
    if customer_ids is None and OrganizationsConfig.from_options(connection.options(ZENDESK)).customers:
        customer_ids = DestinationIds(connection.state.links, NAME, CUSTOMER_ORGANIZATIONS)
    writer = TicketWriter(home, LearntForms(connection.state.cursors, NAME))
    return Stream.declare(
        TICKETS,
        reader=TicketSource(
            zendesk,
            vendor_ids or DestinationIds(connection.state.links, NAME, ORGANIZATIONS),
            customer_ids,
            start_time=tickets.start,
        ),
        mapping=partial(ticket_mapping, base_url=zendesk.credentials.origin),
        writer=writer,
        depends_on=(ORGANIZATIONS, CUSTOMER_ORGANIZATIONS),
        notes=writer.notes,
    )
