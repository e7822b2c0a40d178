"""Legacy ``create_apadjustment`` (reference §7.4): an AP credit/debit memo with its lines.

Rules: vendor exists and is not on hold, a valid ``datecreated``, at least one ``lineitem`` with an
existing ``glaccountno`` and an ``amount``, known currencies, a unique adjustment number per vendor
(assigned when document sequencing is on), and a ``billno`` naming a bill of the same vendor
(UNVERIFIED, a knob). Answer: ``<key>`` = RECORDNO or the adjustment number (UNVERIFIED, a knob).
"""

from __future__ import annotations

from decimal import Decimal
from typing import TYPE_CHECKING

from sandbox.intacct.ap_documents import (
    check_account,
    check_currencies,
    check_references,
    check_vendor,
    find_document,
    money,
    next_number,
    parse_amount,
)
from sandbox.intacct.context import FunctionContext
from sandbox.intacct.envelope import FunctionCall
from sandbox.intacct.errors import (
    FunctionFailure,
    IntacctError,
    already_exists,
    could_not,
    invalid_value,
    required_field,
)
from sandbox.intacct.legacy_xml import children, legacy_date, read_sequence, refuse_unsimulated, steps, text
from sandbox.intacct.store import Record
from sandbox.intacct.xmlwrite import element

if TYPE_CHECKING:
    from xml.etree.ElementTree import Element  # type only: parsing goes through defusedxml

FUNCTION = "create_apadjustment"
SEQUENCE = steps(
    "vendorid! datecreated! dateposted batchkey adjustmentno action billno description externalid basecurr "
    "currency exchratedate exchratetype|exchrate nogl customfields apadjustmentitems!"
)
LINE_SEQUENCE = steps(
    "glaccountno|accountlabel! offsetglaccountno amount! allocationid memo locationid departmentid key totalpaid "
    "totaldue customfields projectid customerid vendorid employeeid itemid classid contractid warehouseid"
)
ACTIONS = frozenset({"Draft", "Submit"})
_LINE_FIELDS = {
    "glaccountno": "ACCOUNTNO",
    "amount": "TRX_AMOUNT",
    "memo": "ENTRYDESCRIPTION",
    "locationid": "LOCATIONID",
    "departmentid": "DEPARTMENTID",
    "projectid": "PROJECTID",
    "customerid": "CUSTOMERID",
    "vendorid": "VENDORID",
    "itemid": "ITEMID",
    "classid": "CLASSID",
}
_UNSIMULATED = ("batchkey", "customfields")
_UNSIMULATED_LINE = (
    "accountlabel", "offsetglaccountno", "allocationid", "key", "totalpaid", "totaldue", "customfields",
    "employeeid", "contractid", "warehouseid",
)  # fmt: skip


def _line(ctx: FunctionContext, number: int, item: Element) -> tuple[Record, Decimal, list[IntacctError]]:
    label = f"AP Adjustment line {number}"
    found = read_sequence(item, LINE_SEQUENCE)
    refuse_unsimulated(found, _UNSIMULATED_LINE, FUNCTION)
    values = {field: text(found, tag) for tag, field in _LINE_FIELDS.items() if text(found, tag)}
    account, errors = check_account(ctx, label, values.get("ACCOUNTNO", ""))
    errors += check_references(ctx, values)
    amount = parse_amount(label, "amount", values.get("TRX_AMOUNT", ""), errors)
    if amount is not None:
        values["TRX_AMOUNT"] = money(amount)
    if account is not None:
        values["ACCOUNTTITLE"] = account.get("TITLE", "")
    return values, amount or Decimal(0), errors


def _number(ctx: FunctionContext, header: dict[str, str]) -> list[IntacctError]:
    number, vendor_id = header.get("RECORDID", ""), header["VENDORID"]
    if not number:
        if ctx.config.adjustment_document_sequencing:
            header["RECORDID"] = next_number(
                "ADJ-",
                ctx.store.count("APADJUSTMENT") + 1,
                lambda n: find_document(ctx, "APADJUSTMENT", RECORDID=n) is not None,
            )
        return []
    if find_document(ctx, "APADJUSTMENT", RECORDID=number, VENDORID=vendor_id) is not None:
        label = f"{number} (vendor {vendor_id})"
        return [already_exists(ctx.config.duplicate_document_errorno, "AP Adjustment", label)]
    return []


def _bill(ctx: FunctionContext, header: dict[str, str]) -> list[IntacctError]:
    bill_no, vendor_id = header.get("DOCNUMBER", ""), header["VENDORID"]
    if not bill_no or not ctx.config.adjustment_billno_must_exist:
        return []
    if find_document(ctx, "APBILL", RECORDID=bill_no, VENDORID=vendor_id) is None:
        return [invalid_value("billno", bill_no, f"no bill with this number for vendor {vendor_id}")]
    return []


def run_create_apadjustment(ctx: FunctionContext, call: FunctionCall) -> str:
    found = read_sequence(call.element, SEQUENCE)
    refuse_unsimulated(found, _UNSIMULATED, FUNCTION)
    errors: list[IntacctError] = []
    header = {
        "VENDORID": text(found, "vendorid"),
        "WHENCREATED": legacy_date(found, "datecreated", errors),
        "WHENPOSTED": legacy_date(found, "dateposted", errors),
        "RECORDID": text(found, "adjustmentno"),
        "DOCNUMBER": text(found, "billno"),
        "DESCRIPTION": text(found, "description"),
        "EXTERNALID": text(found, "externalid"),
        "BASECURR": text(found, "basecurr"),
        "CURRENCY": text(found, "currency"),
    }
    action = text(found, "action")
    if action and action not in ACTIONS:
        errors.append(invalid_value("action", action, "Draft or Submit"))
    vendor, vendor_errors = check_vendor(ctx, "AP Adjustment", header["VENDORID"])
    errors += vendor_errors + check_currencies(ctx, header) + _number(ctx, header) + _bill(ctx, header)
    items = children(found, "apadjustmentitems", "lineitem")
    if not items:
        errors.append(required_field("AP Adjustment", "apadjustmentitems/lineitem (at least one line)"))
    lines: list[Record] = []
    total = Decimal(0)
    for number, item in enumerate(items, start=1):
        line, amount, line_errors = _line(ctx, number, item)
        lines.append(line)
        total += amount
        errors += line_errors
    if errors or vendor is None:
        raise FunctionFailure(*errors, could_not("create", "AP adjustment"))
    posted = action != "Draft"
    stamp = ctx.now_stamp()
    adjustment = ctx.store.insert(
        "APADJUSTMENT",
        {
            **header,
            "STATE": "Posted" if posted else "Draft",
            "VENDORNAME": vendor.get("NAME", ""),
            "CURRENCY": header["CURRENCY"] or vendor.get("CURRENCY") or "USD",
            "BASECURR": header["BASECURR"] or "USD",
            "WHENPOSTED": header["WHENPOSTED"] or (header["WHENCREATED"] if posted else ""),
            "TOTALENTERED": money(total),
            "TOTALDUE": money(total),
            "WHENMODIFIED": stamp,
        },
    )
    for number, line in enumerate(lines, start=1):
        ctx.store.insert(
            "APADJUSTMENTITEM",
            {
                **line,
                "RECORDKEY": adjustment["RECORDNO"],
                "LINE_NO": str(number),
                "VENDORID": line.get("VENDORID") or adjustment["VENDORID"],
                "WHENCREATED": stamp,
                "WHENMODIFIED": stamp,
            },
        )
    key = adjustment["RECORDNO"] if ctx.config.adjustment_key == "RECORDNO" else adjustment.get("RECORDID", "")
    return element("key", key)
