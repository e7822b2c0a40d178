"""The run's metrics: a quota's stop is counted apart from a time budget's, with the flow's dimension."""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import Any

import pytest

from mlconnector.engine.budget import TimeBudget
from mlconnector.engine.flow import Flow, Stream
from mlconnector.engine.observability import NAMESPACE, metrics
from mlconnector.engine.records import StopRun
from mlconnector.engine.report import RunReport, RunStatus
from mlconnector.engine.runner import QUOTA_STOP_METRIC, RunOptions, run_flow
from mlconnector.errors import QuotaExceeded
from mlconnector.service import emit_metrics
from mlconnector.state import ConnectionState
from tests.unit.engine.doubles import DictDestination, DictSource, to_payload


@pytest.fixture(autouse=True)
def empty_metric_set() -> Iterator[None]:
    """The Powertools metric set is shared by the process: start and end each test with it empty."""
    metrics.clear_metrics()
    yield
    metrics.clear_metrics()


def _flushed(capsys: pytest.CaptureFixture[str], report: RunReport) -> dict[str, Any]:
    """What the poller prints for the run: emit_metrics, then the flush of `metrics.log_metrics`."""
    capsys.readouterr()
    emit_metrics(report)
    metrics.flush_metrics()
    (line,) = [json.loads(out) for out in capsys.readouterr().out.splitlines() if '"_aws"' in out]
    return dict(line)


def _names(emf: dict[str, Any]) -> set[str]:
    (directive,) = emf["_aws"]["CloudWatchMetrics"]
    assert directive["Namespace"] == NAMESPACE
    assert directive["Dimensions"] == [["flow", "service"]]
    return {metric["Name"] for metric in directive["Metrics"]}


def _flow(dest: DictDestination, *, preflight: tuple[Any, ...] = ()) -> Flow:
    source = DictSource()
    for i in range(4):
        source.put(f"V{i}", name=f"Vendor {i}")
    stream = Stream("vendors", "intacct", "VENDOR", "dest", source, to_payload, dest)
    return Flow("quota-flow", [stream], api_calls=lambda: {"dest": dest.calls}, preflight=preflight)


def _writes_raising(error: BaseException) -> DictDestination:
    dest = DictDestination()

    def write(items: Any) -> Any:
        raise error

    dest.write = write  # type: ignore[method-assign]
    return dest


def _quota_in_a_writer() -> BaseException:
    """What the Marketo and Zoho writers raise: a StopRun from the system's QuotaExceeded."""
    try:
        raise QuotaExceeded("607 daily quota reached")
    except QuotaExceeded as quota:
        try:
            raise StopRun("Marketo's daily API quota is used up; the next run resumes from here") from quota
        except StopRun as stop:
            return stop


def test_a_quota_in_a_preflight_is_counted_with_the_flow(
    state: ConnectionState, capsys: pytest.CaptureFixture[str]
) -> None:
    def metadata() -> None:
        raise QuotaExceeded("API credits for the day are used up")

    report = run_flow(_flow(DictDestination(), preflight=(metadata,)), state)
    assert report.status is RunStatus.STOPPED_EARLY
    emf = _flushed(capsys, report)
    assert {QUOTA_STOP_METRIC, "Runs_stopped_early"} <= _names(emf)
    assert emf[QUOTA_STOP_METRIC] == [1.0]
    assert (emf["flow"], emf["service"]) == ("quota-flow", "ml-connector")


def test_a_writers_stop_caused_by_a_quota_is_counted(
    state: ConnectionState, capsys: pytest.CaptureFixture[str]
) -> None:
    report = run_flow(_flow(_writes_raising(_quota_in_a_writer())), state)
    assert report.status is RunStatus.STOPPED_EARLY
    assert _flushed(capsys, report)[QUOTA_STOP_METRIC] == [1.0]


def test_a_time_budget_stop_is_not_a_quota_stop(state: ConnectionState, capsys: pytest.CaptureFixture[str]) -> None:
    report = run_flow(_flow(DictDestination()), state, RunOptions(budget=TimeBudget(lambda: 0)))
    assert report.status is RunStatus.STOPPED_EARLY
    names = _names(_flushed(capsys, report))
    assert "Runs_stopped_early" in names
    assert QUOTA_STOP_METRIC not in names


def test_a_stop_without_a_quota_is_not_a_quota_stop(state: ConnectionState, capsys: pytest.CaptureFixture[str]) -> None:
    report = run_flow(_flow(_writes_raising(StopRun("writes are switched off in the CRM"))), state)
    assert report.status is RunStatus.STOPPED_EARLY
    assert QUOTA_STOP_METRIC not in _names(_flushed(capsys, report))


def test_a_failed_run_is_counted_as_failed(state: ConnectionState, capsys: pytest.CaptureFixture[str]) -> None:
    def broken() -> None:
        raise RuntimeError("the metadata endpoint answered nonsense")

    report = run_flow(_flow(DictDestination(), preflight=(broken,)), state)
    assert report.status is RunStatus.FAILED
    emf = _flushed(capsys, report)
    assert emf["Runs_failed"] == [1.0]
    assert QUOTA_STOP_METRIC not in emf
