"""The two sides a flow plugs into the engine."""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from typing import Protocol

from mlconnector.engine.records import Outcome, Page, SourceRecord, WriteItem


class Reader(Protocol):
    def pages(self, since: str | None) -> Iterator[Page]:
        """Pages of records changed since the cursor (the reader applies its own overlap window)."""
        ...

    def fetch(self, keys: Sequence[str]) -> list[SourceRecord]:
        """The current source records for these keys (missing keys are left out): replay re-reads the truth."""
        ...


class Writer(Protocol):
    @property
    def max_batch(self) -> int:
        """The largest batch the destination accepts in one call."""
        ...

    def write(self, items: Sequence[WriteItem]) -> list[Outcome]:
        """Write one batch; return exactly one outcome per item.

        A problem with one record is that record's FAILED outcome. A SKIPPED outcome declines this content for
        good: the engine remembers it, and writes the record again only once its content changes. Raise only
        when the destination cannot take writes at all (authentication, quota): the run then stops and resumes
        from its last checkpoint.
        """
        ...
