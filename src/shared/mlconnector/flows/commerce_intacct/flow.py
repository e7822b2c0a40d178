"""Wiring of the Adobe Commerce → Intacct flow: orders to AP bills on the matched or newly created vendor, then
credit memos to AP adjustments against those bills (after them, so a memo's bill is usually posted already)."""

from __future__ import annotations

from functools import partial

from mlconnector.connection import Connection
from mlconnector.engine.flow import Flow, Stream
from mlconnector.flows.commerce_intacct.adjustments import AdjustmentWriter
from mlconnector.flows.commerce_intacct.bills import BillWriter
from mlconnector.flows.commerce_intacct.credit_memos import AdjustmentConfig, memo_to_adjustment
from mlconnector.flows.commerce_intacct.mapping import order_to_bill
from mlconnector.flows.commerce_intacct.posting import PostingConfig
from mlconnector.flows.commerce_intacct.vendors import VendorMatcher
from mlconnector.systems.commerce import CommerceReader

NAME = "commerce-intacct"
BILLS = "order-bills"
ADJUSTMENTS = "credit-memo-adjustments"


def build(connection: Connection) -> Flow:
    config = PostingConfig.from_config(connection.commerce_settings().get("posting"))
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
    adjustments = Stream(
        ADJUSTMENTS,
        "commerce",
        "credit memo",
        "intacct",
        CommerceReader(commerce, "creditmemos", key_field="increment_id"),
        partial(memo_to_adjustment, config=AdjustmentConfig(config)),
        AdjustmentWriter(intacct, commerce, vendors, connection.state.links, NAME, BILLS, config.bill_prefix),
    )
    return Flow(NAME, [bills, adjustments], api_calls=connection.api_calls)
