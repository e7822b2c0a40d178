"""The run report: counts per outcome (per stream and in total), API calls per system, duration, status."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from enum import StrEnum
from typing import Any

from mlconnector.engine.records import Action, Outcome


class RunStatus(StrEnum):
    COMPLETED = "completed"
    STOPPED_EARLY = "stopped_early"  # time budget reached or the destination said stop: the next run continues
    FAILED = "failed"  # a systemic error (authentication, quota): resumes from the last checkpoint
    LEASE_HELD = "lease_held"  # another run of the same flow is in progress
    RUNNING = "running"  # recorded when a run starts; a run still "running" after its lease expired was killed
    INTERRUPTED = "interrupted"  # stopped by the operator (Ctrl-C): lease released, resumes from the last checkpoint


@dataclass(frozen=True)
class PreviewRow:
    """What a dry run would do to one record."""

    stream: str
    key: str
    action: Action
    payload: dict[str, Any] | None
    error: str | None = None


@dataclass
class StreamReport:
    name: str
    counts: Counter[str] = field(default_factory=Counter)
    pages: int = 0
    cursor: str | None = None
    notes: list[str] = field(default_factory=list)

    def add(self, outcomes: list[Outcome]) -> None:
        self.counts.update(outcome.action.value for outcome in outcomes)


@dataclass
class RunReport:
    run_id: str
    flow: str
    connection: str
    dry_run: bool
    started_at: str
    status: RunStatus = RunStatus.COMPLETED
    finished_at: str = ""
    duration_ms: int = 0
    streams: dict[str, StreamReport] = field(default_factory=dict)
    api_calls: dict[str, int] = field(default_factory=dict)
    error: str | None = None
    preview: list[PreviewRow] = field(default_factory=list)
    stop: BaseException | None = field(default=None, repr=False, compare=False)
    """The exception a run that stopped early stopped on (StopRun, QuotaExceeded: it may carry `retry_after`), for
    the poller's run contract; never serialised (to_dict), never recorded."""

    def stream(self, name: str) -> StreamReport:
        return self.streams.setdefault(name, StreamReport(name))

    @property
    def counts(self) -> dict[str, int]:
        total: Counter[str] = Counter({action.value: 0 for action in Action})
        for stream in self.streams.values():
            total.update(stream.counts)
        return dict(total)

    def to_dict(self) -> dict[str, Any]:
        return {
            "run_id": self.run_id,
            "flow": self.flow,
            "connection": self.connection,
            "dry_run": self.dry_run,
            "status": self.status.value,
            "started_at": self.started_at,
            "finished_at": self.finished_at,
            "duration_ms": self.duration_ms,
            "counts": self.counts,
            "streams": {
                name: {"counts": dict(s.counts), "pages": s.pages, "cursor": s.cursor, "notes": list(s.notes)}
                for name, s in self.streams.items()
            },
            "api_calls": dict(self.api_calls),
            "error": self.error,
        }
