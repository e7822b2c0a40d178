"""How orders are posted into Intacct: GL accounts, terms, numbering. Defaults can be overridden per connection by
the optional "posting" object of the Commerce secret.

`bill_source` says what becomes an AP bill:
- "orders" (the default): one bill per order (stream "order-bills", RECORDID = bill_prefix + order increment id);
- "invoices": one bill per Commerce invoice, for merchants who book on the invoice (an order invoiced in parts
  gives several bills on one vendor; stream "invoice-bills", RECORDID = bill_prefix + invoice increment id), and
  credit memos go against the bill of their invoice.
Choose it when a connection starts. Each stream keeps its own cursor and links, so switching later makes the new
stream read the store from its beginning and bill again what the old one billed; and orders and invoices are
numbered apart but look alike ("000000012"), so a new bill may also meet an old number unless bill_prefix changes."""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, fields
from typing import Any, Literal, get_args

from mlconnector.config import ConfigurationError

TUPLES = ("currencies", "skip_states", "po_statuses", "po_payment_methods")
ROUTE = re.compile(r"V1/[A-Za-z0-9_\-/]+")
BillSource = Literal["orders", "invoices"]


@dataclass(frozen=True)
class PostingConfig:
    item_account: str = "5000"  # GL account of product lines
    shipping_account: str = "6700"
    tax_account: str = "2200"
    terms_days: int = 30
    bill_source: BillSource = "orders"  # what becomes an AP bill: each order, or each invoice (see above)
    bill_prefix: str = "MC-"  # RECORDID = prefix + increment id: the Commerce order's external reference in Intacct
    vendor_prefix: str = "MC"  # VENDORID of a vendor created for a Commerce customer
    currencies: tuple[str, ...] = ("USD", "CAD", "EUR", "GBP")  # enabled in the Intacct company
    skip_states: tuple[str, ...] = ("canceled",)
    # B2B purchase orders → create_potransaction. UNVERIFIED: transaction definitions are named per company.
    po_transaction_type: str = "Purchase Order"
    po_prefix: str = "MC-PO-"  # documentno = prefix + PO number
    po_items: tuple[tuple[str, str], ...] = ()  # SKU → Intacct ITEMID; given as a JSON object in the secret
    po_default_item: str | None = None  # the ITEMID of a SKU not in po_items; None: such a PO fails, naming the SKU
    po_statuses: tuple[str, ...] = ("approved", "order_placed")  # postable PO statuses; the others are skipped
    po_payment_methods: tuple[str, ...] = ("companycredit", "purchaseorder")  # of orders converted from a PO
    # UNVERIFIED: Commerce has no admin REST route for purchase orders (reference §6); some stores add one with an
    # extension. Its list path (the get path is path/{id}); None = never look for it.
    po_route: str | None = "V1/purchaseorders"

    def __post_init__(self) -> None:
        if self.bill_source not in get_args(BillSource):
            raise ConfigurationError("Commerce posting config bill_source is 'orders' or 'invoices'")
        if isinstance(self.po_items, Mapping):  # a SKU map given directly, as in the secret
            object.__setattr__(self, "po_items", tuple(sorted(self.po_items.items())))
        for sku, item_id in self.po_items:
            if not (isinstance(sku, str) and sku.strip() and isinstance(item_id, str) and item_id.strip()):
                raise ConfigurationError("Commerce posting config po_items maps SKUs to Intacct ITEMIDs (both text)")
        if self.po_route is not None and not ROUTE.fullmatch(self.po_route):
            raise ConfigurationError("Commerce posting config po_route is a REST path like 'V1/purchaseorders'")

    @property
    def po_item_ids(self) -> dict[str, str]:
        return dict(self.po_items)

    @classmethod
    def from_config(cls, config: Mapping[str, Any] | None) -> PostingConfig:
        config = dict(config or {})
        known = {f.name for f in fields(cls)}
        unknown = sorted(set(config) - known)
        if unknown:
            raise ConfigurationError(f"Commerce posting config has unknown keys: {', '.join(unknown)}")
        for key in TUPLES:
            if key in config:
                config[key] = tuple(config[key])
        if "po_items" in config and not isinstance(config["po_items"], Mapping):
            raise ConfigurationError("Commerce posting config po_items must be an object of SKU → Intacct ITEMID")
        return cls(**config)
