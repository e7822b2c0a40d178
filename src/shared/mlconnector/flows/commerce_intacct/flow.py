"""Wiring of the Adobe Commerce → Intacct flow: orders to AP bills on the matched or newly created vendor."""

from __future__ import annotations

from functools import partial

from mlconnector.connection import Connection
from mlconnector.engine.flow import Flow, Stream
from mlconnector.flows.commerce_intacct.bills import BillWriter
from mlconnector.flows.commerce_intacct.mapping import order_to_bill
from mlconnector.flows.commerce_intacct.posting import PostingConfig
from mlconnector.flows.commerce_intacct.vendors import VendorMatcher
from mlconnector.systems.commerce import MAX_PAGE_SIZE, CommerceReader

NAME = "commerce-intacct"
BILLS = "order-bills"


def build(connection: Connection) -> Flow:
    config = PostingConfig.from_config(connection.commerce_settings().get("posting"))
    intacct = connection.intacct()
    orders = CommerceReader(connection.commerce(), "orders", key_field="increment_id", page_size=MAX_PAGE_SIZE)
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
    return Flow(NAME, [bills], api_calls=connection.api_calls)
