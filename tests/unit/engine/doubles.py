"""Test doubles for the engine's two ports: a source held in a dict, a destination held in a dict."""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from typing import Any

from mlconnector.engine.records import Action, MappingError, Outcome, Page, SourceRecord, WriteItem


class SimulatedCrash(BaseException):
    """Stands for the process being killed: not an Exception, so no cleanup code catches it."""


@dataclass
class DictSource:
    """Records keyed by id, each with a modification counter used as the cursor (zero-padded so strings sort)."""

    records: dict[str, dict[str, Any]] = field(default_factory=dict)
    page_size: int = 3
    tick: int = 0
    reads: int = 0

    def put(self, key: str, **data: Any) -> None:
        self.tick += 1
        self.records[key] = {**data, "modified": f"{self.tick:06d}"}

    def pages(self, since: str | None) -> Iterator[Page]:
        rows = sorted(
            ((k, v) for k, v in self.records.items() if since is None or v["modified"] >= since),
            key=lambda kv: (kv[1]["modified"], kv[0]),
        )
        for start in range(0, len(rows), self.page_size):
            self.reads += 1
            chunk = rows[start : start + self.page_size]
            yield Page([SourceRecord(k, v) for k, v in chunk], chunk[-1][1]["modified"])

    def fetch(self, keys: Sequence[str]) -> list[SourceRecord]:
        return [SourceRecord(k, self.records[k]) for k in keys if k in self.records]


@dataclass
class DictDestination:
    """Upserts payloads; rejects records whose email has no '@' the way an API rejects a bad field."""

    rows: dict[str, dict[str, Any]] = field(default_factory=dict)
    max_batch: int = 2
    calls: int = 0
    crash_after_calls: int | None = None
    down: bool = False

    def write(self, items: Sequence[WriteItem]) -> list[Outcome]:
        if self.crash_after_calls is not None and self.calls >= self.crash_after_calls:
            raise SimulatedCrash
        if self.down:
            raise ConnectionError("destination unavailable")
        self.calls += 1
        outcomes = []
        for item in items:
            if "@" not in str(item.payload.get("email", "@")):
                outcomes.append(Outcome(item.record.key, Action.FAILED, error="invalid email (destination said so)"))
                continue
            existed = item.record.key in self.rows
            self.rows[item.record.key] = item.payload
            action = Action.UPDATED if existed else Action.CREATED
            outcomes.append(Outcome(item.record.key, action, destination_id=f"dest-{item.record.key}"))
        return outcomes


def to_payload(record: SourceRecord) -> dict[str, Any]:
    """A pure mapping: refuses a record without a name (bad input)."""
    name = record.data.get("name")
    if not name:
        raise MappingError("NAME is empty")
    return {"name": name, "email": record.data.get("email", "x@example.com")}
