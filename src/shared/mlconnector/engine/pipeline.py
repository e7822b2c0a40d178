"""One stream's records through the engine: map, hash, skip the unchanged, write in batches, record every outcome."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, replace

from mlconnector.engine.flow import Stream
from mlconnector.engine.hashing import content_hash
from mlconnector.engine.observability import logger
from mlconnector.engine.records import Action, MappingError, Outcome, SkipRecord, SourceRecord, WriteItem
from mlconnector.engine.report import PreviewRow, RunReport
from mlconnector.state import ConnectionState
from mlconnector.state.audit import AuditEntry
from mlconnector.state.background import BackgroundWrites, thread_pool
from mlconnector.state.failures import Failure
from mlconnector.state.links import Link

WRITTEN = (Action.CREATED, Action.UPDATED)
SKIPPED_MARK = "__skipped__"


@dataclass
class StreamRun:
    """Processes batches of records of one stream within one run."""

    flow: str
    stream: Stream
    state: ConnectionState
    run_id: str
    dry_run: bool
    report: RunReport
    preview_limit: int = 50

    def __post_init__(self) -> None:
        # Normally empty: one query per stream per run tells which records leave the replay queue on success.
        self._pending_failures = {f.source_key for f in self.state.failures.pending(self.flow, self.stream.name)}
        self._skip_hashes: dict[str, str] = {}
        self._notes: dict[str, str] = {}  # source key -> the reader's warnings, until its outcome is audited
        self._queue: list[tuple[int, WriteItem]] = []  # (page number, item) waiting for a full batch
        self._page_cursors: dict[int, str | None] = {}  # pages not yet checkpointed
        self._page = 0
        # Audit entries and links are written by worker threads while the next destination call goes on; a page's
        # cursor is handed out only once they are durable (_safe_cursor). Until then, the links not yet durable
        # answer for DynamoDB when a later page reads the same key.
        self._writes = None if self.dry_run else BackgroundWrites(thread_pool())
        self._unsettled_links: dict[str, tuple[int, Link]] = {}

    def process(self, records: Sequence[SourceRecord], cursor: str | None = None) -> str | None:
        """Map a page and write what changed in full batches; a partial batch waits for the next page.

        Returns the cursor that is now safe to checkpoint: that of the latest page all of whose records have
        their outcome recorded (None when no new page is complete).
        """
        records = _last_per_key(records)
        self._notes.update({r.key: "; ".join(r.warnings) for r in records if r.warnings})
        links = self._links(records)
        decided: list[Outcome] = []
        to_write: list[WriteItem] = []
        for record in records:
            item_or_outcome = self._prepare(record, links.get(record.key))
            if isinstance(item_or_outcome, WriteItem):
                to_write.append(item_or_outcome)
            else:
                decided.append(item_or_outcome)
        if self.dry_run:
            outcomes = [self._labelled(o) for o in (*decided, *map(_would_write, to_write))]
            self._preview(outcomes)
            self.report.stream(self.stream.name).add(outcomes)
            return cursor
        self._finish(decided, {}, self._page + 1)
        self._page += 1
        self._page_cursors[self._page] = cursor
        self._queue.extend((self._page, item) for item in to_write)
        self._drain(full_batches_only=True)
        return self._safe_cursor()

    def flush(self) -> str | None:
        """Write what is still queued (end of the stream, or before stopping early); returns the safe cursor.
        Every outcome recorded so far is durable when it returns."""
        if self._writes is not None:
            self._drain(full_batches_only=False)
            self._writes.wait()
        return self._safe_cursor()

    def close(self) -> None:
        """Let the writes still in flight land (a run that stops keeps the outcomes it recorded); never raises."""
        if self._writes is not None:
            self._writes.close()

    def _links(self, records: Sequence[SourceRecord]) -> dict[str, Link]:
        """The records' links: those this run wrote and are not durable yet, then DynamoDB for the others."""
        wanted = [r.key for r in records]
        unsettled = {key: self._unsettled_links[key][1] for key in wanted if key in self._unsettled_links}
        stored = self.state.links.get_many(self.flow, self.stream.name, (k for k in wanted if k not in unsettled))
        return {**stored, **unsettled}

    def _drain(self, *, full_batches_only: bool) -> None:
        writer = self.stream.writer
        if writer is None:
            raise RuntimeError(f"stream {self.stream.name!r} has no writer yet: only a dry run is possible")
        size = max(1, writer.max_batch)
        while self._queue and (len(self._queue) >= size or not full_batches_only):
            first_page = self._queue[0][0]
            batch = [item for _, item in self._queue[:size]]
            results = {outcome.key: outcome for outcome in writer.write(batch)}  # raises: the batch stays unrecorded
            del self._queue[:size]
            outcomes = [
                results.get(item.record.key)
                or Outcome(item.record.key, Action.FAILED, error="the destination returned no outcome for this record")
                for item in batch
            ]
            self._finish(outcomes, {item.record.key: item for item in batch}, first_page)

    def _safe_cursor(self) -> str | None:
        oldest_waiting = self._queue[0][0] if self._queue else self._page + 1
        complete = [page for page in self._page_cursors if page < oldest_waiting]
        if not complete:
            return None
        last = max(complete)
        if self._writes is not None:
            self._writes.wait(up_to=last)  # the checkpoint never overtakes the outcomes of its pages
            self._unsettled_links = {k: v for k, v in self._unsettled_links.items() if v[0] > last}
        cursor = self._page_cursors[last]
        for page in complete:
            del self._page_cursors[page]
        return cursor

    def _finish(self, outcomes: list[Outcome], items: dict[str, WriteItem], page: int) -> None:
        outcomes = [self._labelled(o) for o in outcomes]
        self._record(outcomes, items, page)
        self.report.stream(self.stream.name).add(outcomes)

    def _prepare(self, record: SourceRecord, link: Link | None) -> WriteItem | Outcome:
        try:
            payload = self.stream.mapping(record)
        except SkipRecord as skip:
            # Remembered in the link (with no destination id), so re-reading it unchanged costs no audit write.
            digest = content_hash({SKIPPED_MARK: str(skip)})
            if link is not None and link.content_hash == digest:
                return Outcome(record.key, Action.UNCHANGED)
            self._skip_hashes[record.key] = digest
            return Outcome(record.key, Action.SKIPPED, error=str(skip))
        except MappingError as error:
            return Outcome(record.key, Action.FAILED, error=str(error))
        except Exception as error:  # a mapping bug must not fail the batch: the record is kept for replay
            logger.exception("mapping raised", extra={"record_key": record.key, "stream": self.stream.name})
            return Outcome(record.key, Action.FAILED, error=f"unexpected {type(error).__name__}: {error}")
        digest = content_hash(payload)
        if link is not None and link.content_hash == digest:
            return Outcome(record.key, Action.UNCHANGED, destination_id=link.destination_id)
        return WriteItem(record, payload, digest, link.destination_id if link else None)

    def _labelled(self, outcome: Outcome) -> Outcome:
        """Every error names its record: "VENDOR V100: NAME is empty"."""
        label = f"{self.stream.source_object} {outcome.key}"
        if outcome.error is None or outcome.error.startswith(label):
            return outcome
        return replace(outcome, error=f"{label}: {outcome.error}")

    def _record(self, outcomes: list[Outcome], items: dict[str, WriteItem], page: int) -> None:
        """Audit, links and the replay queue for these outcomes (unchanged records cost no write). Audit entries
        and links are written in the background: durable once `self._writes.wait` covers `page`."""
        audit: list[AuditEntry] = []
        links: list[Link] = []
        failures: list[Failure] = []
        recovered: list[str] = []
        for outcome in outcomes:
            item = items.get(outcome.key)
            entry = self._audit_for(outcome, item)
            if entry is not None:
                audit.append(entry)
            link = self._link_for(outcome, item)
            if link is not None:
                links.append(link)
            failure = self._failure_for(outcome, item)
            if failure is not None:
                failures.append(failure)
            elif outcome.key in self._pending_failures:
                recovered.append(outcome.key)  # a record waiting for replay that now went through (or is unchanged)
        name = self.stream.name
        self.state.audit.record(audit, background=self._writes, tag=page)
        self.state.links.put_many(self.flow, name, links, self.run_id, background=self._writes, tag=page)
        self._unsettled_links.update((link.source_key, (page, link)) for link in links)
        self.state.failures.put_many(failures)
        self.state.failures.delete_many(self.flow, name, recovered)
        self._pending_failures.difference_update(recovered)

    def _audit_for(self, outcome: Outcome, item: WriteItem | None) -> AuditEntry | None:
        """Every outcome but an unchanged one is audited; an unchanged one only when the reader had something to say
        about the record (a note), so a no-change run costs no write."""
        note = self._notes.pop(outcome.key, None)
        if outcome.action is Action.UNCHANGED:
            return None if note is None else self._audit_entry(outcome, None, note)
        return self._audit_entry(outcome, item, note)

    def _link_for(self, outcome: Outcome, item: WriteItem | None) -> Link | None:
        """What to remember of the record so the same content read again costs nothing: what was written, or the
        skip (decided by the mapping, or the writer declining this content)."""
        if outcome.action in WRITTEN and item is not None:
            return Link(outcome.key, outcome.destination_id, item.content_hash)
        if outcome.action is Action.SKIPPED and outcome.key in self._skip_hashes:
            return Link(outcome.key, None, self._skip_hashes[outcome.key])
        if outcome.action is Action.SKIPPED and item is not None:
            return Link(outcome.key, item.destination_id, item.content_hash)
        return None

    def _failure_for(self, outcome: Outcome, item: WriteItem | None) -> Failure | None:
        """A failed record, kept with its payload for replay."""
        if outcome.action is not Action.FAILED:
            return None
        logger.warning("record failed", extra={"record_key": outcome.key, "reason": outcome.error})
        stream = self.stream
        return Failure(
            flow=self.flow,
            stream=stream.name,
            source_system=stream.source_system,
            source_object=stream.source_object,
            source_key=outcome.key,
            error=outcome.error or "unknown error",
            run_id=self.run_id,
            payload=item.payload if item else None,
        )

    def _audit_entry(self, outcome: Outcome, item: WriteItem | None, note: str | None) -> AuditEntry:
        stream = self.stream
        return AuditEntry(
            run_id=self.run_id,
            flow=self.flow,
            stream=stream.name,
            source_system=stream.source_system,
            source_object=stream.source_object,
            source_key=outcome.key,
            destination_system=stream.destination_system,
            action=outcome.action.value,
            destination_id=outcome.destination_id,
            content_hash=item.content_hash if item else None,
            error=outcome.error,
            note=note,
        )

    def record_outcomes(self, outcomes: list[Outcome]) -> None:
        """Record outcomes decided outside the write path (e.g. replay finding a record gone from the source)."""
        if self._writes is None:
            self.report.stream(self.stream.name).add([self._labelled(o) for o in outcomes])
        else:
            self._finish(outcomes, {}, self._page + 1)
            self._writes.wait()

    def _preview(self, outcomes: list[Outcome]) -> None:
        shown = sum(1 for row in self.report.preview if row.stream == self.stream.name)
        for outcome in outcomes:
            if shown >= self.preview_limit:
                return
            if outcome.action is not Action.UNCHANGED:
                self.report.preview.append(
                    PreviewRow(self.stream.name, outcome.key, outcome.action, outcome.payload, outcome.error)
                )
                shown += 1


def _would_write(item: WriteItem) -> Outcome:
    action = Action.CREATED if item.destination_id is None else Action.UPDATED
    return Outcome(item.record.key, action, destination_id=item.destination_id, payload=item.payload)


def _last_per_key(records: Sequence[SourceRecord]) -> list[SourceRecord]:
    """A key read twice in one batch is written once, with its latest version."""
    latest: dict[str, SourceRecord] = {}
    for record in records:
        latest.pop(record.key, None)
        latest[record.key] = record
    return list(latest.values())
