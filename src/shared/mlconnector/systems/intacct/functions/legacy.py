"""Building blocks of the legacy object-specific functions (`create_apadjustment`, `create_potransaction`).

Legacy functions use lowercase elements in a fixed schema order, dates split into
`<year>/<month>/<day>`, and answer with a `<key>` instead of `<data>`. Optional elements that are
None are left out, as the SDKs do.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from mlconnector.systems.intacct.xml import Element, Scalar, el

Amount = Decimal | int | str
"""Money and quantities: never float (the XML layer refuses floats too)."""


def split_date(tag: str, value: date) -> Element:
    """`<tag><year>2024</year><month>01</month><day>31</day></tag>` (legacy date format)."""
    return el(
        tag,
        el("year", text=f"{value.year:04d}"),
        el("month", text=f"{value.month:02d}"),
        el("day", text=f"{value.day:02d}"),
    )


def optional(tag: str, value: Scalar | None) -> list[Element]:
    """One element, or none when the value is None."""
    return [] if value is None else [el(tag, text=value)]


def optional_date(tag: str, value: date | None) -> list[Element]:
    return [] if value is None else [split_date(tag, value)]


def exchange_rate(
    base_currency: str | None,
    currency: str | None,
    rate_date: date | None,
    rate_type: str | None,
    rate: Amount | None,
) -> list[Element]:
    """The SDKs' multi-currency section: basecurr, currency, exchratedate, then exchratetype or
    exchrate; an empty `<exchratetype/>` when a currency is given without either."""
    parts = [*optional("basecurr", base_currency), *optional("currency", currency)]
    parts += optional_date("exchratedate", rate_date)
    if rate_type:
        parts.append(el("exchratetype", text=rate_type))
    elif rate is not None:
        parts.append(el("exchrate", text=rate))
    elif base_currency or currency:
        parts.append(el("exchratetype"))
    return parts


def require_text(value: str, what: str) -> str:
    if not value or not value.strip():
        raise ValueError(f"{what} is required")
    return value


def po_document_number(key: str, transaction_type: str) -> str:
    """The document number inside a `create_potransaction` key.

    UNVERIFIED: the key is read as `<transaction type>-<document number>` (hotglue splits it on
    "-"). Stripping the known type prefix keeps document numbers that contain dashes intact."""
    prefix = f"{transaction_type}-"
    if not key.startswith(prefix) or len(key) == len(prefix):
        raise ValueError(f"PO transaction key does not start with {prefix!r}")
    return key[len(prefix) :]
