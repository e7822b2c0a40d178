"""A stream whose Zoho module the org may lack (Vendors on the Free and Standard editions).

When the module is unavailable the stream reads nothing and says so in its notes; its cursor does not move, so
the first run after the module becomes available syncs everything the stream would have.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field

from mlconnector.engine.ports import Reader
from mlconnector.engine.records import Page, SourceRecord


@dataclass
class ModuleGate:
    reader: Reader
    available: Callable[[], bool]
    reason: str
    """Why the stream is skipped, for the run report ("the Vendors module is not available in this Zoho org")."""
    skipped: list[str] = field(default_factory=list)

    @property
    def system(self) -> str:
        return str(getattr(self.reader, "system", ""))

    @property
    def object(self) -> str:
        return str(getattr(self.reader, "object", ""))

    def pages(self, since: str | None) -> Iterator[Page]:
        if not self.available():
            self.skipped.append(self.reason)
            return
        yield from self.reader.pages(since)

    def fetch(self, keys: Sequence[str]) -> list[SourceRecord]:
        return self.reader.fetch(keys) if self.available() else []

    def notes(self) -> list[str]:
        return list(self.skipped)
