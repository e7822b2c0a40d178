"""An Intacct object as an engine Reader: incremental pages on WHENMODIFIED, re-reads by key for replay.

Paging is by keyset, not offset: each page asks for rows after the last (WHENMODIFIED, RECORDNO) read. With
offsets, a record edited while a run pages moves to the end of the order and shifts every later row one place
back, so one row would be skipped; with a keyset nothing shifts. The first page starts `overlap_seconds` before
the cursor (see incremental.py for why the cursor is Intacct's own raw timestamp).
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from itertools import batched
from typing import Any

from mlconnector.engine.records import Page, SourceRecord
from mlconnector.systems.intacct.client import IntacctClient
from mlconnector.systems.intacct.functions.filters import (
    Filter,
    and_,
    equalto,
    greaterthan,
    in_,
    or_,
)
from mlconnector.systems.intacct.functions.query import MAX_QUERY_PAGESIZE, Order, Query
from mlconnector.systems.intacct.incremental import WHENMODIFIED, max_timestamp, whenmodified_filter

RECORDNO = "RECORDNO"
KEYS_PER_QUERY = 100


@dataclass
class IntacctReader:
    client: IntacctClient
    object: str
    fields: Sequence[str]
    key_field: str
    overlap_seconds: int = 300
    pagesize: int = MAX_QUERY_PAGESIZE

    def __post_init__(self) -> None:
        missing = {RECORDNO, WHENMODIFIED, self.key_field} - set(self.fields)
        if missing:
            raise ValueError(f"{self.object} reader must select {', '.join(sorted(missing))}")

    def pages(self, since: str | None) -> Iterator[Page]:
        window = whenmodified_filter(since, self.overlap_seconds)
        after: tuple[str, str] | None = None
        cursor = since
        while True:
            records, remaining = self._query(_and_maybe(window, _after(after)))
            if not records:
                return
            cursor = max_timestamp(records, cursor)
            yield Page([self._record(r) for r in records], cursor)
            if remaining <= 0:
                return
            last = records[-1]
            after = (str(last[WHENMODIFIED]), str(last[RECORDNO]))

    def fetch(self, keys: Sequence[str]) -> list[SourceRecord]:
        found: list[SourceRecord] = []
        for chunk in batched(keys, KEYS_PER_QUERY, strict=False):
            records, _ = self._query(in_(self.key_field, chunk))
            found.extend(self._record(r) for r in records)
        return found

    def _query(self, where: Filter | None) -> tuple[list[dict[str, Any]], int]:
        query = Query(
            self.object,
            tuple(self.fields),
            where,
            (Order(WHENMODIFIED), Order(RECORDNO)),
            show_private=True,
            pagesize=self.pagesize,
        )
        [result] = self.client.execute([query], write=False)
        result.raise_for_status()
        remaining = result.data.numremaining if result.data is not None else 0
        return result.records, remaining or 0

    def _record(self, row: dict[str, Any]) -> SourceRecord:
        key = row.get(self.key_field) or f"{RECORDNO}:{row.get(RECORDNO)}"
        return SourceRecord(str(key), row)


def _after(last: tuple[str, str] | None) -> Filter | None:
    """Rows strictly after (WHENMODIFIED, RECORDNO) in the read order."""
    if last is None:
        return None
    when, recordno = last
    return or_(greaterthan(WHENMODIFIED, when), and_(equalto(WHENMODIFIED, when), greaterthan(RECORDNO, int(recordno))))


def _and_maybe(*filters: Filter | None) -> Filter | None:
    present = [f for f in filters if f is not None]
    if not present:
        return None
    return present[0] if len(present) == 1 else and_(*present)
