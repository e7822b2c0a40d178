"""Run summaries: what each run did, in counts; recent runs newest first."""

from __future__ import annotations

from dataclasses import dataclass, field

from mlconnector.state import keys
from mlconnector.state.audit import DAY
from mlconnector.state.clock import Clock, system_clock
from mlconnector.state.models import RunSummaryItem


@dataclass(frozen=True)
class RunSummary:
    run_id: str
    flow: str
    status: str
    dry_run: bool
    started_at: str
    finished_at: str
    duration_ms: int
    counts: dict[str, int] = field(default_factory=dict)
    api_calls: dict[str, int] = field(default_factory=dict)
    error: str | None = None


class RunStore:
    def __init__(self, connection: str, retention_days: int, clock: Clock = system_clock) -> None:
        self.connection = connection
        self.retention_days = retention_days
        self._clock = clock

    def put(self, run: RunSummary) -> None:
        RunSummaryItem(
            keys.runs_pk(self.connection),
            f"{run.started_at}#{run.run_id}",
            gsi1pk=keys.run_id_pk(run.run_id),
            gsi1sk="SUMMARY",
            run_id=run.run_id,
            connection=self.connection,
            flow=run.flow,
            status=run.status,
            dry_run="true" if run.dry_run else "false",
            started_at=run.started_at,
            finished_at=run.finished_at,
            duration_ms=run.duration_ms,
            counts=run.counts,
            api_calls=run.api_calls,
            error=run.error,
            expires_at=int(self._clock() + self.retention_days * DAY),
        ).save()

    def recent(self, limit: int = 20, flow: str | None = None) -> list[RunSummary]:
        runs = []
        for item in RunSummaryItem.query(keys.runs_pk(self.connection), scan_index_forward=False):
            if flow is None or item.flow == flow:
                runs.append(_summary(item))
            if len(runs) >= limit:
                break
        return runs

    def get(self, run_id: str) -> RunSummary | None:
        for item in RunSummaryItem.by_run.query(keys.run_id_pk(run_id)):
            if item.connection == self.connection:
                return _summary(item)
        return None


def _summary(item: RunSummaryItem) -> RunSummary:
    return RunSummary(
        run_id=item.run_id,
        flow=item.flow,
        status=item.status,
        dry_run=item.dry_run == "true",
        started_at=item.started_at,
        finished_at=item.finished_at,
        duration_ms=int(item.duration_ms),
        counts=dict(item.counts),
        api_calls=dict(item.api_calls),
        error=item.error,
    )
