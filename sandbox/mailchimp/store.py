"""The simulator's in-memory account: audiences (merge fields, members, forgotten addresses, tags), e-commerce
stores (customers, products with variants, orders with lines) and batches. One re-entrant lock guards it all;
every operation holds it while it reads or writes."""

from __future__ import annotations

import copy
import threading
from dataclasses import dataclass, field
from datetime import datetime

from sandbox.mailchimp.values import Json


@dataclass
class Audience:
    id: str
    web_id: int
    name: str
    date_created: str
    merge_fields: dict[int, Json] = field(default_factory=dict)  # merge_id -> merge field
    members: dict[str, Json] = field(default_factory=dict)  # subscriber hash -> member (archived ones too)
    forgotten: dict[str, str] = field(default_factory=dict)  # hash -> address, permanently deleted
    tag_ids: dict[str, int] = field(default_factory=dict)  # tag name -> id
    next_merge_id: int = 1

    def tag_id(self, name: str) -> int:
        if name not in self.tag_ids:
            self.tag_ids[name] = 10_000 + len(self.tag_ids) + 1
        return self.tag_ids[name]

    def merge_field_by_tag(self, tag: str) -> Json | None:
        return next((item for item in self.merge_fields.values() if item["tag"] == tag), None)


@dataclass
class Shop:
    """An e-commerce store (``store`` is this module's name for the whole database)."""

    record: Json
    customers: dict[str, Json] = field(default_factory=dict)
    products: dict[str, Json] = field(default_factory=dict)  # product["variants"]: dict id -> variant
    orders: dict[str, Json] = field(default_factory=dict)  # order["lines"]: dict id -> line


@dataclass
class Batch:
    id: str
    operations: list[Json]
    submitted_at: datetime
    status: str = "pending"
    stage_since: datetime | None = None  # when the current status began (clock progress)
    completed_at: datetime | None = None
    results: list[Json] = field(default_factory=list)  # {status_code, operation_id, response}
    errored: int = 0
    archive: bytes | None = None
    expired: bool = False


@dataclass
class Database:
    lists: dict[str, Audience] = field(default_factory=dict)
    stores: dict[str, Shop] = field(default_factory=dict)
    batches: dict[str, Batch] = field(default_factory=dict)
    lock: threading.RLock = field(default_factory=threading.RLock)
    batch_counter: int = 0

    def next_batch_number(self) -> int:
        with self.lock:
            self.batch_counter += 1
            return self.batch_counter

    def snapshot[T](self, value: T) -> T:
        """A deep copy taken under the lock, so a test never changes the simulator's state by accident."""
        with self.lock:
            return copy.deepcopy(value)
