"""Wiring of the Adobe Commerce → Intacct flow, stream by stream:

1. customers-to-vendors: Commerce customers → Intacct vendors (vendor master; on unless the secret turns it off),
   first, so bills go to the vendor it keeps current;
2. order-bills: orders → AP bills on the matched or newly created vendor;
3. purchase-orders: B2B purchase orders → Intacct purchase orders on the same vendors;
4. credit-memo-adjustments: credit memos → AP adjustments against the bills (after them, so a memo's bill is
   usually posted already);
5. vendors-to-companies: Intacct vendors → Commerce B2B customers (vendor master; off unless the secret turns it
   on), last, so a store without B2B stops the run only after everything was posted.

Configuration comes from the Commerce secret's optional "posting", "adjustments" and "vendor_master" objects."""

from __future__ import annotations

from functools import partial

from mlconnector.connection import Connection
from mlconnector.engine.flow import Flow, Stream
from mlconnector.flows.commerce_intacct.adjustments import AdjustmentWriter
from mlconnector.flows.commerce_intacct.bills import BillWriter
from mlconnector.flows.commerce_intacct.credit_memos import AdjustmentConfig, memo_to_adjustment
from mlconnector.flows.commerce_intacct.mapping import order_to_bill
from mlconnector.flows.commerce_intacct.po_mapping import po_to_transaction
from mlconnector.flows.commerce_intacct.po_source import PurchaseOrderSource
from mlconnector.flows.commerce_intacct.posting import PostingConfig
from mlconnector.flows.commerce_intacct.purchase_orders import PoWriter
from mlconnector.flows.commerce_intacct.vendor_master import (
    CUSTOMERS_TO_VENDORS,
    VENDORS_TO_COMPANIES,
    vendor_master_streams,
)
from mlconnector.flows.commerce_intacct.vendor_master_config import VendorMasterConfig
from mlconnector.flows.commerce_intacct.vendors import VendorMatcher
from mlconnector.systems.commerce import CommerceReader

NAME = "commerce-intacct"
BILLS = "order-bills"
PURCHASE_ORDERS = "purchase-orders"
ADJUSTMENTS = "credit-memo-adjustments"


def build(connection: Connection) -> Flow:
    settings = connection.commerce_settings()
    config = PostingConfig.from_config(settings.get("posting"))
    adjustment_config = AdjustmentConfig.from_config(config, settings.get("adjustments"))
    vendor_master = VendorMasterConfig.from_config(settings.get("vendor_master"))
    intacct = connection.intacct()
    commerce = connection.commerce()
    orders = CommerceReader(commerce, "orders", key_field="increment_id")
    vendors = VendorMatcher(intacct, connection.state.links, NAME, config.vendor_prefix)
    bills = Stream(
        BILLS,
        "commerce",
        "order",
        "intacct",
        orders,
        partial(order_to_bill, config=config),
        BillWriter(intacct, vendors),
    )
    po_source = PurchaseOrderSource(commerce, config.po_route, config.po_payment_methods)
    purchase_orders = Stream(
        PURCHASE_ORDERS,
        "commerce",
        "purchase order",
        "intacct",
        po_source,
        partial(po_to_transaction, config=config),
        PoWriter(intacct, vendors),
        notes=lambda: po_source.notes,
    )
    adjustments = Stream(
        ADJUSTMENTS,
        "commerce",
        "credit memo",
        "intacct",
        CommerceReader(commerce, "creditmemos", key_field="increment_id"),
        partial(memo_to_adjustment, config=adjustment_config),
        AdjustmentWriter(intacct, commerce, vendors, connection.state.links, NAME, BILLS, config.bill_prefix),
    )
    master = {stream.name: stream for stream in vendor_master_streams(connection, vendors, vendor_master)}
    streams = [
        *([master[CUSTOMERS_TO_VENDORS]] if CUSTOMERS_TO_VENDORS in master else []),
        bills,
        purchase_orders,
        adjustments,
        *([master[VENDORS_TO_COMPANIES]] if VENDORS_TO_COMPANIES in master else []),
    ]
    return Flow(NAME, streams, api_calls=connection.api_calls)
