"""The vendor master both ways, inside the commerce-intacct flow: Commerce customers → Intacct vendors, and
Intacct vendors → Commerce B2B customers (a customer plus the company it administers).

Loop prevention. Both streams map their records to the same canonical party payload (party.py), so the engine's
content hash of a record equals the hash of the record it was written from on the other side. When a writer
succeeds it also writes the MIRROR link in the other direction's stream: keyed by the record it wrote (as that
stream reads it: a VENDORID, a customer id), pointing back at the source, and hashed from the written record as
that stream will map it. The next run reads the written record back in the other stream, maps it to the same
hash and the engine skips it as unchanged: a change the connector wrote is not echoed. A genuine later edit
changes the hash and is synced. Hashing what was written (rather than reusing the source's hash) also covers
what a side cannot hold: a customer without a company has no name of its own ("first last"), so a vendor's
new NAME reaches the mirror as the customer shows it, and is not written back over the vendor.

Both streams run before the bills, and the customers-to-vendors writer records the VendorMatcher's
"customer:<id>" link too, so a customer's bills go to the vendor this stream made.
"""

from __future__ import annotations

from typing import Any

from mlconnector.connection import Connection
from mlconnector.engine.flow import Stream
from mlconnector.engine.records import SkipRecord, SourceRecord
from mlconnector.flows.commerce_intacct.company_writer import CompanyWriter
from mlconnector.flows.commerce_intacct.customer_reader import COMPANY_KEY, CustomerReader
from mlconnector.flows.commerce_intacct.mirror import LinkBook
from mlconnector.flows.commerce_intacct.party import VENDOR_FIELDS, customer_to_party, vendor_to_party
from mlconnector.flows.commerce_intacct.vendor_master_config import VendorMasterConfig
from mlconnector.flows.commerce_intacct.vendor_writer import VendorWriter
from mlconnector.flows.fields import field
from mlconnector.flows.intacct_destination.vendors import VendorMatcher
from mlconnector.systems.intacct.reader import IntacctReader
from mlconnector.systems.registry import COMMERCE, INTACCT

CUSTOMERS_TO_VENDORS = "customers-to-vendors"
VENDORS_TO_COMPANIES = "vendors-to-companies"


def vendor_master_streams(connection: Connection, vendors: VendorMatcher, config: VendorMasterConfig) -> list[Stream]:
    """The enabled streams, customers first; run them before the bills. `vendors` is the bills' matcher: its
    flow, link store and VENDORID prefix are shared, so both find the same vendor for a customer."""
    streams: list[Stream] = []
    if config.customers_to_vendors:
        streams.append(
            Stream.declare(
                CUSTOMERS_TO_VENDORS,
                reader=CustomerReader(connection.client(COMMERCE)),
                mapping=customer_record_to_party,
                writer=VendorWriter(
                    connection.client(INTACCT),
                    LinkBook(vendors.links, vendors.flow, VENDORS_TO_COMPANIES, vendors.run_id),
                    vendors.vendor_prefix,
                ),
            )
        )
    if config.vendors_to_commerce:
        statuses = config.vendor_statuses
        streams.append(
            Stream.declare(
                VENDORS_TO_COMPANIES,
                reader=IntacctReader(connection.client(INTACCT), "VENDOR", VENDOR_FIELDS, "VENDORID"),
                mapping=lambda record: vendor_record_to_party(record, statuses),
                writer=CompanyWriter(
                    connection.client(COMMERCE),
                    LinkBook(vendors.links, vendors.flow, CUSTOMERS_TO_VENDORS, vendors.run_id),
                    config.customer_group_id,
                    connector_prefix=vendors.vendor_prefix,
                ),
            )
        )
    return streams


def customer_record_to_party(record: SourceRecord) -> dict[str, Any]:
    """A customer as read by CustomerReader (its administered company under COMPANY_KEY) → the party payload."""
    return customer_to_party(record.data, record.data.get(COMPANY_KEY)).payload()


def vendor_record_to_party(record: SourceRecord, statuses: tuple[str, ...]) -> dict[str, Any]:
    """A VENDOR → the party payload; vendors whose STATUS is not one of `statuses` stay out of Commerce."""
    status = (field(record.data, "STATUS") or "").lower()
    if status not in statuses:
        raise SkipRecord(f"its STATUS is {status or 'empty'}; vendor_master.vendor_statuses is {', '.join(statuses)}")
    return vendor_to_party(record.data).payload()
