"""Legacy `create_apadjustment`: an AP credit or debit memo against a vendor.

Element order follows the PHP SDK (ApAdjustmentCreate / ApAdjustmentLineCreate). The sign
convention (negative = credit memo) is UNVERIFIED. The answer is `<key>` with the new record's
key (RECORDNO per the reference; UNVERIFIED).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import Literal

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
class ApAdjustmentLine:
    """One `<lineitem>`: a GL account number or an AP account label, and an amount."""

    amount: Amount
    gl_account_no: str | None = None
    account_label: str | None = None
    offset_gl_account_no: str | None = None
    allocation_id: str | None = None
    memo: str | None = None
    location_id: str | None = None
    department_id: str | None = None
    project_id: str | None = None
    customer_id: str | None = None
    vendor_id: str | None = None
    employee_id: str | None = None
    item_id: str | None = None
    class_id: str | None = None
    contract_id: str | None = None
    warehouse_id: str | None = None

    def __post_init__(self) -> None:
        if bool(self.gl_account_no) == bool(self.account_label):
            raise ValueError("an AP adjustment line needs exactly one of gl_account_no and account_label")
        if isinstance(self.amount, float):
            raise TypeError("amounts must be Decimal, int or str, not float")

    def to_element(self) -> Element:
        account = (
            el("accountlabel", text=self.account_label)
            if self.account_label
            else el("glaccountno", text=self.gl_account_no)
        )
        return el(
            "lineitem",
            account,
            *optional("offsetglaccountno", self.offset_gl_account_no),
            el("amount", text=self.amount),
            *optional("allocationid", self.allocation_id),
            *optional("memo", self.memo),
            *optional("locationid", self.location_id),
            *optional("departmentid", self.department_id),
            *optional("projectid", self.project_id),
            *optional("customerid", self.customer_id),
            *optional("vendorid", self.vendor_id),
            *optional("employeeid", self.employee_id),
            *optional("itemid", self.item_id),
            *optional("classid", self.class_id),
            *optional("contractid", self.contract_id),
            *optional("warehouseid", self.warehouse_id),
        )


@dataclass(frozen=True)
class CreateApAdjustment:
    """Give it a deterministic controlid (see `controlids`): it is a write."""

    vendor_id: str
    date_created: date
    lines: tuple[ApAdjustmentLine, ...]
    date_posted: date | None = None
    batch_key: str | None = None
    adjustment_no: str | None = None
    action: Literal["Draft", "Submit"] | None = None
    bill_no: str | None = None
    description: str | None = None
    external_id: str | None = None
    base_currency: str | None = None
    currency: str | None = None
    exchange_rate_date: date | None = None
    exchange_rate_type: str | None = None
    exchange_rate: Amount | None = None
    no_gl: bool | None = None
    controlid: str = field(default_factory=new_controlid)

    def __post_init__(self) -> None:
        require_text(self.vendor_id, "create_apadjustment vendor_id")
        if not self.lines:
            raise ValueError("create_apadjustment needs at least one line")

    def to_element(self) -> Element:
        return el(
            "create_apadjustment",
            el("vendorid", text=self.vendor_id),
            split_date("datecreated", self.date_created),
            *optional_date("dateposted", self.date_posted),
            *optional("batchkey", self.batch_key),
            *optional("adjustmentno", self.adjustment_no),
            *optional("action", self.action),
            *optional("billno", self.bill_no),
            *optional("description", self.description),
            *optional("externalid", self.external_id),
            *exchange_rate(
                self.base_currency,
                self.currency,
                self.exchange_rate_date,
                self.exchange_rate_type,
                self.exchange_rate,
            ),
            *optional("nogl", self.no_gl),
            el("apadjustmentitems", *(line.to_element() for line in self.lines)),
        )
