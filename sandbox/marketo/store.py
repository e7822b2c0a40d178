"""In-memory companies and leads: records keyed by id, with field indexes built on first use and
kept up to date on every write, so a batch of 300 costs 300 dictionary look-ups.

A record is a plain dict holding only non-null fields plus ``id``, ``createdAt``, ``updatedAt``.
Writes replace the dict, so a caller holding a record keeps a consistent snapshot.
"""

from __future__ import annotations

import threading
from collections.abc import Iterable, Mapping

from sandbox.marketo.values import Value

Record = dict[str, Value]


def index_key(field: str, value: Value, folded: frozenset[str]) -> str | None:
    if value is None:
        return None
    text = str(value)
    return text.lower() if field in folded else text


class Table:
    def __init__(self, first_id: int, folded: Iterable[str] = (), eager: Iterable[str] = ()) -> None:
        self._rows: dict[int, Record] = {}
        self._next_id = first_id
        self._folded = frozenset(folded)  # matched case-insensitively (email)
        self._indexes: dict[str, dict[str, set[int]]] = {}
        for field in eager:
            self._index(field)

    # ---------------------------------------------------------------- reading
    def __len__(self) -> int:
        return len(self._rows)

    def get(self, record_id: int) -> Record | None:
        return self._rows.get(record_id)

    def find(self, field: str, value: Value) -> list[int]:
        """Ids of the records whose ``field`` equals ``value`` (ascending)."""
        if field == "id":
            number = _as_id(value)
            return [number] if number is not None and number in self._rows else []
        key = index_key(field, value, self._folded)
        if key is None:
            return []
        return sorted(self._index(field).get(key, ()))

    def all(self) -> list[Record]:
        return [self._rows[key] for key in sorted(self._rows)]

    # ---------------------------------------------------------------- writing
    def insert(self, values: Mapping[str, Value], now: str) -> Record:
        record_id = self._next_id
        self._next_id += 1
        record: Record = {key: value for key, value in values.items() if value is not None}
        record.update(id=record_id, createdAt=now, updatedAt=now)
        self._rows[record_id] = record
        self._reindex(record_id, {}, record)
        return record

    def update(self, record_id: int, changes: Mapping[str, Value], now: str) -> Record:
        previous = self._rows[record_id]
        record = {**previous, **changes, "id": record_id, "updatedAt": now}
        record = {key: value for key, value in record.items() if value is not None}
        self._rows[record_id] = record
        self._reindex(record_id, previous, record)
        return record

    def delete(self, record_id: int) -> Record:
        previous = self._rows.pop(record_id)
        self._reindex(record_id, previous, {})
        return previous

    def clear(self) -> None:
        self._rows.clear()
        for index in self._indexes.values():
            index.clear()

    # ---------------------------------------------------------------- indexes
    def _index(self, field: str) -> dict[str, set[int]]:
        index = self._indexes.get(field)
        if index is None:
            index = {}
            for record_id, record in self._rows.items():
                key = index_key(field, record.get(field), self._folded)
                if key is not None:
                    index.setdefault(key, set()).add(record_id)
            self._indexes[field] = index
        return index

    def _reindex(self, record_id: int, before: Mapping[str, Value], after: Mapping[str, Value]) -> None:
        for field, index in self._indexes.items():
            old = index_key(field, before.get(field), self._folded)
            new = index_key(field, after.get(field), self._folded)
            if old == new:
                continue
            if old is not None:
                ids = index.get(old)
                if ids is not None:
                    ids.discard(record_id)
                    if not ids:
                        del index[old]
            if new is not None:
                index.setdefault(new, set()).add(record_id)


def _as_id(value: Value) -> int | None:
    if isinstance(value, bool):
        return None
    if isinstance(value, int):
        return value
    if isinstance(value, str) and value.strip().isdigit():
        return int(value.strip())
    return None


class Database:
    """Both tables and the lock every operation holds while it reads or writes them."""

    def __init__(self) -> None:
        self.lock = threading.RLock()
        # Distinct id ranges, so a company id used as a lead id (or back) finds nothing.
        self.companies = Table(first_id=1001, eager=("externalCompanyId",))
        self.leads = Table(first_id=100_001, folded=("email",), eager=("email",))

    def company_by_external_id(self, external_id: Value) -> Record | None:
        ids = self.companies.find("externalCompanyId", external_id)
        return self.companies.get(ids[0]) if ids else None
