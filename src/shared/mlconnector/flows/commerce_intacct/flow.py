"""Wiring of the Adobe Commerce → Intacct flow, stream by stream:

1. customers-to-vendors: Commerce customers → Intacct vendors (vendor master; on unless the secret turns it off),
   first, so bills go to the vendor it keeps current;
2. order-bills: orders → AP bills on the matched or newly created vendor; or, when the posting config says
   bill_source = "invoices", invoice-bills: invoices (each with its order) → AP bills, one per invoice (a flow has
   exactly one of the two streams; see posting.py);
3. purchase-orders: B2B purchase orders → Intacct purchase orders on the same vendors;
4. credit-memo-adjustments: credit memos → AP adjustments against the bills of their orders (or invoices) (after
   them, so a memo's bill is usually posted already);
5. vendors-to-companies: Intacct vendors → Commerce B2B customers (vendor master; off unless the secret turns it
   on), last, so a store without B2B stops the run only after everything was posted.

Configuration comes from the Commerce secret's optional "posting", "adjustments" and "vendor_master" objects."""

from __future__ import annotations

from functools import partial

from mlconnector.config import ConfigurationError
from mlconnector.connection import Connection
from mlconnector.engine.flow import Flow, Stream
from mlconnector.flows.commerce_intacct.adjustment_writer import AdjustmentWriter
from mlconnector.flows.commerce_intacct.bill_writer import BillWriter
from mlconnector.flows.commerce_intacct.invoice_mapping import invoice_to_bill
from mlconnector.flows.commerce_intacct.invoice_reader import InvoiceReader
from mlconnector.flows.commerce_intacct.memo_mapping import AdjustmentConfig, memo_to_adjustment
from mlconnector.flows.commerce_intacct.order_mapping import order_to_bill
from mlconnector.flows.commerce_intacct.po_mapping import po_to_transaction
from mlconnector.flows.commerce_intacct.po_reader import PurchaseOrderSource
from mlconnector.flows.commerce_intacct.po_writer import PoWriter
from mlconnector.flows.commerce_intacct.posting import PostingConfig
from mlconnector.flows.commerce_intacct.vendor_master import (
    CUSTOMERS_TO_VENDORS,
    VENDORS_TO_COMPANIES,
    vendor_master_streams,
)
from mlconnector.flows.commerce_intacct.vendor_master_config import VendorMasterConfig
from mlconnector.flows.intacct_destination.vendors import VendorMatcher
from mlconnector.systems.commerce import CommerceClient, CommerceReader
from mlconnector.systems.registry import COMMERCE, INTACCT

NAME = "commerce-intacct"
BILLS = "order-bills"
INVOICE_BILLS = "invoice-bills"
BILL_STREAMS = frozenset({BILLS, INVOICE_BILLS})
"""The flow has exactly one of these: bills from orders or from invoices (posting config bill_source)."""
PURCHASE_ORDERS = "purchase-orders"
ADJUSTMENTS = "credit-memo-adjustments"


def build(connection: Connection) -> Flow:
    settings = connection.options(COMMERCE)
    config = PostingConfig.from_config(settings.get("posting"))
    adjustment_config = AdjustmentConfig.from_config(config, settings.get("adjustments"))
    vendor_master = VendorMasterConfig.from_config(settings.get("vendor_master"))
    intacct = connection.client(INTACCT)
    commerce = connection.client(COMMERCE)
    vendors = VendorMatcher(intacct, connection.state.links, NAME, config.vendor_prefix)
    bills = _bills_stream(config, commerce, BillWriter(intacct, vendors))
    po_source = PurchaseOrderSource(commerce, config.po_route, config.po_payment_methods)
    purchase_orders = Stream.declare(
        PURCHASE_ORDERS,
        reader=po_source,
        mapping=partial(po_to_transaction, config=config),
        writer=PoWriter(intacct, vendors),
        notes=lambda: po_source.notes,
        depends_on=(bills.name,),  # on the vendor its order's bill was posted to
    )
    adjustments = Stream.declare(
        ADJUSTMENTS,
        reader=CommerceReader(commerce, "creditmemos", key_field="increment_id"),
        mapping=partial(memo_to_adjustment, config=adjustment_config),
        writer=AdjustmentWriter(
            intacct,
            commerce,
            vendors,
            connection.state.links,
            NAME,
            bills.name,
            config.bill_prefix,
            bill_source=config.bill_source,
        ),
        depends_on=(bills.name,),  # a memo goes against its order's bill: usually posted already
    )
    master = {stream.name: stream for stream in vendor_master_streams(connection, vendors, vendor_master)}
    streams = [
        *([master[CUSTOMERS_TO_VENDORS]] if CUSTOMERS_TO_VENDORS in master else []),
        bills,
        purchase_orders,
        adjustments,
        *([master[VENDORS_TO_COMPANIES]] if VENDORS_TO_COMPANIES in master else []),
    ]
    guard = partial(_refuse_a_switch_of_bill_source, connection, config)
    return Flow(NAME, streams, api_calls=connection.api_calls, preflight=(guard,))


def _bills_stream(config: PostingConfig, commerce: CommerceClient, writer: BillWriter) -> Stream:
    """Bills from orders (the default) or from invoices (posting bill_source = "invoices")."""
    if config.bill_source == "invoices":
        reader: InvoiceReader | CommerceReader = InvoiceReader(commerce)
        mapping = partial(invoice_to_bill, config=config)
        name = INVOICE_BILLS
    else:
        reader = CommerceReader(commerce, "orders", key_field="increment_id")
        mapping = partial(order_to_bill, config=config)
        name = BILLS
    # Bills go to the vendor the customers stream keeps current, when the vendor master runs it.
    return Stream.declare(name, reader=reader, mapping=mapping, writer=writer, depends_on=(CUSTOMERS_TO_VENDORS,))


def _refuse_a_switch_of_bill_source(connection: Connection, config: PostingConfig) -> None:
    """A connection that billed from one source must not start billing from the other: the new stream would read
    the store from its start and bill again what the first one billed."""
    wanted = INVOICE_BILLS if config.bill_source == "invoices" else BILLS
    (other,) = BILL_STREAMS - {wanted}
    if connection.state.cursors.get(NAME, other) is not None:
        raise ConfigurationError(
            f"connection {connection.name!r} already posts bills from {other.removesuffix('-bills')}s; billing from "
            f"{wanted.removesuffix('-bills')}s as well would bill the same sales twice. Keep posting.bill_source, or "
            "start the other source on a new connection"
        )
