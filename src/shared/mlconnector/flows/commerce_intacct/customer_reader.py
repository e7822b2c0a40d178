"""Commerce customers as an engine Reader, each with the B2B company it administers (under COMPANY_KEY).

Pages come from CommerceReader (incremental on updated_at, keyed by the customer id); the companies of a page's
customers are found with one search on super_user_id. A store without B2B has no companies: its customers are
read alone. UNVERIFIED: whether editing a company moves its admin's updated_at; if not, a change made to the
company alone is read with the admin's next change.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from itertools import batched
from typing import Any, ClassVar

from mlconnector.engine.records import Page, SourceRecord
from mlconnector.systems.commerce import (
    MAX_PAGE_SIZE,
    B2BUnavailable,
    CommerceClient,
    CommerceReader,
    Filter,
    SearchCriteria,
)
from mlconnector.systems.commerce.entities import CUSTOMERS

COMPANY_KEY = "__company__"
IDS_PER_SEARCH = 100


@dataclass
class CustomerReader:
    system: ClassVar[str] = "commerce"
    object: ClassVar[str] = "customer"
    client: CommerceClient
    page_size: int = MAX_PAGE_SIZE  # fewest requests: Commerce refuses larger pages (reference §4)
    overlap_seconds: int = 300
    _b2b: bool = field(default=True, init=False)

    def __post_init__(self) -> None:
        self._reader = CommerceReader(
            self.client, CUSTOMERS, key_field="id", overlap_seconds=self.overlap_seconds, page_size=self.page_size
        )

    def pages(self, since: str | None) -> Iterator[Page]:
        for page in self._reader.pages(since):
            yield Page(self._with_companies(page.records), page.cursor)

    def fetch(self, keys: Sequence[str]) -> list[SourceRecord]:
        """Current customers by id (keys that are not ids are not customers: left out)."""
        ids = sorted({k for k in keys if k.isdigit()}, key=int)
        found: list[SourceRecord] = []
        for chunk in batched(ids, IDS_PER_SEARCH, strict=False):
            criteria = SearchCriteria(page_size=IDS_PER_SEARCH).where(
                Filter(CUSTOMERS.id_filter, ",".join(chunk), "in")
            )
            found.extend(SourceRecord(str(c["id"]), c) for c in self.client.search_all(CUSTOMERS, criteria))
        return self._with_companies(found)

    def _with_companies(self, records: Sequence[SourceRecord]) -> list[SourceRecord]:
        companies = self._administered([r.key for r in records])
        return [SourceRecord(r.key, {**r.data, COMPANY_KEY: companies.get(r.key)}) for r in records]

    def _administered(self, customer_ids: list[str]) -> dict[str, dict[str, Any]]:
        ids = [i for i in customer_ids if i.isdigit()]
        if not self._b2b or not ids:
            return {}
        try:
            companies = self.client.companies_administered_by(ids)
        except B2BUnavailable:
            self._b2b = False
            return {}
        return {str(c.get("super_user_id")): c for c in companies}
