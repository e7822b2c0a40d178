"""Wiring of the Intacct → Mailchimp flow, streams in this order:

1. members: customers' and vendors' contacts → audience members, one per email (member_source, member_mapping);
2. customers / vendors: Intacct customers and vendors → e-commerce customers C-<CUSTOMERID> and V-<VENDORID>;
3. products: GL accounts → products, before the orders whose lines use them;
4. orders: AP bills → orders of the vendor's customer;
5. payments: AP payments → their bills' orders move to paid (or partially paid).

The preflight checks the audience and its merge fields and makes sure the store exists, bound to the audience;
the finish step turns the store's backfill flag off once every stream has finished.
"""

from __future__ import annotations

from collections.abc import Collection
from functools import partial

from mlconnector.config import ConfigurationError
from mlconnector.connection import Connection
from mlconnector.engine.flow import Flow, Stream
from mlconnector.flows.intacct_mailchimp.bill_source import BillSource, PaymentSource
from mlconnector.flows.intacct_mailchimp.commerce_mapping import (
    CUSTOMER_PREFIX,
    CUSTOMER_SELECT,
    GLACCOUNT_SELECT,
    ORDER_PREFIX,
    VENDOR_PREFIX,
    VENDOR_SELECT,
    bill_order,
    gl_product,
    party_customer,
    payment_statuses,
)
from mlconnector.flows.intacct_mailchimp.config import MailchimpFlowConfig
from mlconnector.flows.intacct_mailchimp.member_mapping import member_payload, unfillable
from mlconnector.flows.intacct_mailchimp.member_source import ClaimantBook, MemberSource
from mlconnector.flows.intacct_mailchimp.operations import Operations
from mlconnector.flows.intacct_mailchimp.store import StoreGuard
from mlconnector.flows.intacct_mailchimp.writers import (
    CustomerWriter,
    MemberWriter,
    OrderWriter,
    PaymentWriter,
    ProductWriter,
)
from mlconnector.systems.intacct.reader import IntacctReader
from mlconnector.systems.registry import INTACCT, MAILCHIMP

NAME = "intacct-mailchimp"
MEMBER_CLAIMANTS = "members.claimants"
"""The emails several Intacct records share, with their keys (member_source.ClaimantBook)."""
MEMBERS, CUSTOMERS, VENDORS, PRODUCTS, ORDERS, PAYMENTS = (
    "members",
    "customers",
    "vendors",
    "products",
    "orders",
    "payments",
)


def build(connection: Connection) -> Flow:
    """No I/O but the secret: the audience, its merge fields and the store are checked in the run's preflight."""
    intacct, mailchimp = connection.client(INTACCT), connection.client(MAILCHIMP)
    config = MailchimpFlowConfig.from_secret(connection.secret(MAILCHIMP))
    store = StoreGuard(mailchimp, config.store, config.list_id, read_only=connection.read_only)
    audience_tags: set[str] = set()
    required_tags: set[str] = set()

    def check_audience() -> None:
        mailchimp.audience(config.list_id)
        fields = mailchimp.merge_fields(config.list_id)
        audience_tags.update(f.tag for f in fields)
        required_tags.update(f.tag for f in fields if f.required)
        missing = unfillable(required_tags)
        if missing:
            raise ConfigurationError(
                f"Mailchimp audience {config.list_id} requires merge field(s) {', '.join(missing)} that the connector "
                "cannot fill from Intacct: make them optional in the audience's settings"
            )

    operations = Operations(mailchimp, config.orders.batch_operations)
    customers = CustomerWriter(mailchimp, config.store.id, operations)

    def customers_in_mailchimp(ids: Collection[str]) -> set[str]:
        """Those this run wrote are known from the run; only the others are read from their links."""
        written = {i for i in ids if i in customers.in_mailchimp}
        found = set(written)
        for stream, prefix in ((CUSTOMERS, CUSTOMER_PREFIX), (VENDORS, VENDOR_PREFIX)):
            keys = [i.removeprefix(prefix) for i in ids if i.startswith(prefix) and i not in written]
            links = connection.state.links.get_many(NAME, stream, keys)
            found |= {prefix + key for key, link in links.items() if link.destination_id is not None}
        return found

    first_orders: list[bool] = []

    def check_backfill() -> None:
        """A first sync of the orders is a backfill from its first order (is_syncing on before any is written)."""
        first_orders.append(connection.state.cursors.get(NAME, ORDERS) is None)

    orders = OrderWriter(
        mailchimp,
        config.store.id,
        operations,
        store,
        customers_in_mailchimp,
        backfill=lambda: any(first_orders),
        backfill_orders=config.orders.backfill_orders,
    )
    claimants = ClaimantBook(connection.state.links, NAME, MEMBER_CLAIMANTS, persist=not connection.read_only)

    def orders_in_mailchimp(ids: Collection[str]) -> set[str]:
        """Orders this run wrote are known from the run; only the others are read from their links."""
        written = {i for i in ids if i in orders.statuses}
        keys = [i.removeprefix(ORDER_PREFIX) for i in ids if i not in written]
        links = connection.state.links.get_many(NAME, ORDERS, keys)
        return written | {ORDER_PREFIX + key for key, link in links.items() if link.destination_id is not None}

    streams = [
        Stream.declare(
            MEMBERS,
            reader=MemberSource(intacct, claimants),
            mapping=lambda record: member_payload(record, config.members, audience_tags, required_tags),
            writer=MemberWriter(mailchimp, config.list_id),
        ),
        Stream.declare(
            CUSTOMERS,
            reader=IntacctReader(intacct, "CUSTOMER", CUSTOMER_SELECT, "CUSTOMERID"),
            mapping=partial(party_customer, prefix=CUSTOMER_PREFIX, id_field="CUSTOMERID", store=config.store),
            writer=customers,
            depends_on=(MEMBERS,),
        ),
        Stream.declare(
            VENDORS,
            reader=IntacctReader(intacct, "VENDOR", VENDOR_SELECT, "VENDORID"),
            mapping=partial(party_customer, prefix=VENDOR_PREFIX, id_field="VENDORID", store=config.store),
            writer=customers,
            depends_on=(CUSTOMERS,),
        ),
        Stream.declare(
            PRODUCTS,
            reader=IntacctReader(intacct, "GLACCOUNT", GLACCOUNT_SELECT, "ACCOUNTNO"),
            mapping=gl_product,
            writer=ProductWriter(mailchimp, config.store.id, operations),
            depends_on=(VENDORS,),
        ),
        Stream.declare(
            ORDERS,
            reader=BillSource.of(intacct),
            mapping=partial(bill_order, orders=config.orders, store=config.store),
            writer=orders,
            depends_on=(VENDORS, PRODUCTS),  # an order needs its customer, and a product per line
        ),
        Stream.declare(
            PAYMENTS,
            reader=PaymentSource.of(intacct),
            mapping=partial(payment_statuses, orders=config.orders),
            writer=PaymentWriter(mailchimp, config.store.id, operations, orders.statuses, orders_in_mailchimp),
            depends_on=(ORDERS,),
        ),
    ]
    return Flow(
        NAME,
        streams,
        api_calls=connection.api_calls,
        preflight=(check_audience, store.ensure, check_backfill),
        finish=(store.finish,),
    )
