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
from typing import Any, ClassVar

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
from mlconnector.systems.intacct.response import Result, sanitized_warning

RECORDNO = "RECORDNO"
KEYS_PER_QUERY = 100


@dataclass
class IntacctReader:
    system: ClassVar[str] = "intacct"
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
            result = self._query(_and_maybe(window, _after(after)))
            records = result.records
            if not records:
                return
            cursor = max_timestamp(records, cursor)
            yield Page(self._records(result), cursor)
            if _remaining(result) <= 0:
                return
            last = records[-1]
            after = (str(last[WHENMODIFIED]), str(last[RECORDNO]))

    def fetch(self, keys: Sequence[str]) -> list[SourceRecord]:
        found: list[SourceRecord] = []
        for chunk in batched(keys, KEYS_PER_QUERY, strict=False):
            found.extend(self._records(self._query(in_(self.key_field, chunk))))
        return found

    def _query(self, where: Filter | None) -> Result:
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
        return result

    def _records(self, result: Result) -> list[SourceRecord]:
        return [self._record(row, result.sanitized_fields(i)) for i, row in enumerate(result.records)]

    def _record(self, row: dict[str, Any], sanitized: tuple[str, ...]) -> SourceRecord:
        key = row.get(self.key_field) or f"{RECORDNO}:{row.get(RECORDNO)}"
        warnings = (sanitized_warning(sanitized),) if sanitized else ()
        return SourceRecord(str(key), row, warnings)


def _remaining(result: Result) -> int:
    return (result.data.numremaining if result.data is not None else 0) or 0


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
