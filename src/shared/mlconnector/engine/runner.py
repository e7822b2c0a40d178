"""One run of a flow: lease, build and preflight, read since the cursor, process pages, checkpoint, report."""

from __future__ import annotations

import time
import uuid
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field, replace

from mlconnector.config import ConfigurationError
from mlconnector.engine.budget import TimeBudget
from mlconnector.engine.flow import Flow, PlannedFlow, Stream
from mlconnector.engine.observability import MetricUnit, logger, metrics
from mlconnector.engine.pipeline import StreamRun
from mlconnector.engine.records import Action, Outcome, StopRun
from mlconnector.engine.report import RunReport, RunStatus, StreamReport
from mlconnector.errors import QuotaExceeded
from mlconnector.state import ConnectionState
from mlconnector.state.clock import iso_utc
from mlconnector.state.leases import LeaseHeldError
from mlconnector.state.runs import RunSummary

QUOTA_STOP_METRIC = "Runs_stopped_by_quota"
"""Counted (with the run's other metrics, flushed by the poller) when a quota stopped the run early, so an alarm
can tell it from a time budget's stop (both are Runs_stopped_early)."""


class FlowNotWritableError(RuntimeError):
    """A stream of the flow has no writer yet, so only a dry run is possible."""


@dataclass
class RunOptions:
    dry_run: bool = False
    run_id: str = field(default_factory=lambda: uuid.uuid4().hex[:16])
    budget: TimeBudget = field(default_factory=TimeBudget.unlimited)
    # Longer than the Lambda timeout (900 s), so a live run never loses its lease; a crashed one frees it after this.
    lease_seconds: float = 960
    preview_limit: int = 50
    clock: Callable[[], float] = time.time
    progress: Callable[[StreamReport], None] | None = None
    """Called after each page (the CLI shows progress on long runs)."""


def run_flow(flow: Flow | PlannedFlow, state: ConnectionState, options: RunOptions | None = None) -> RunReport:
    """Run every stream of the flow in order. A dry run reads and maps but writes nothing anywhere."""
    options = options or RunOptions()
    return _run(flow, state, options, lambda run, stream: _sync_stream(run, stream, state, options))


def replay_failures(
    flow: Flow | PlannedFlow,
    state: ConnectionState,
    options: RunOptions | None = None,
    keys: Sequence[str] | None = None,
) -> RunReport:
    """Re-drive failed records: re-read each from the source (the truth now), map and write it again."""
    options = options or RunOptions()
    return _run(flow, state, options, lambda run, stream: _replay_stream(run, stream, state, keys))


def _run(
    planned: Flow | PlannedFlow, state: ConnectionState, options: RunOptions, work: Callable[[StreamRun, Stream], bool]
) -> RunReport:
    started = options.clock()
    report = RunReport(options.run_id, planned.name, state.connection, options.dry_run, iso_utc(started))
    logger.append_keys(run_id=options.run_id, flow=planned.name, connection=state.connection)
    if isinstance(planned, Flow):
        _refuse_unwritable(planned, options)
    if not options.dry_run and not _take_lease(planned, state, options, report):
        return _finish(report, planned, state, options, started, record=True)  # refused: recorded, with the holder
    flow: Flow | None = None
    try:
        if not options.dry_run:  # recorded as running first (the final summary overwrites it): a killed run shows
            state.runs.put(run_summary(replace(report, status=RunStatus.RUNNING)))
        flow = planned if isinstance(planned, Flow) else _build(planned, options)
        _run_streams(flow, state, options, report, work)
    except (StopRun, QuotaExceeded) as stop:  # a quota is a stop wherever it comes (a preflight's metadata read too)
        logger.warning("run stopped by the destination", extra={"reason": str(stop)})
        report.status, report.error, report.stop = RunStatus.STOPPED_EARLY, str(stop), stop
        if isinstance(stop, QuotaExceeded) or isinstance(stop.__cause__, QuotaExceeded):  # a writer's StopRun too
            metrics.add_metric(name=QUOTA_STOP_METRIC, unit=MetricUnit.Count, value=1)
    except FlowNotWritableError as error:  # recorded as failed, with the reason, then raised as before
        report.status, report.error = RunStatus.FAILED, f"{type(error).__name__}: {error}"
        _close(report, planned, state, options, started)
        raise
    except ConfigurationError as error:  # the operator's to fix: the reason alone, no traceback in the logs
        logger.error("run failed: configuration", extra={"reason": str(error)})
        report.status, report.error = RunStatus.FAILED, f"{type(error).__name__}: {error}"
    except Exception as error:  # systemic: the run stops; the next one resumes from the last checkpoint
        logger.exception("run failed")
        report.status, report.error = RunStatus.FAILED, f"{type(error).__name__}: {error}"
    except KeyboardInterrupt:  # the operator's Ctrl-C (`mlc sync`): recorded, the lease released, then re-raised
        report.status, report.error = RunStatus.INTERRUPTED, "interrupted by the operator (Ctrl-C)"
        _close(report, flow or planned, state, options, started)
        raise
    # A process killed mid-run (another BaseException, or the Lambda being stopped) skips this on purpose: its lease
    # expires by itself, its summary stays "running", and the next run resumes from the last checkpoint.
    return _close(report, flow or planned, state, options, started)


def _take_lease(planned: Flow | PlannedFlow, state: ConnectionState, options: RunOptions, report: RunReport) -> bool:
    """Take the flow's lease; False (the report says who holds it) when another run does."""
    try:
        state.leases.acquire(planned.name, options.run_id, options.lease_seconds)
    except LeaseHeldError as held:
        report.status, report.error = RunStatus.LEASE_HELD, str(held)
        return False
    except KeyboardInterrupt:  # Ctrl-C while taking it: the write may have landed, so give it back
        state.leases.release(planned.name, options.run_id)
        raise
    return True


def _close(
    report: RunReport, flow: Flow | PlannedFlow, state: ConnectionState, options: RunOptions, started: float
) -> RunReport:
    """Finish the report (recorded unless a dry run) and give the lease back."""
    _finish(report, flow, state, options, started, record=not options.dry_run)
    if not options.dry_run:
        state.leases.release(flow.name, options.run_id)
    return report


def _run_streams(
    flow: Flow,
    state: ConnectionState,
    options: RunOptions,
    report: RunReport,
    work: Callable[[StreamRun, Stream], bool],
) -> None:
    """The preflight checks, then every stream in order until one stops early."""
    for check in flow.preflight:
        check()
    for stream in flow.streams:
        run = StreamRun(flow.name, stream, state, options.run_id, options.dry_run, report, options.preview_limit)
        try:
            finished = work(run, stream)
        finally:
            run.close()  # the stream's audit and link writes still in flight land before anything else happens
            _copy_notes(report, stream)
        if not finished:
            report.status = RunStatus.STOPPED_EARLY
            return
    for step in flow.finish:
        step()


def _build(planned: PlannedFlow, options: RunOptions) -> Flow:
    flow = planned.build()
    if flow.name != planned.name:
        raise ValueError(f"planned flow {planned.name!r} built a flow named {flow.name!r}")
    _refuse_unwritable(flow, options)
    return flow


def _refuse_unwritable(flow: Flow, options: RunOptions) -> None:
    if options.dry_run:
        return
    unwritable = [s.name for s in flow.streams if s.writer is None]
    if unwritable:
        raise FlowNotWritableError(
            f"flow {flow.name!r}: streams {', '.join(unwritable)} have no writer yet; use a dry run"
        )


def _copy_notes(report: RunReport, stream: Stream) -> None:
    """The stream's notes, once it ran (a reader decides some of them while reading)."""
    notes = list(stream.notes())
    if notes:
        report.stream(stream.name).notes = notes


def _sync_stream(run: StreamRun, stream: Stream, state: ConnectionState, options: RunOptions) -> bool:
    """Returns False when the time budget ran out. The cursor is checkpointed as soon as every record of a page
    has its outcome recorded (a partial write batch may wait for the next page)."""
    since = state.cursors.get(run.flow, stream.name)
    stream_report = run.report.stream(stream.name)
    stream_report.cursor = since

    stored = since

    def checkpoint(cursor: str | None) -> None:
        nonlocal stored
        if cursor is not None:
            stream_report.cursor = cursor
            if not options.dry_run and cursor != stored:  # a cursor that did not move costs no write
                state.cursors.put(run.flow, stream.name, cursor, options.run_id)
                stored = cursor

    for page in stream.reader.pages(since):
        checkpoint(run.process(page.records, page.cursor))
        stream_report.pages += 1
        if options.progress is not None:
            options.progress(stream_report)
        if options.budget.exhausted():
            checkpoint(run.flush())
            logger.info("time budget reached; stopping after a checkpoint", extra={"stream": stream.name})
            return False
    checkpoint(run.flush())
    return True


def _replay_stream(run: StreamRun, stream: Stream, state: ConnectionState, keys: Sequence[str] | None) -> bool:
    pending = [f.source_key for f in state.failures.pending(run.flow, stream.name)]
    wanted = [key for key in pending if keys is None or key in keys]
    if not wanted:
        return True
    records = stream.reader.fetch(wanted)
    run.process(records)
    run.flush()
    gone = sorted(set(wanted) - {record.key for record in records})
    if gone:
        # The source no longer has them: nothing left to replay. Audited as skipped, with the reason.
        outcomes = [Outcome(key, Action.SKIPPED, error=f"no longer in {stream.source_system}") for key in gone]
        run.record_outcomes(outcomes)
    return True


def _finish(
    report: RunReport,
    flow: Flow | PlannedFlow,
    state: ConnectionState,
    options: RunOptions,
    started: float,
    *,
    record: bool,
) -> RunReport:
    finished = options.clock()
    report.finished_at = iso_utc(finished)
    report.duration_ms = int((finished - started) * 1000)
    report.api_calls = dict(flow.api_calls())
    if record:
        state.runs.put(run_summary(report))
    logger.info("run finished", extra={"report": report.to_dict()})
    return report


def run_summary(report: RunReport) -> RunSummary:
    """What the run store keeps of a report (`mlc runs` lists it)."""
    return RunSummary(
        run_id=report.run_id,
        flow=report.flow,
        status=report.status.value,
        dry_run=report.dry_run,
        started_at=report.started_at,
        finished_at=report.finished_at,
        duration_ms=report.duration_ms,
        counts=report.counts,
        api_calls=report.api_calls,
        error=report.error,
    )
