"""A Commerce entity (orders, invoices, credit memos, customers) as an engine Reader: incremental pages on
`updated_at`, re-reads by key for replay.

Paging is by keyset, not by page number. Sorted on (updated_at, id), each request asks for rows after the last
one read: `updated_at >= t AND (updated_at > t OR id > n)`. That is two filter groups (AND) with an OR inside the
second, which searchCriteria can express. Every request is page 1, so the out-of-range page that repeats the last
page (reference §4) cannot occur, and a record edited while a run pages does not shift later rows back onto a page
already read (with page numbers one row would be skipped, magento2#25001). OR across two fields in one group is
UNVERIFIED for every repository: `paging="page"` falls back to page numbers with the total_count guard of
`CommerceClient.search_pages`. Either way the first request starts `overlap_seconds` before the cursor.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from itertools import batched
from typing import Any, ClassVar, Literal

from mlconnector.engine.records import Page, SourceRecord
from mlconnector.systems.commerce.client import CommerceClient
from mlconnector.systems.commerce.entities import Entity, entity
from mlconnector.systems.commerce.errors import ParseError
from mlconnector.systems.commerce.incremental import UPDATED_AT, max_timestamp, parse_timestamp, since_filter
from mlconnector.systems.commerce.search import MAX_PAGE_SIZE, Filter, SearchCriteria, SearchPage, Sort

Paging = Literal["keyset", "page"]
KEYS_PER_QUERY = 100


@dataclass
class CommerceReader:
    system: ClassVar[str] = "commerce"
    client: CommerceClient
    entity: str | Entity
    key_field: str
    """The natural key of a record (increment_id, email, ...); an item without it is keyed `<id_key>:<id>`."""
    overlap_seconds: int = 300
    page_size: int = MAX_PAGE_SIZE  # fewest requests: Commerce refuses larger pages (reference §4)
    paging: Paging = "keyset"

    @property
    def object(self) -> str:
        """What the audit calls one record of this entity ("order", "credit memo")."""
        return self._spec.label or self._spec.name

    def __post_init__(self) -> None:
        self._spec = entity(self.entity)
        if self.paging not in ("keyset", "page"):
            raise ValueError("paging must be 'keyset' or 'page'")
        SearchCriteria(page_size=self.page_size)  # validates the page size now, not on the first read

    def pages(self, since: str | None) -> Iterator[Page]:
        window = since_filter(since, self.overlap_seconds)
        base = SearchCriteria(
            groups=((window,),) if window is not None else (),
            sort=(Sort(UPDATED_AT), Sort(self._spec.id_filter)),
            page_size=self.page_size,
        )
        source = self._keyset_pages(base) if self.paging == "keyset" else self.client.search_pages(self._spec, base)
        cursor = since
        for page in source:
            if not page.items:
                return
            cursor = max_timestamp(page.items, cursor)
            yield Page([self._record(item) for item in page.items], cursor)

    def fetch(self, keys: Sequence[str]) -> list[SourceRecord]:
        """Current records for these keys: `in` queries of up to 100 keys; a key holding a comma (the `in`
        separator) is looked up on its own with `eq`."""
        plain = [k for k in keys if "," not in k]
        queries = [
            Filter(self.key_field, ",".join(chunk), "in") for chunk in batched(plain, KEYS_PER_QUERY, strict=False)
        ]
        queries += [Filter(self.key_field, k, "eq") for k in keys if "," in k]
        found: list[SourceRecord] = []
        for where in queries:
            criteria = SearchCriteria(page_size=self.page_size).where(where)
            found.extend(self._record(item) for item in self.client.search_all(self._spec, criteria))
        return found

    def _keyset_pages(self, base: SearchCriteria) -> Iterator[SearchPage]:
        after: tuple[str, int] | None = None
        while True:
            criteria = (
                base
                if after is None
                else base.where(Filter(UPDATED_AT, after[0], "gteq")).where(
                    Filter(UPDATED_AT, after[0], "gt"), Filter(self._spec.id_filter, str(after[1]), "gt")
                )
            )
            page = self.client.search(self._spec, criteria)
            yield page
            if not page.items or page.total_count <= len(page.items):
                return
            last = self._position(page.items[-1])
            if after is not None and _order_key(last) <= _order_key(after):
                raise ParseError(
                    f"Commerce search {self._spec.name}: the keyset filter did not advance the read; "
                    "set paging='page' for this store"
                )
            after = last

    def _position(self, item: dict[str, Any]) -> tuple[str, int]:
        updated, ident = item.get(UPDATED_AT), item.get(self._spec.id_key)
        if not isinstance(updated, str) or not str(ident).isdigit():
            raise ParseError(f"Commerce search {self._spec.name}: an item lacks {UPDATED_AT} or {self._spec.id_key}")
        return updated, int(str(ident))

    def _record(self, item: dict[str, Any]) -> SourceRecord:
        key = item.get(self.key_field)
        if key is None or key == "":
            key = f"{self._spec.id_key}:{item.get(self._spec.id_key)}"
        return SourceRecord(str(key), item)


def _order_key(position: tuple[str, int]) -> tuple[object, int]:
    return parse_timestamp(position[0]), position[1]
