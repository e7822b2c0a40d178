"""APBILL through generic ``create``: the header, its APBILLITEMS/APBILLITEM lines, and the rules of
reference §7.3: vendor exists and is not on hold, RECORDID required unless document sequencing is
on (BL03002128 + BL01001973), unique RECORDID per vendor, WHENCREATED, known currencies, at least
one line, each with an existing ACCOUNTNO and a TRX_AMOUNT.

Stored: STATE Draft (ACTION=Draft) or Posted, TOTALENTERED = TOTALDUE = sum of the lines,
TOTALPAID = TOTALSELECTED = 0, WHENPOSTED defaulting to the bill date when posted (UNVERIFIED),
RECPAYMENTDATE defaulting to WHENDUE and PAYMENTPRIORITY to normal (UNVERIFIED), RECORD_URL and
MODULEKEY as ap_documents makes them (UNVERIFIED), WHENMODIFIED = now.
"""

from __future__ import annotations

from decimal import Decimal
from typing import TYPE_CHECKING

from sandbox.intacct.ap_documents import (
    AP_MODULEKEY,
    REFERENCES,
    check_account,
    check_currencies,
    check_references,
    check_vendor,
    find_document,
    money,
    next_number,
    parse_amount,
    record_url,
)
from sandbox.intacct.context import FunctionContext
from sandbox.intacct.errors import (
    FunctionFailure,
    IntacctError,
    already_exists,
    bill_number_required,
    could_not,
    invalid_value,
    required_field,
    unknown_field,
)
from sandbox.intacct.schema import ObjectDef
from sandbox.intacct.store import Record
from sandbox.intacct.validation import check_required, check_values, flatten

if TYPE_CHECKING:
    from xml.etree.ElementTree import Element  # type only: parsing goes through defusedxml

ACTIONS = frozenset({"Draft", "Submit"})  # UNVERIFIED: other ACTION values
LINES, LINE = "APBILLITEMS", "APBILLITEM"
# Set by the gateway, never taken from the request.
_COMPUTED = frozenset(
    {
        "RECORDNO",
        "RECORD_URL",
        "STATE",
        "VENDORNAME",
        "TOTALENTERED",
        "TOTALSELECTED",
        "TOTALPAID",
        "TOTALDUE",
        "WHENPAID",
        "MODULEKEY",
        "WHENMODIFIED",
    }
)
_LINE_INPUT = frozenset({"ACCOUNTNO", "TRX_AMOUNT", "ENTRYDESCRIPTION", *REFERENCES})


def _header(source: Element) -> tuple[dict[str, str], list[Element]]:
    """Header values (dotted for nested fields) and the line containers."""
    values: dict[str, str] = {}
    containers: list[Element] = []
    for child in source:
        name = child.tag.upper()
        if name == LINES:
            containers.append(child)
        elif len(child):
            values.update(flatten(child, name + "."))
        else:
            values[name] = child.text or ""
    return values, containers


def _bill_number(ctx: FunctionContext, values: dict[str, str]) -> list[IntacctError]:
    record_id, vendor_id = values.get("RECORDID", ""), values.get("VENDORID", "")
    if not record_id:
        if not ctx.config.bill_document_sequencing:
            return [bill_number_required()]
        values["RECORDID"] = next_number(
            "BILL-", ctx.store.count("APBILL") + 1, lambda n: find_document(ctx, "APBILL", RECORDID=n) is not None
        )
        return []
    if ctx.config.reject_duplicate_bill_numbers and find_document(
        ctx, "APBILL", RECORDID=record_id, VENDORID=vendor_id
    ):
        return [already_exists(ctx.config.duplicate_document_errorno, "Bill", f"{record_id} (vendor {vendor_id})")]
    return []


def _line(ctx: FunctionContext, number: int, item: Element) -> tuple[Record, Decimal, list[IntacctError]]:
    label = f"Bill line {number}"
    if item.tag.upper() != LINE:
        return {}, Decimal(0), [unknown_field("Bill", f"{LINES}.{item.tag}")]
    values = flatten(item)
    errors = [unknown_field(label, name) for name in values if name not in _LINE_INPUT]
    account, account_errors = check_account(ctx, label, values.get("ACCOUNTNO", ""))
    errors += account_errors + check_references(ctx, values)
    amount = parse_amount(label, "TRX_AMOUNT", values.get("TRX_AMOUNT", ""), errors)
    if amount is not None:
        values["TRX_AMOUNT"] = money(amount)
    if account is not None:
        values["ACCOUNTTITLE"] = account.get("TITLE", "")
    return values, amount or Decimal(0), errors


def _lines(ctx: FunctionContext, containers: list[Element]) -> tuple[list[Record], Decimal, list[IntacctError]]:
    items = [item for container in containers for item in container]
    if not items:
        return [], Decimal(0), [required_field("Bill", f"{LINES}/{LINE} (at least one line)")]
    lines: list[Record] = []
    total, errors = Decimal(0), []
    for number, item in enumerate(items, start=1):
        line, amount, line_errors = _line(ctx, number, item)
        lines.append(line)
        total += amount
        errors += line_errors
    return lines, total, errors


def create_bill(ctx: FunctionContext, obj: ObjectDef, source: Element) -> Record:
    """Validate and store one ``<APBILL>`` with its lines; FunctionFailure with every problem found."""
    given, containers = _header(source)
    action = given.pop("ACTION", "").strip()
    errors = check_values(obj, given)
    values = {name: value for name, value in given.items() if name not in _COMPUTED}
    if action and action not in ACTIONS:
        errors.append(invalid_value("ACTION", action, "Draft or Submit"))
    errors += check_required(obj, values)
    vendor, vendor_errors = check_vendor(ctx, obj.label, values.get("VENDORID", ""))
    if values.get("VENDORID"):
        errors += vendor_errors
    errors += _bill_number(ctx, values) + check_currencies(ctx, values)
    lines, total, line_errors = _lines(ctx, containers)
    errors += line_errors
    if errors:
        raise FunctionFailure(*errors, could_not("create", "bill"))
    assert vendor is not None  # no errors: the vendor was found
    posted = action != "Draft"
    stamp = ctx.now_stamp()
    bill = ctx.store.insert(
        obj.name,
        {
            **values,
            "STATE": "Posted" if posted else "Draft",
            "VENDORNAME": vendor.get("NAME", ""),
            "CURRENCY": values.get("CURRENCY") or vendor.get("CURRENCY") or "USD",
            "BASECURR": values.get("BASECURR") or "USD",
            "WHENPOSTED": values.get("WHENPOSTED") or (values["WHENCREATED"] if posted else ""),
            "ONHOLD": values.get("ONHOLD") or "false",
            "TOTALENTERED": money(total),
            "TOTALSELECTED": money(Decimal(0)),
            "TOTALPAID": money(Decimal(0)),
            "TOTALDUE": money(total),
            "RECPAYMENTDATE": values.get("RECPAYMENTDATE") or values.get("WHENDUE", ""),  # UNVERIFIED default
            "PAYMENTPRIORITY": values.get("PAYMENTPRIORITY") or "normal",  # UNVERIFIED default
            "MODULEKEY": AP_MODULEKEY,
            "WHENMODIFIED": stamp,
        },
    )
    bill = ctx.store.replace(
        obj.name, int(bill["RECORDNO"]), {**bill, "RECORD_URL": record_url(obj.name, bill["RECORDNO"])}
    )
    for number, line in enumerate(lines, start=1):
        ctx.store.insert(
            LINE,
            {
                **line,
                "RECORDKEY": bill["RECORDNO"],
                "LINE_NO": str(number),
                "VENDORID": line.get("VENDORID") or bill["VENDORID"],
                "WHENCREATED": stamp,
                "WHENMODIFIED": stamp,
            },
        )
    return bill
