"""The simulator's database: one table (id -> record) per entity, id counters, one lock."""

from __future__ import annotations

import copy
import threading
from dataclasses import dataclass, field

from sandbox.commerce.values import Record

TABLES = ("orders", "invoices", "creditmemos", "customers", "companies", "purchase_orders")


@dataclass
class Store:
    tables: dict[str, dict[int, Record]] = field(default_factory=lambda: {name: {} for name in TABLES})
    lock: threading.RLock = field(default_factory=threading.RLock)
    _next: dict[str, int] = field(default_factory=dict)

    def table(self, name: str) -> dict[int, Record]:
        return self.tables[name]

    def next_id(self, name: str) -> int:
        """The next id of a table (ids are never reused, like auto-increment columns)."""
        with self.lock:
            current = self._next.get(name, max(self.tables.get(name, {}), default=0) + 1)
            self._next[name] = current + 1
            return current

    def next_address_id(self) -> int:
        return self.next_id("addresses")

    def put(self, name: str, record: Record) -> Record:
        with self.lock:
            self.tables[name][int(record["entity_id"] if "entity_id" in record else record["id"])] = record
        return record

    def get(self, name: str, record_id: int) -> Record | None:
        with self.lock:
            return self.tables[name].get(record_id)

    def snapshot(self, name: str) -> dict[int, Record]:
        """Deep copies, so a test can never change the simulator's state by accident."""
        with self.lock:
            return {key: copy.deepcopy(value) for key, value in sorted(self.tables[name].items())}

    def rows(self, name: str) -> list[Record]:
        """The live records in id order (callers hold ``lock`` and do not mutate)."""
        return [value for _key, value in sorted(self.tables[name].items())]
