"""Vendors with their financial context, as an engine Reader: each page's vendors get OPEN_BALANCE (the sum of
their bills' TOTALDUE) and LAST_PAYMENT (their latest AP payment's date), one query per 100 vendors per object
(a first sync: one scan of each object instead).

A bill or payment that changes without its vendor changing moves the vendor's balance or last payment too: after
the changed vendors, a later run reads the bills and payments changed in the same window (two queries, VENDORID
only) and re-reads those vendors, whose organizations are then written if their figures moved (hash-skip: only
then).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass, replace
from datetime import datetime
from decimal import Decimal, InvalidOperation
from itertools import batched
from typing import Any, ClassVar

from mlconnector.engine.records import Page, SourceRecord
from mlconnector.flows.fields import field
from mlconnector.flows.intacct_zendesk.config import LAST_PAYMENT, OPEN_BALANCE
from mlconnector.systems.intacct.client import IntacctClient
from mlconnector.systems.intacct.functions.filters import Filter, in_
from mlconnector.systems.intacct.incremental import whenmodified_filter
from mlconnector.systems.intacct.reader import IntacctReader

VENDORS_PER_QUERY = 100


@dataclass
class VendorSource:
    system: ClassVar[str] = "intacct"
    client: IntacctClient
    reader: IntacctReader

    @property
    def object(self) -> str:
        return self.reader.object

    def pages(self, since: str | None) -> Iterator[Page]:
        totals = _context(self.client, None) if since is None else None
        read: set[str] = set()
        cursor = since
        for page in self.reader.pages(since):
            read.update(record.key for record in page.records)
            cursor = page.cursor or cursor
            yield Page(self._enrich(page.records, totals), page.cursor)
        if since is None:
            return
        moved = _vendors_with_changed_documents(self.client, since, self.reader.overlap_seconds) - read
        for chunk in batched(sorted(moved), VENDORS_PER_QUERY, strict=False):
            yield Page(self._enrich(self.reader.fetch(list(chunk)), None), cursor)

    def fetch(self, keys: Sequence[str]) -> list[SourceRecord]:
        return self._enrich(self.reader.fetch(keys), None)

    def _enrich(
        self, records: Sequence[SourceRecord], scanned: tuple[Mapping[str, Decimal], Mapping[str, str]] | None
    ) -> list[SourceRecord]:
        vendors = [key for r in records if (key := field(r.data, "VENDORID"))]
        balances, payments = scanned or _context(self.client, vendors)
        return [
            replace(
                r,
                data={
                    **r.data,
                    OPEN_BALANCE: float(balances.get(str(field(r.data, "VENDORID")), Decimal(0))),
                    LAST_PAYMENT: payments.get(str(field(r.data, "VENDORID"))),
                },
            )
            for r in records
        ]


def _context(client: IntacctClient, vendors: Sequence[str] | None) -> tuple[dict[str, Decimal], dict[str, str]]:
    """Open balance and last payment date per VENDORID: of these vendors, or (None) of every vendor."""
    filters: list[Filter | None] = (
        [None]
        if vendors is None
        else [in_("VENDORID", chunk) for chunk in batched(sorted(set(vendors)), VENDORS_PER_QUERY, strict=False)]
    )
    balances: dict[str, Decimal] = defaultdict(Decimal)
    payments: dict[str, str] = {}
    for where in filters:
        if vendors is not None and not vendors:
            break
        for row in _rows(client, "APBILL", ("RECORDNO", "VENDORID", "TOTALDUE"), where):
            balances[str(row.get("VENDORID"))] += _decimal(row.get("TOTALDUE"))
        for row in _rows(client, "APPYMT", ("RECORDNO", "VENDORID", "WHENPAID"), where):
            day = _iso_day(row.get("WHENPAID"))
            key = str(row.get("VENDORID"))
            if day is not None and (key not in payments or day > payments[key]):
                payments[key] = day
    return balances, payments


def _vendors_with_changed_documents(client: IntacctClient, since: str, overlap_seconds: int) -> set[str]:
    """The VENDORIDs of the bills and payments changed since the cursor (with the reader's overlap)."""
    window = whenmodified_filter(since, overlap_seconds)
    return {
        str(row.get("VENDORID"))
        for object in ("APBILL", "APPYMT")
        for row in _rows(client, object, ("RECORDNO", "VENDORID"), window)
        if row.get("VENDORID")
    }


def _rows(client: IntacctClient, object: str, fields: Sequence[str], where: Filter | None) -> Iterator[dict[str, Any]]:
    for page in client.query_pages(object, fields, where):
        yield from page.records


def _decimal(value: Any) -> Decimal:
    try:
        return Decimal(str(value or "0"))
    except InvalidOperation:
        return Decimal(0)


def _iso_day(value: Any) -> str | None:
    """Intacct's MM/DD/YYYY as YYYY-MM-DD (what a Zendesk date field takes)."""
    try:
        return datetime.strptime(str(value), "%m/%d/%Y").date().isoformat()
    except ValueError:
        return None
