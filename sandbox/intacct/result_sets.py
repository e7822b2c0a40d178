"""readByQuery result sets that readMore continues (by resultId, or by object name).

The matching RECORDNOs are frozen when readByQuery runs; readMore returns the current version of
each remaining record. UNVERIFIED: resultId lifetime and scope (per company here, last 50 kept).
"""

from __future__ import annotations

import secrets
import threading
from collections import OrderedDict
from dataclasses import dataclass, field

_KEEP = 50


@dataclass
class ResultSet:
    result_id: str
    company_id: str
    object_name: str
    fields: tuple[str, ...]
    recordnos: list[int] = field(repr=False)
    pagesize: int
    position: int = 0
    all_fields: bool = False  # asked for with "*" (decides how related fields are rendered)

    @property
    def total(self) -> int:
        return len(self.recordnos)

    def next_page(self) -> list[int]:
        page = self.recordnos[self.position : self.position + self.pagesize]
        self.position += len(page)
        return page

    @property
    def remaining(self) -> int:
        return max(0, self.total - self.position)


class ResultSetCache:
    def __init__(self) -> None:
        self._sets: OrderedDict[str, ResultSet] = OrderedDict()
        self._lock = threading.Lock()

    def create(
        self,
        company_id: str,
        object_name: str,
        fields: tuple[str, ...],
        recordnos: list[int],
        pagesize: int,
        *,
        all_fields: bool = False,
    ) -> ResultSet:
        result = ResultSet(
            secrets.token_hex(12), company_id.upper(), object_name, fields, recordnos, pagesize, all_fields=all_fields
        )
        with self._lock:
            self._sets[result.result_id] = result
            while len(self._sets) > _KEEP:
                self._sets.popitem(last=False)
        return result

    def get(self, company_id: str, result_id: str) -> ResultSet | None:
        with self._lock:
            result = self._sets.get(result_id)
        return result if result is not None and result.company_id == company_id.upper() else None

    def latest_for(self, company_id: str, object_name: str) -> ResultSet | None:
        with self._lock:
            candidates = [
                r for r in self._sets.values() if r.company_id == company_id.upper() and r.object_name == object_name
            ]
        return candidates[-1] if candidates else None

    def discard(self, result_id: str) -> None:
        with self._lock:
            self._sets.pop(result_id, None)
