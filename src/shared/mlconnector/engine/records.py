"""What moves through the engine: source records, pages, write items and per-record outcomes."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from enum import StrEnum
from typing import Any


class Action(StrEnum):
    CREATED = "created"
    UPDATED = "updated"
    UNCHANGED = "unchanged"
    SKIPPED = "skipped"
    FAILED = "failed"


@dataclass(frozen=True)
class SourceRecord:
    """One record read from the source. `key` is its natural key (VENDORID, increment id, ...)."""

    key: str
    data: Mapping[str, Any]
    warnings: tuple[str, ...] = ()
    """What the reader had to repair to read this record (e.g. characters XML forbids, removed); the engine
    writes them into the record's audit entry, so the record is named even when the run goes on."""


@dataclass(frozen=True)
class Page:
    """Records read together, and the cursor to checkpoint once their outcomes are recorded."""

    records: Sequence[SourceRecord]
    cursor: str | None


@dataclass(frozen=True)
class WriteItem:
    """A mapped record that differs from what the destination last received."""

    record: SourceRecord
    payload: dict[str, Any]
    content_hash: str
    destination_id: str | None  # known from the link, None if never written


@dataclass(frozen=True)
class Outcome:
    key: str
    action: Action
    destination_id: str | None = None
    error: str | None = None
    payload: dict[str, Any] | None = field(default=None, compare=False)


class MappingError(ValueError):
    """The source record cannot be mapped (bad input). The message says why; the engine adds the record key."""


class SkipRecord(Exception):
    """The record is deliberately not sent to this destination (the message says why); it is audited as skipped."""


class StopRun(Exception):
    """The destination asks the run to stop (a daily quota reached, writes switched off): nothing is wrong with the
    records. The run ends cleanly at its last checkpoint, and the next run resumes from there."""
