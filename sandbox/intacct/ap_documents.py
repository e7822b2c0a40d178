"""Rules shared by AP documents (bills, adjustments, purchasing transactions): the vendor they are
for, currencies, references from lines (GL accounts, dimensions, items), money and numbering."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from decimal import Decimal, InvalidOperation

from sandbox.intacct.context import FunctionContext
from sandbox.intacct.errors import (
    IntacctError,
    invalid_value,
    required_field,
    vendor_not_found,
    vendor_on_hold,
)
from sandbox.intacct.store import Record

# Line fields that name a record of another object, and that object.
REFERENCES: Mapping[str, str] = {
    "LOCATIONID": "LOCATION",
    "DEPARTMENTID": "DEPARTMENT",
    "CLASSID": "CLASS",
    "PROJECTID": "PROJECT",
    "CUSTOMERID": "CUSTOMER",
    "VENDORID": "VENDOR",
    "ITEMID": "ITEM",
}
_CENT = Decimal("0.01")
# AP bills' RECORD_URL, the link to the bill in the Intacct UI. UNVERIFIED shape: live values are opaque
# `https://www.intacct.com/ia/acct/ur.phtml?.r=<token>` links; the sandbox derives the token from RECORDNO.
RECORD_URL_FORMAT = "https://www.intacct.com/ia/acct/ur.phtml?.r=sim-{object}-{recordno}"
# UNVERIFIED: MODULEKEY of documents owned by Accounts Payable.
AP_MODULEKEY = "3.AP"


def record_url(object_name: str, recordno: str) -> str:
    return RECORD_URL_FORMAT.format(object=object_name.lower(), recordno=recordno)


def check_vendor(ctx: FunctionContext, label: str, vendor_id: str) -> tuple[Record | None, list[IntacctError]]:
    """The vendor a document is for: required, must exist and must not be on hold."""
    if not vendor_id:
        return None, [required_field(label, "VENDORID")]
    vendor = ctx.store.find("VENDOR", vendor_id)
    if vendor is None:
        return None, [vendor_not_found(ctx.config.vendor_not_found_errorno, vendor_id)]
    if vendor.get("ONHOLD") == "true":
        return vendor, [vendor_on_hold(ctx.config.vendor_on_hold_errorno, vendor_id)]
    return vendor, []


def check_currencies(ctx: FunctionContext, values: Mapping[str, str]) -> list[IntacctError]:
    known = ctx.config.currencies
    return [
        invalid_value(name, values[name], "a currency of the company: " + ", ".join(known))
        for name in ("BASECURR", "CURRENCY")
        if values.get(name) and values[name] not in known
    ]


def check_references(ctx: FunctionContext, values: Mapping[str, str]) -> list[IntacctError]:
    """Every dimension/item id given must name an existing record."""
    errors: list[IntacctError] = []
    for name, object_name in REFERENCES.items():
        value = values.get(name, "")
        if value and ctx.store.find(object_name, value) is None:
            errors.append(invalid_value(name, value, f"no such {ctx.store.definition(object_name).label}"))
    return errors


def check_account(ctx: FunctionContext, label: str, account_no: str) -> tuple[Record | None, list[IntacctError]]:
    if not account_no:
        return None, [required_field(label, "ACCOUNTNO")]
    account = ctx.store.find("GLACCOUNT", account_no)
    if account is None:
        return None, [invalid_value("ACCOUNTNO", account_no, "no such GL Account")]
    return account, []


def parse_amount(
    label: str, name: str, text: str, errors: list[IntacctError], *, required: bool = True
) -> Decimal | None:
    """A decimal value; a missing (when required) or malformed one adds an error and gives None."""
    if not text:
        if required:
            errors.append(required_field(label, name))
        return None
    try:
        value = Decimal(text)
    except InvalidOperation:
        value = Decimal("NaN")
    if not value.is_finite():
        errors.append(invalid_value(name, text, "a decimal number like 1000.00"))
        return None
    return value


def money(value: Decimal) -> str:
    return str(value.quantize(_CENT))


def next_number(prefix: str, start: int, taken: Callable[[str], bool]) -> str:
    """The first free ``<prefix><number:05d>`` from ``start`` (document sequencing)."""
    number = start
    while taken(candidate := f"{prefix}{number:05d}"):
        number += 1
    return candidate


def find_document(ctx: FunctionContext, object_name: str, **match: str) -> Record | None:
    """A document by several fields (bills are unique per RECORDID + VENDORID, not by one key)."""
    return next(
        (record for record in ctx.store.all(object_name) if all(record.get(k) == v for k, v in match.items())),
        None,
    )
