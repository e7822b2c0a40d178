"""Wiring of the Intacct → Marketo flow: companies (from vendors) first, then leads (from vendor contacts)."""

from __future__ import annotations

from collections.abc import Collection, Mapping
from functools import partial
from typing import Any

from mlconnector.connection import Connection
from mlconnector.engine.flow import Flow, Stream
from mlconnector.flows.intacct_marketo.fieldmap import FieldMap
from mlconnector.flows.intacct_marketo.mapping import (
    CONTACT_SELECT,
    CONTACT_VENDOR_FIELD,
    VENDOR_SELECT,
    contact_to_lead,
    vendor_to_company,
)
from mlconnector.flows.intacct_marketo.writers import CompanyWriter, LeadWriter
from mlconnector.flows.intacct_source.contact_emails import SKIP_REASON, ContactEmailClaims, record_claim
from mlconnector.flows.intacct_source.custom_fields import load_lookup_tables, select_with
from mlconnector.flows.one_owner import OneOwnerPerValue, OwnerBook, owned
from mlconnector.systems.intacct.reader import IntacctReader
from mlconnector.systems.registry import INTACCT, MARKETO

NAME = "intacct-marketo"
COMPANIES = "companies"
LEADS = "leads"
LEAD_OWNERS = "leads.owners"
"""Which contact owns each shared email (one_owner.OwnerBook)."""


def build(connection: Connection) -> Flow:
    """No I/O but the secret: the field mapping is checked against Marketo's describe output, and the lookup
    tables it uses are loaded, in the run's preflight, before anything is read or written."""
    intacct, marketo = connection.client(INTACCT), connection.client(MARKETO)
    field_map = FieldMap.from_config(dict(connection.options(MARKETO)["custom_fields"]))
    tables: dict[str, Mapping[str, Mapping[str, Any]]] = {}

    def check_field_map() -> None:
        field_map.check(marketo.describe_companies().fields, marketo.describe_leads().fields)

    def load_tables() -> None:
        tables.update(load_lookup_tables(intacct, field_map.lookups()))

    company_writer = CompanyWriter(marketo)

    def companies_in_marketo(external_ids: Collection[str]) -> set[str]:
        """Those this run wrote are known from the run; only the others are read from their links."""
        written = {key for key in external_ids if key in company_writer.in_marketo}
        links = connection.state.links.get_many(NAME, COMPANIES, (k for k in external_ids if k not in written))
        return written | {key for key, link in links.items() if link.destination_id is not None}

    vendors = IntacctReader(intacct, "VENDOR", select_with(VENDOR_SELECT, field_map.company.values()), "VENDORID")
    contacts = OneOwnerPerValue(
        IntacctReader(intacct, "CONTACT", select_with(CONTACT_SELECT, field_map.lead.values()), "CONTACTNAME"),
        ContactEmailClaims(intacct, CONTACT_VENDOR_FIELD),
        record_claim(CONTACT_VENDOR_FIELD),
        OwnerBook(connection.state.links, NAME, LEAD_OWNERS, persist=not connection.read_only),
    )
    streams = [
        Stream.declare(
            COMPANIES,
            reader=vendors,
            mapping=partial(vendor_to_company, field_map=field_map, tables=tables),
            writer=company_writer,
        ),
        Stream.declare(
            LEADS,
            reader=contacts,
            mapping=owned(partial(contact_to_lead, field_map=field_map, tables=tables), SKIP_REASON),
            writer=LeadWriter(marketo, companies_in_marketo),
            depends_on=(COMPANIES,),  # a lead is linked to its company: Marketo must have the company first
        ),
    ]
    return Flow(NAME, streams, api_calls=connection.api_calls, preflight=(check_field_map, load_tables))
