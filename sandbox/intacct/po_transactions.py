"""Legacy ``create_potransaction`` (reference §7.5): a purchasing transaction (PODOCUMENT) with lines.

Rules: a known transaction definition, vendor exists and is not on hold, valid dates, a document
number (assigned when document sequencing is on) unique per definition, ``createdfrom`` naming an
existing document, known currencies, at least one ``potransitem`` with an existing active item and
a quantity (the price defaults to the item's standard cost). Answer: ``<key>`` formatted by
``po_key_format`` (UNVERIFIED: "<type>-<docno>"), which is also the stored DOCID.
"""

from __future__ import annotations

from decimal import Decimal
from typing import TYPE_CHECKING

from sandbox.intacct.ap_documents import (
    check_currencies,
    check_references,
    check_vendor,
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

FUNCTION = "create_potransaction"
SEQUENCE = steps(
    "transactiontype! datecreated! dateposted createdfrom vendorid! documentno referenceno vendordocno termname "
    "datedue message shippingmethod returnto payto supdocid externalid basecurr currency exchratedate "
    "exchratetype|exchrate customfields state potransitems! subtotals"
)
LINE_SEQUENCE = steps(
    "itemid! itemdesc taxable warehouseid quantity! unit price overridetaxamount tax locationid departmentid memo "
    "itemdetails form1099 customfields projectid customerid vendorid employeeid classid contractid billable"
)
STATES = frozenset({"Draft", "Pending"})  # UNVERIFIED: the states a create may ask for
_LINE_FIELDS = {
    "itemid": "ITEMID",
    "itemdesc": "ITEMDESC",
    "unit": "UNIT",
    "locationid": "LOCATIONID",
    "departmentid": "DEPARTMENTID",
    "memo": "MEMO",
    "projectid": "PROJECTID",
    "customerid": "CUSTOMERID",
    "vendorid": "VENDORID",
    "classid": "CLASSID",
}
_UNSIMULATED = ("customfields", "subtotals")
_UNSIMULATED_LINE = (
    "warehouseid", "overridetaxamount", "tax", "itemdetails", "customfields", "employeeid", "contractid",
)  # fmt: skip


def _line(ctx: FunctionContext, number: int, item: Element) -> tuple[Record, Decimal, list[IntacctError]]:
    label = f"PO line {number}"
    found = read_sequence(item, LINE_SEQUENCE)
    refuse_unsimulated(found, _UNSIMULATED_LINE, FUNCTION)
    values = {field: text(found, tag) for tag, field in _LINE_FIELDS.items() if text(found, tag)}
    errors = check_references(ctx, values)
    stocked = ctx.store.find("ITEM", values.get("ITEMID", ""))
    if stocked is not None and stocked.get("STATUS") != "active":
        errors.append(invalid_value("itemid", values["ITEMID"], "the item is inactive"))
    quantity = parse_amount(label, "quantity", text(found, "quantity"), errors)
    if quantity is not None and quantity <= 0:
        errors.append(invalid_value("quantity", text(found, "quantity"), "a quantity above zero"))
    default_price = stocked.get("STANDARD_COST", "0") if stocked is not None else "0"
    price = parse_amount(label, "price", text(found, "price") or default_price, errors)
    if quantity is None or price is None:
        return values, Decimal(0), errors
    total = quantity * price
    values.update({"QUANTITY": str(quantity), "PRICE": str(price), "TOTAL": money(total)})
    if stocked is not None:
        values.setdefault("ITEMDESC", stocked.get("NAME", ""))
        values.setdefault("UNIT", stocked.get("UNIT", ""))
    return values, total, errors


def _document_number(ctx: FunctionContext, doc_type: str, given: str) -> tuple[str, list[IntacctError]]:
    def docid(docno: str) -> str:
        return ctx.config.po_key_format.format(type=doc_type, docno=docno)

    if not given:
        if not ctx.config.po_document_sequencing:
            return "", [required_field("Purchasing transaction", "documentno")]
        start = ctx.store.count("PODOCUMENT") + 1
        return next_number("", start, lambda n: ctx.store.find("PODOCUMENT", docid(n)) is not None), []
    if ctx.store.find("PODOCUMENT", docid(given)) is not None:
        return given, [already_exists(ctx.config.duplicate_document_errorno, "Purchasing transaction", docid(given))]
    return given, []


def _header(ctx: FunctionContext, found: dict[str, Element], errors: list[IntacctError]) -> dict[str, str]:
    doc_type = text(found, "transactiontype")
    if doc_type not in ctx.config.po_transaction_types:
        choices = ", ".join(ctx.config.po_transaction_types)
        errors.append(invalid_value("transactiontype", doc_type, f"a transaction definition: {choices}"))
    state = text(found, "state") or "Pending"
    if state not in STATES:
        errors.append(invalid_value("state", state, "Draft or Pending"))
    created_from = text(found, "createdfrom")
    if created_from and ctx.store.find("PODOCUMENT", created_from) is None:
        errors.append(invalid_value("createdfrom", created_from, "no such purchasing transaction"))
    docno, docno_errors = _document_number(ctx, doc_type, text(found, "documentno"))
    errors += docno_errors
    return {
        "DOCPARID": doc_type,
        "DOCNO": docno,
        "DOCID": ctx.config.po_key_format.format(type=doc_type, docno=docno),
        "STATE": state,
        "VENDORID": text(found, "vendorid"),
        "PONUMBER": text(found, "referenceno"),
        "VENDORDOCNO": text(found, "vendordocno"),
        "TERMNAME": text(found, "termname"),
        "MESSAGE": text(found, "message"),
        "WHENCREATED": legacy_date(found, "datecreated", errors),
        "WHENPOSTED": legacy_date(found, "dateposted", errors),
        "WHENDUE": legacy_date(found, "datedue", errors),
        "BASECURR": text(found, "basecurr"),
        "CURRENCY": text(found, "currency"),
        "EXTERNALID": text(found, "externalid"),
        "CREATEDFROM": created_from,
    }


def run_create_potransaction(ctx: FunctionContext, call: FunctionCall) -> str:
    found = read_sequence(call.element, SEQUENCE)
    refuse_unsimulated(found, _UNSIMULATED, FUNCTION)
    errors: list[IntacctError] = []
    header = _header(ctx, found, errors)
    vendor, vendor_errors = check_vendor(ctx, "Purchasing transaction", header["VENDORID"])
    errors += vendor_errors + check_currencies(ctx, header)
    items = children(found, "potransitems", "potransitem")
    if not items:
        errors.append(required_field("Purchasing transaction", "potransitems/potransitem (at least one line)"))
    lines: list[Record] = []
    total = Decimal(0)
    for number, item in enumerate(items, start=1):
        line, amount, line_errors = _line(ctx, number, item)
        lines.append(line)
        total += amount
        errors += line_errors
    if errors or vendor is None:
        raise FunctionFailure(*errors, could_not("create", "purchasing transaction"))
    stamp = ctx.now_stamp()
    document = ctx.store.insert(
        "PODOCUMENT",
        {
            **header,
            "CUSTVENDID": header["VENDORID"],
            "VENDORNAME": vendor.get("NAME", ""),
            "CURRENCY": header["CURRENCY"] or vendor.get("CURRENCY") or "USD",
            "BASECURR": header["BASECURR"] or "USD",
            "SUBTOTAL": money(total),
            "TOTAL": money(total),
            "WHENMODIFIED": stamp,
        },
    )
    for number, line in enumerate(lines, start=1):
        ctx.store.insert(
            "PODOCUMENTENTRY",
            {
                **line,
                "DOCHDRNO": document["RECORDNO"],
                "LINE_NO": str(number),
                "WHENCREATED": stamp,
                "WHENMODIFIED": stamp,
            },
        )
    return element("key", document["DOCID"])
