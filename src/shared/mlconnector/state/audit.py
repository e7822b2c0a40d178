"""The audit ledger: one entry per record per run that did something to it.

It answers: what happened to vendor V100 (history), what did run R do (by run). Entries expire by TTL after the
retention the template sets.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from dataclasses import dataclass

from mlconnector.state import keys
from mlconnector.state.background import BackgroundWrites
from mlconnector.state.clock import Clock, iso_utc, system_clock
from mlconnector.state.models import AuditEntryItem

DAY = 86_400


@dataclass(frozen=True)
class AuditEntry:
    run_id: str
    flow: str
    stream: str
    source_system: str
    source_object: str
    source_key: str
    destination_system: str
    action: str
    destination_id: str | None = None
    content_hash: str | None = None
    error: str | None = None
    at: str = ""
    note: str | None = None
    """A warning about the record that did not stop it (what the reader repaired)."""


class AuditLedger:
    def __init__(self, connection: str, retention_days: int, clock: Clock = system_clock) -> None:
        self.connection = connection
        self.retention_days = retention_days
        self._clock = clock

    def record(
        self, entries: Sequence[AuditEntry], *, background: BackgroundWrites | None = None, tag: int = 0
    ) -> None:
        """Batch-write entries (25 per request); with `background`, in its worker threads (durable once its
        `wait` covers `tag`)."""
        if not entries:
            return
        now = self._clock()
        at = iso_utc(now)
        expires = int(now + self.retention_days * DAY)
        items = [self._item(entry, at, expires) for entry in entries]
        if background is not None:
            background.save(AuditEntryItem, items, tag=tag, keys={entry.source_key for entry in entries})
            return
        with AuditEntryItem.batch_write() as batch:
            for item in items:
                batch.save(item)

    def _item(self, entry: AuditEntry, at: str, expires: int) -> AuditEntryItem:
        return AuditEntryItem(
            keys.record_pk(self.connection, entry.source_system, entry.source_object, entry.source_key),
            f"{at}#{entry.run_id}#{entry.stream}",
            gsi1pk=keys.run_pk(entry.run_id),
            gsi1sk=f"{entry.stream}#{entry.source_key}#{at}",
            connection=self.connection,
            run_id=entry.run_id,
            flow=entry.flow,
            stream=entry.stream,
            source_system=entry.source_system,
            source_object=entry.source_object,
            source_key=entry.source_key,
            destination_system=entry.destination_system,
            destination_id=entry.destination_id,
            action=entry.action,
            content_hash=entry.content_hash,
            error=entry.error,
            note=entry.note,
            at=at,
            expires_at=expires,
        )

    def history(self, source_system: str, source_object: str, source_key: str) -> list[AuditEntry]:
        """Everything that happened to one source record, oldest first."""
        pk = keys.record_pk(self.connection, source_system, source_object, source_key)
        return [_entry(item) for item in AuditEntryItem.query(pk)]

    def by_run(self, run_id: str) -> Iterator[AuditEntry]:
        """Everything one run did."""
        for item in AuditEntryItem.by_run.query(keys.run_pk(run_id)):
            if item.connection == self.connection:
                yield _entry(item)


def _entry(item: AuditEntryItem) -> AuditEntry:
    return AuditEntry(
        run_id=item.run_id,
        flow=item.flow,
        stream=item.stream,
        source_system=item.source_system,
        source_object=item.source_object,
        source_key=item.source_key,
        destination_system=item.destination_system,
        action=item.action,
        destination_id=item.destination_id,
        content_hash=item.content_hash,
        error=item.error,
        at=item.at,
        note=item.note,
    )
