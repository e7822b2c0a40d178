"""Posting credit memos into Intacct as AP adjustments, exactly once, on the vendor of their order's bill.

- The order (read from Commerce unless the memo names it fully) gives the bill number and the customer; the
  customer resolves to a VENDORID through the same VendorMatcher as the order's bill, so both land on one vendor.
- A memo whose order's bill is not posted (no link from the bills stream) fails with that reason and waits for
  replay: Intacct would refuse a <billno> that names no bill of the vendor.
- The controlid is derived from (adjustment number, content): a repeated post is refused by uniqueid=true, and a
  second adjustment number for the vendor by Intacct's duplicate check; either is read back and adopted.
- An unknown outcome stops the run without moving the cursor: the next run posts the same controlids again.
- An adjustment already linked to a memo is not changed.

With bills from invoices (bill_source = "invoices") the memo's invoice (its `invoice_id`, read with its order in
one InvoiceReader call) gives the bill number (bill_prefix + invoice increment id) and the link to check is the
invoice's in the invoice-bills stream; the customer is still the order's.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from itertools import batched
from typing import Any, ClassVar

from mlconnector.engine.records import Action, MappingError, Outcome, SourceRecord, WriteItem
from mlconnector.flows.commerce_intacct.invoice_reader import INVOICE_ORDER_KEY, InvoiceReader
from mlconnector.flows.commerce_intacct.memo_mapping import ORDER_KEY
from mlconnector.flows.commerce_intacct.order_mapping import customer_of
from mlconnector.flows.commerce_intacct.posting import BillSource
from mlconnector.flows.intacct_destination.exactly_once import post_once
from mlconnector.flows.intacct_destination.payee import Customer
from mlconnector.flows.intacct_destination.vendors import VendorMatcher, customer_from
from mlconnector.state.links import LinkStore
from mlconnector.systems.commerce import CommerceClient, Filter, SearchCriteria
from mlconnector.systems.commerce.entities import ORDERS
from mlconnector.systems.intacct import (
    ApAdjustmentLine,
    CreateApAdjustment,
    IntacctClient,
    deterministic_controlid,
)
from mlconnector.systems.intacct.functions import Query
from mlconnector.systems.intacct.functions.filters import in_

FUNCTIONS_PER_REQUEST = 50  # one adjustment per function, so every outcome maps to one memo
ORDERS_PER_SEARCH = 100


@dataclass(frozen=True)
class OrderFacts:
    """What a memo needs from its order: its bill's key in the bills stream and the customer."""

    increment_id: str  # of the order, or of the memo's invoice when bills come from invoices (document)
    customer: Customer
    document: str = "order"


@dataclass
class AdjustmentWriter:
    system: ClassVar[str] = "intacct"
    intacct: IntacctClient
    commerce: CommerceClient
    vendors: VendorMatcher
    links: LinkStore
    flow: str
    bills_stream: str
    bill_prefix: str  # the bills stream's RECORDID prefix: billno = prefix + order (or invoice) increment id
    max_batch: int = FUNCTIONS_PER_REQUEST
    bill_source: BillSource = "orders"

    def write(self, items: Sequence[WriteItem]) -> list[Outcome]:
        outcomes: dict[str, Outcome] = {}
        fresh = []
        for item in items:
            if item.destination_id is None:
                fresh.append(item)
            else:
                posted = f"its adjustment ({item.destination_id}) is already posted and is not changed"
                outcomes[item.record.key] = _failed(item, posted)
        orders = self._orders(fresh) if self.bill_source == "orders" else self._invoices(fresh)
        ready = []
        for item in fresh:
            facts = orders[item.record.key]
            if isinstance(facts, Exception):
                outcomes[item.record.key] = _failed(item, str(facts))
            else:
                ready.append((item, facts))
        to_post = self._functions(ready, outcomes)
        if to_post:
            outcomes.update(self._post(to_post))
        return [outcomes[item.record.key] for item in items]

    def _functions(
        self, ready: list[tuple[WriteItem, OrderFacts]], outcomes: dict[str, Outcome]
    ) -> list[tuple[WriteItem, CreateApAdjustment]]:
        """The create_apadjustment of each memo whose order's bill is posted and whose vendor is known; the
        others get their failure in `outcomes`."""
        if not ready:
            return []
        bills = self.links.get_many(self.flow, self.bills_stream, {facts.increment_id for _, facts in ready})
        vendors = self.vendors.resolve([facts.customer for _, facts in ready])  # iterated twice
        functions = []
        for item, facts in ready:
            bill = bills.get(facts.increment_id)
            vendor = vendors[facts.customer.key]
            if bill is None or bill.destination_id is None:
                reason = f"the bill of {facts.document} {facts.increment_id} is not posted yet; replay once it is"
                outcomes[item.record.key] = _failed(item, reason)
            elif isinstance(vendor, Exception):
                outcomes[item.record.key] = _failed(item, f"no vendor: {vendor}")
            else:
                functions.append((item, adjustment(item, vendor, f"{self.bill_prefix}{facts.increment_id}")))
        return functions

    def _orders(self, items: Iterable[WriteItem]) -> dict[str, OrderFacts | Exception]:
        """Memo key → its order's facts, from the payload when it has them, else from one search per 100 orders."""
        facts: dict[str, OrderFacts | Exception] = {}
        to_read: dict[str, str] = {}  # memo key → order id
        for item in items:
            reference = item.payload[ORDER_KEY]
            if "increment_id" in reference and "customer" in reference:
                customer = customer_from(reference["customer"])
                facts[item.record.key] = OrderFacts(str(reference["increment_id"]), customer)
            else:
                to_read[item.record.key] = str(reference["id"])
        found: dict[str, dict[str, Any]] = {}
        for chunk in batched(sorted(set(to_read.values())), ORDERS_PER_SEARCH, strict=False):
            criteria = SearchCriteria(page_size=ORDERS_PER_SEARCH).where(Filter("entity_id", ",".join(chunk), "in"))
            found.update({str(o.get("entity_id")): o for o in self.commerce.search_all(ORDERS, criteria)})
        for key, order_id in to_read.items():
            order = found.get(order_id)
            facts[key] = _facts(order) if order is not None else LookupError(f"its order {order_id} is not found")
        return facts

    def _invoices(self, items: Iterable[WriteItem]) -> dict[str, OrderFacts | Exception]:
        """Memo key → its invoice's facts (the invoice's increment id, its order's customer)."""
        facts: dict[str, OrderFacts | Exception] = {}
        wanted: dict[str, str] = {}  # memo key → invoice id
        for item in items:
            invoice_id = item.payload[ORDER_KEY].get("invoice_id")
            if invoice_id is None:  # mapped before bills came from invoices
                facts[item.record.key] = MappingError("it names no invoice, and bills are posted per invoice")
            else:
                wanted[item.record.key] = str(invoice_id)
        invoices = InvoiceReader(self.commerce).by_ids(wanted.values()) if wanted else []
        found = {str(invoice.data.get("entity_id")): invoice for invoice in invoices}
        for key, invoice_id in wanted.items():
            invoice = found.get(invoice_id)
            facts[key] = _invoice_facts(invoice) if invoice else LookupError(f"its invoice {invoice_id} is not found")
        return facts

    def _post(self, functions: list[tuple[WriteItem, CreateApAdjustment]]) -> dict[str, Outcome]:
        # <key> is the new RECORDNO per the reference (UNVERIFIED; some companies may answer the number).
        posted = post_once(self.intacct, functions, lambda _, function: function, lambda r: r.key, "adjustment")
        return {**posted.outcomes, **self._adopt(posted.to_adopt)}

    def _adopt(self, functions: list[tuple[WriteItem, CreateApAdjustment]]) -> dict[str, Outcome]:
        """Adjustments an earlier attempt already posted: read back by their number (kept in RECORDID)."""
        found: dict[tuple[str, str], str] = {}
        numbers = sorted({str(function.adjustment_no) for _, function in functions})
        for chunk in batched(numbers, 100, strict=False):
            query = Query("APADJUSTMENT", ("RECORDNO", "RECORDID", "VENDORID"), in_("RECORDID", chunk), pagesize=2000)
            [result] = self.intacct.execute([query], write=False)
            result.raise_for_status()
            found.update({(str(r["RECORDID"]), str(r["VENDORID"])): str(r["RECORDNO"]) for r in result.records})
        outcomes = {}
        for item, function in functions:
            recordno = found.get((str(function.adjustment_no), function.vendor_id))
            if recordno is None:
                error = "Intacct reports this adjustment as already posted, but none with its number is found"
                outcomes[item.record.key] = _failed(item, error)
            else:
                outcomes[item.record.key] = Outcome(item.record.key, Action.CREATED, destination_id=recordno)
        return outcomes


def adjustment(item: WriteItem, vendor_id: str, bill_no: str) -> CreateApAdjustment:
    """The create_apadjustment of a mapped memo; its controlid is fixed by (adjustment number, content)."""
    payload = item.payload
    lines = tuple(
        ApAdjustmentLine(Decimal(line["amount"]), gl_account_no=line["glaccountno"], memo=line["memo"])
        for line in payload["lines"]
    )
    return CreateApAdjustment(
        vendor_id=vendor_id,
        date_created=date.fromisoformat(payload["datecreated"]),
        lines=lines,
        adjustment_no=payload["adjustmentno"],
        bill_no=bill_no,
        description=payload["description"],
        currency=payload["currency"],
        controlid=deterministic_controlid("apadjustment", payload["adjustmentno"], item.content_hash[:16]),
    )


def _facts(order: dict[str, Any]) -> OrderFacts | Exception:
    try:
        return OrderFacts(str(order["increment_id"]), customer_of(order))
    except (KeyError, MappingError) as error:
        return MappingError(f"its order {order.get('entity_id')}: {error}")


def _invoice_facts(invoice: SourceRecord) -> OrderFacts | Exception:
    order = invoice.data.get(INVOICE_ORDER_KEY)
    if order is None:
        return LookupError(f"its invoice {invoice.key}: its order {invoice.data.get('order_id')} is not found")
    try:
        return OrderFacts(invoice.key, customer_of(dict(order)), "invoice")
    except MappingError as error:
        return MappingError(f"its invoice {invoice.key}: {error}")


def _failed(item: WriteItem, error: str) -> Outcome:
    return Outcome(item.record.key, Action.FAILED, error=error)
