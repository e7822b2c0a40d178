"""AP bills with their lines, and AP payments with the bills they pay, as engine Readers.

Both wrap an IntacctReader (incremental pages on WHENMODIFIED) and add what the pure mappings need: a bill's
APBILLITEM rows under LINES; a payment's APBILL rows (found through APPYMTDETAIL) under BILLS. A later run asks
for them with one query per 100 keys of a page. A first sync reads every record anyway, so it scans each related
object once instead (one query per 2,000 rows, not one per 100 keys: 26 queries for 20,000 bills' lines instead of
200), keeping only the fields the mappings use. The page's cursor is unchanged: the added rows belong to records
of the same page.
"""

from __future__ import annotations

import dataclasses
from collections import defaultdict
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, replace
from itertools import batched
from typing import Any, ClassVar

from mlconnector.engine.records import Page, SourceRecord
from mlconnector.flows.fields import field
from mlconnector.flows.intacct_mailchimp.commerce_mapping import BILL_SELECT, BILLS, LINE_SELECT, LINES, PAYMENT_SELECT
from mlconnector.systems.intacct.client import IntacctClient
from mlconnector.systems.intacct.functions.filters import in_
from mlconnector.systems.intacct.reader import IntacctReader

KEYS_PER_QUERY = 100


@dataclass
class _Enriched:
    """An IntacctReader whose records get related rows under one key of their data."""

    client: IntacctClient
    reader: IntacctReader
    key: ClassVar[str]
    _scan: bool = dataclasses.field(default=False, init=False, repr=False)
    _scanned: dict[str, dict[str, list[dict[str, Any]]]] = dataclasses.field(
        default_factory=dict, init=False, repr=False
    )

    @property
    def object(self) -> str:
        return self.reader.object

    def pages(self, since: str | None) -> Iterator[Page]:
        self._scan = since is None
        try:
            for page in self.reader.pages(since):
                yield Page(self._enrich(page.records), page.cursor)
        finally:
            self._scan, self._scanned = False, {}

    def fetch(self, keys: Sequence[str]) -> list[SourceRecord]:
        return self._enrich(self.reader.fetch(keys))

    def _enrich(self, records: Sequence[SourceRecord]) -> list[SourceRecord]:
        related = self._related([str(field(r.data, "RECORDNO")) for r in records if field(r.data, "RECORDNO")])
        return [replace(r, data={**r.data, self.key: related.get(str(field(r.data, "RECORDNO")), [])}) for r in records]

    def _related(self, recordnos: Sequence[str]) -> dict[str, list[dict[str, Any]]]:
        raise NotImplementedError

    def _rows(self, object: str, fields: Sequence[str], key: str, values: Iterable[str]) -> Iterator[dict[str, Any]]:
        """The rows of `object` whose `key` is one of `values`: from the first sync's one scan, or by queries."""
        if self._scan:
            if object not in self._scanned:
                self._scanned[object] = _by_key(self.client, object, fields, key)
            table = self._scanned[object]
            for value in values:
                yield from table.get(str(value), ())
            return
        for chunk in batched(sorted(set(values), key=_number), KEYS_PER_QUERY, strict=False):
            for page in self.client.query_pages(object, fields, in_(key, [int(v) for v in chunk])):
                yield from page.records


@dataclass
class BillSource(_Enriched):
    """APBILL records, each with its lines under LINES."""

    system: ClassVar[str] = "intacct"
    key: ClassVar[str] = LINES

    @classmethod
    def of(cls, client: IntacctClient) -> BillSource:
        return cls(client, IntacctReader(client, "APBILL", BILL_SELECT, "RECORDNO"))

    def _related(self, recordnos: Sequence[str]) -> dict[str, list[dict[str, Any]]]:
        lines: dict[str, list[dict[str, Any]]] = defaultdict(list)
        for row in self._rows("APBILLITEM", LINE_SELECT, "RECORDKEY", recordnos):
            lines[str(row.get("RECORDKEY"))].append(row)
        return lines


@dataclass
class PaymentSource(_Enriched):
    """APPYMT records, each with the APBILL rows it pays under BILLS."""

    system: ClassVar[str] = "intacct"
    key: ClassVar[str] = BILLS

    @classmethod
    def of(cls, client: IntacctClient) -> PaymentSource:
        return cls(client, IntacctReader(client, "APPYMT", PAYMENT_SELECT, "RECORDNO"))

    def _related(self, recordnos: Sequence[str]) -> dict[str, list[dict[str, Any]]]:
        details = list(self._rows("APPYMTDETAIL", ("RECORDNO", "PAYMENTKEY", "RECORDKEY"), "PAYMENTKEY", recordnos))
        bills = {
            str(row.get("RECORDNO")): row
            for row in self._rows("APBILL", BILL_SELECT, "RECORDNO", {str(d.get("RECORDKEY")) for d in details})
        }
        paid: dict[str, list[dict[str, Any]]] = defaultdict(list)
        for detail in details:
            bill = bills.get(str(detail.get("RECORDKEY")))
            if bill is not None and bill not in paid[str(detail.get("PAYMENTKEY"))]:
                paid[str(detail.get("PAYMENTKEY"))].append(bill)
        return paid


def _by_key(client: IntacctClient, object: str, fields: Sequence[str], key: str) -> dict[str, list[dict[str, Any]]]:
    """Every row of `object` (only `fields`), grouped by `key`."""
    table: dict[str, list[dict[str, Any]]] = defaultdict(list)
    for page in client.query_pages(object, fields):
        for row in page.records:
            table[str(row.get(key))].append({name: row.get(name) for name in fields})
    return table


def _number(value: str) -> int:
    try:
        return int(value)
    except ValueError:
        return 0
