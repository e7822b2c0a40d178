"""The run contract PollerLoop reads: what the poller returns for each way a run ends, and how long to wait."""

from __future__ import annotations

import importlib.util
from collections.abc import Callable, Iterator
from datetime import UTC, datetime
from pathlib import Path
from types import ModuleType, SimpleNamespace
from typing import Any

import pytest

from mlconnector.engine.flow import Flow, Stream
from mlconnector.engine.observability import metrics
from mlconnector.engine.records import StopRun
from mlconnector.engine.report import RunReport, RunStatus
from mlconnector.engine.runner import RunOptions, run_flow
from mlconnector.errors import QuotaExceeded
from mlconnector.run_contract import (
    DEFAULT_WAIT_SECONDS,
    MAX_WAIT_SECONDS,
    QUOTA_WAIT_SECONDS,
    RESET_MARGIN_SECONDS,
    StopKind,
    contract,
    resume_after,
)
from mlconnector.state import ConnectionState
from mlconnector.systems.intacct.errors import RequestSlotsBusy
from mlconnector.systems.marketo.errors import QuotaExceeded as MarketoQuota
from mlconnector.systems.zendesk.errors import RetryLater
from mlconnector.systems.zoho.errors import CreditsExhausted
from tests.unit.engine.doubles import DictDestination, DictSource, to_payload

POLLER_APP = Path(__file__).resolve().parents[2] / "src" / "functions" / "poller" / "app.py"
NOON = datetime(2026, 12, 4, 12, 0, tzinfo=UTC)
CONTRACT_FIELDS = {"status", "work_left", "resume_after_seconds", "stop"}


def _report(status: RunStatus, error: str | None = None, *, dry_run: bool = False) -> RunReport:
    return RunReport("r1", "intacct-marketo", "default", dry_run, "t", status=status, error=error)


def _marketo_stop() -> StopRun:
    """How the Marketo writer stops a run on the daily quota: a StopRun raised from Marketo's QuotaExceeded."""
    stop = StopRun("Marketo quota")
    stop.__cause__ = MarketoQuota("sync leads: Marketo daily API quota used up", [])
    return stop


# --------------------------------------------------------------------------- how long to wait


@pytest.mark.parametrize(
    ("stop", "kind", "seconds"),
    [
        (None, StopKind.TIME_BUDGET, DEFAULT_WAIT_SECONDS),
        (RetryLater("export window", retry_after=59.2), StopKind.RETRY_AFTER, 60),
        (CreditsExhausted("credits used up", retry_after=3600), StopKind.RETRY_AFTER, 3600),
        (RetryLater("a year", retry_after=365 * 86_400), StopKind.RETRY_AFTER, MAX_WAIT_SECONDS),
        (_marketo_stop(), StopKind.QUOTA_WINDOW, 18 * 3600 + RESET_MARGIN_SECONDS),
        (MarketoQuota("quota", []), StopKind.QUOTA_WINDOW, 18 * 3600 + RESET_MARGIN_SECONDS),
        (RequestSlotsBusy("every Intacct request slot held"), StopKind.QUOTA, QUOTA_WAIT_SECONDS),
        (CreditsExhausted("credits used up"), StopKind.QUOTA, QUOTA_WAIT_SECONDS),
        (StopRun("writes switched off"), StopKind.DESTINATION, QUOTA_WAIT_SECONDS),
    ],
    ids=lambda value: type(value).__name__ if isinstance(value, BaseException) else str(value),
)
def test_the_wait_is_what_the_stop_names(stop: BaseException | None, kind: StopKind, seconds: int) -> None:
    assert resume_after(stop, NOON) == (kind, seconds)


def test_a_retry_after_on_the_quota_behind_a_stop_counts() -> None:
    stop = StopRun("Zoho stopped the run")
    stop.__cause__ = CreditsExhausted("credits", retry_after=120)
    assert resume_after(stop, NOON) == (StopKind.RETRY_AFTER, 120)


@pytest.mark.parametrize(
    ("now", "hours"),
    [
        (datetime(2026, 12, 4, 5, 0, tzinfo=UTC), 1),  # before 06:00 UTC: today's reset
        (datetime(2026, 12, 4, 6, 0, tzinfo=UTC), 24),  # at the reset: it has just happened, the quota is still out
        (datetime(2026, 7, 1, 23, 0, tzinfo=UTC), 7),  # summer: 06:00 UTC is 01:00 CDT, after the midnight reset
    ],
)
def test_marketos_daily_quota_waits_for_the_next_midnight_us_central(now: datetime, hours: int) -> None:
    assert resume_after(_marketo_stop(), now) == (StopKind.QUOTA_WINDOW, hours * 3600 + RESET_MARGIN_SECONDS)


# --------------------------------------------------------------------------- the contract of a report


@pytest.mark.parametrize("status", [RunStatus.COMPLETED, RunStatus.FAILED, RunStatus.LEASE_HELD])
def test_a_run_that_did_not_stop_early_leaves_no_work(status: RunStatus) -> None:
    found = contract(_report(status, "whatever"), StopRun("ignored")).to_dict()
    assert found == {"status": status.value, "work_left": False, "resume_after_seconds": 0, "stop": "none"}


def test_a_dry_run_is_never_resumed() -> None:
    assert contract(_report(RunStatus.STOPPED_EARLY, dry_run=True)).work_left is False


def test_a_stop_that_was_not_captured_waits_as_for_a_quota() -> None:
    found = contract(_report(RunStatus.STOPPED_EARLY, "Marketo quota"), None)
    assert (found.work_left, found.stop, found.resume_after_seconds) == (True, StopKind.QUOTA, QUOTA_WAIT_SECONDS)


def test_a_time_budget_stop_resumes_soon() -> None:
    found = contract(_report(RunStatus.STOPPED_EARLY), None, now=NOON)
    assert (found.work_left, found.stop, found.resume_after_seconds) == (True, StopKind.TIME_BUDGET, 10)


# --------------------------------------------------------------------------- capturing the stop of a real run


def _flow(write_error: BaseException | None) -> Flow:
    source = DictSource()
    for i in range(4):
        source.put(f"V{i}", name=f"Vendor {i}")
    dest = DictDestination()
    if write_error is not None:

        def write(items: Any) -> Any:
            raise write_error

        dest.write = write  # type: ignore[method-assign]
    stream = Stream("vendors", "intacct", "VENDOR", "dest", source, to_payload, dest)
    return Flow("intacct-marketo", [stream], api_calls=lambda: {"dest": dest.calls})


def test_the_runner_hands_over_the_stop_a_run_ends_on(state: ConnectionState) -> None:
    stop = RetryLater("Zendesk asks for a 90s pause", retry_after=90)
    report = run_flow(_flow(stop), state)
    assert report.status is RunStatus.STOPPED_EARLY
    assert report.stop is stop
    assert "stop" not in report.to_dict()
    assert contract(report).resume_after_seconds == 90


def test_a_run_that_did_not_stop_carries_no_stop(state: ConnectionState) -> None:
    report = run_flow(_flow(None), state)
    assert report.status is RunStatus.COMPLETED
    assert report.stop is None
    assert contract(report).stop is StopKind.NONE


# --------------------------------------------------------------------------- the handler returns the contract


class FakeContext:
    function_name = "poller"
    memory_limit_in_mb = 512
    invoked_function_arn = "arn:aws:lambda:us-east-1:123456789012:function:poller"
    aws_request_id = "req-1"

    def get_remaining_time_in_millis(self) -> int:
        return 600_000


@pytest.fixture
def poller(monkeypatch: pytest.MonkeyPatch) -> Iterator[ModuleType]:
    spec = importlib.util.spec_from_file_location("poller_app_under_test", POLLER_APP)
    assert spec is not None
    assert spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    opened = SimpleNamespace(settings=SimpleNamespace(region="us-east-1"))
    monkeypatch.setattr(module, "Settings", SimpleNamespace(from_env=lambda: None))
    monkeypatch.setattr(module, "Connection", SimpleNamespace(open=lambda *a, **k: opened))
    monkeypatch.setattr(module, "publish_run_finished", lambda *a, **k: None)
    metrics.clear_metrics()
    yield module
    metrics.clear_metrics()


def _run_with(
    poller: ModuleType, monkeypatch: pytest.MonkeyPatch, state: ConnectionState, error: Any
) -> Callable[..., Any]:
    """The handler, its sync running a real flow whose writes raise `error` (None: they succeed)."""

    def sync(integration: str, connection: Any, *, dry_run: bool = False) -> RunReport:
        return run_flow(_flow(error), state, RunOptions(dry_run=dry_run))

    monkeypatch.setattr(poller, "sync", sync)
    return lambda event: poller.handler(event, FakeContext())


EVENT = {"integration": "intacct-marketo", "connection": "default"}


@pytest.mark.parametrize(
    ("error", "status", "work_left", "stop", "seconds"),
    [
        (None, "completed", False, "none", 0),
        (RetryLater("Zendesk asks for a 90s pause", retry_after=90), "stopped_early", True, "retry_after", 90),
        (RequestSlotsBusy("every Intacct request slot held"), "stopped_early", True, "quota", QUOTA_WAIT_SECONDS),
        (StopRun("writes switched off"), "stopped_early", True, "destination", QUOTA_WAIT_SECONDS),
        (QuotaExceeded("some quota"), "stopped_early", True, "quota", QUOTA_WAIT_SECONDS),
    ],
    ids=["completed", "retry-after", "intacct-slots", "destination-stop", "quota"],
)
def test_the_handler_returns_the_report_and_the_contract(
    poller: ModuleType,
    monkeypatch: pytest.MonkeyPatch,
    state: ConnectionState,
    error: BaseException | None,
    status: str,
    work_left: bool,
    stop: str,
    seconds: int,
) -> None:
    response = _run_with(poller, monkeypatch, state, error)(EVENT)
    assert response.keys() >= CONTRACT_FIELDS
    assert (response["status"], response["work_left"], response["stop"]) == (status, work_left, stop)
    assert response["resume_after_seconds"] == seconds
    assert response["run_id"]
    assert response["counts"]


def test_the_handler_returns_the_contract_of_a_marketo_quota_stop(
    poller: ModuleType, monkeypatch: pytest.MonkeyPatch, state: ConnectionState
) -> None:
    response = _run_with(poller, monkeypatch, state, _marketo_stop())(EVENT)
    assert (response["work_left"], response["stop"]) == (True, "quota_window")
    assert 0 < response["resume_after_seconds"] <= 86_400 + RESET_MARGIN_SECONDS


def test_the_handler_time_budget_stop(
    poller: ModuleType, monkeypatch: pytest.MonkeyPatch, state: ConnectionState
) -> None:
    def sync(integration: str, connection: Any, *, dry_run: bool = False) -> RunReport:
        spent = SimpleNamespace(exhausted=lambda: True, remaining=lambda: 0.0)
        return run_flow(_flow(None), state, RunOptions(budget=spent))  # type: ignore[arg-type]

    monkeypatch.setattr(poller, "sync", sync)
    response = poller.handler(EVENT, FakeContext())
    assert (response["status"], response["work_left"], response["stop"]) == ("stopped_early", True, "time_budget")
    assert response["resume_after_seconds"] == DEFAULT_WAIT_SECONDS


def test_a_failed_run_raises_unless_the_state_machine_asks_for_the_report(
    poller: ModuleType, monkeypatch: pytest.MonkeyPatch, state: ConnectionState
) -> None:
    handler = _run_with(poller, monkeypatch, state, ConnectionError("destination down"))
    with pytest.raises(poller.RunFailedError, match="failed: ConnectionError: destination down"):
        handler(EVENT)
    response = handler(EVENT | {"return_failures": True})
    assert (response["status"], response["work_left"]) == ("failed", False)
    assert response["error"] == "ConnectionError: destination down"
