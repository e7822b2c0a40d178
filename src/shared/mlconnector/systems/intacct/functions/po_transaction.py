"""Legacy `create_potransaction`: a Purchasing transaction (purchase order, requisition, ...).

Element order follows the PHP SDK (PurchasingTransactionCreate / ...LineCreate). The due date is
required because the SDK refuses to build without it (the server rule is UNVERIFIED). The answer
is `<key>`, read as `<transaction type>-<document number>` (UNVERIFIED; see `po_document_number`).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from mlconnector.systems.intacct.functions.base import new_controlid
from mlconnector.systems.intacct.functions.legacy import (
    Amount,
    exchange_rate,
    optional,
    optional_date,
    require_text,
    split_date,
)
from mlconnector.systems.intacct.xml import Element, el


@dataclass(frozen=True)
class PoTransactionLine:
    """One `<potransitem>`: an item and a quantity (price optional: the item's price applies)."""

    item_id: str
    quantity: Amount
    item_desc: str | None = None
    taxable: bool | None = None
    warehouse_id: str | None = None
    unit: str | None = None
    price: Amount | None = None
    location_id: str | None = None
    department_id: str | None = None
    memo: str | None = None
    form1099: bool | None = None
    project_id: str | None = None
    customer_id: str | None = None
    vendor_id: str | None = None
    employee_id: str | None = None
    class_id: str | None = None
    contract_id: str | None = None
    billable: bool | None = None

    def __post_init__(self) -> None:
        require_text(self.item_id, "a PO line item_id")
        if isinstance(self.quantity, float) or isinstance(self.price, float):
            raise TypeError("quantities and prices must be Decimal, int or str, not float")

    def to_element(self) -> Element:
        return el(
            "potransitem",
            el("itemid", text=self.item_id),
            *optional("itemdesc", self.item_desc),
            *optional("taxable", self.taxable),
            *optional("warehouseid", self.warehouse_id),
            el("quantity", text=self.quantity),
            *optional("unit", self.unit),
            *optional("price", self.price),
            *optional("locationid", self.location_id),
            *optional("departmentid", self.department_id),
            *optional("memo", self.memo),
            *optional("form1099", self.form1099),
            *optional("projectid", self.project_id),
            *optional("customerid", self.customer_id),
            *optional("vendorid", self.vendor_id),
            *optional("employeeid", self.employee_id),
            *optional("classid", self.class_id),
            *optional("contractid", self.contract_id),
            *optional("billable", self.billable),
        )


@dataclass(frozen=True)
class CreatePoTransaction:
    """`transaction_type` is the transaction definition (DOCPARID), e.g. "Purchase Order"."""

    transaction_type: str
    date_created: date
    vendor_id: str
    date_due: date
    lines: tuple[PoTransactionLine, ...]
    date_posted: date | None = None
    created_from: str | None = None
    document_no: str | None = None
    reference_no: str | None = None
    vendor_doc_no: str | None = None
    term_name: str | None = None
    message: str | None = None
    shipping_method: str | None = None
    return_to_contact: str = ""
    pay_to_contact: str = ""
    supdoc_id: str | None = None
    external_id: str | None = None
    base_currency: str | None = None
    currency: str | None = None
    exchange_rate_date: date | None = None
    exchange_rate_type: str | None = None
    exchange_rate: Amount | None = None
    state: str | None = None
    controlid: str = field(default_factory=new_controlid)

    def __post_init__(self) -> None:
        require_text(self.transaction_type, "create_potransaction transaction_type")
        require_text(self.vendor_id, "create_potransaction vendor_id")
        if not self.lines:
            raise ValueError("create_potransaction needs at least one line")

    def to_element(self) -> Element:
        return el(
            "create_potransaction",
            el("transactiontype", text=self.transaction_type),
            split_date("datecreated", self.date_created),
            *optional_date("dateposted", self.date_posted),
            *optional("createdfrom", self.created_from),
            el("vendorid", text=self.vendor_id),
            *optional("documentno", self.document_no),
            *optional("referenceno", self.reference_no),
            *optional("vendordocno", self.vendor_doc_no),
            *optional("termname", self.term_name),
            split_date("datedue", self.date_due),
            *optional("message", self.message),
            *optional("shippingmethod", self.shipping_method),
            # The SDK always writes both contacts, empty when not set.
            el("returnto", el("contactname", text=self.return_to_contact)),
            el("payto", el("contactname", text=self.pay_to_contact)),
            *optional("supdocid", self.supdoc_id),
            *optional("externalid", self.external_id),
            *exchange_rate(
                self.base_currency,
                self.currency,
                self.exchange_rate_date,
                self.exchange_rate_type,
                self.exchange_rate,
            ),
            *optional("state", self.state),
            el("potransitems", *(line.to_element() for line in self.lines)),
        )
