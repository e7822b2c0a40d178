"""What `mlc runs` and `mlc unlock` rest on: every run is recorded (a Ctrl-C as interrupted, with its lease released;
a refused one as lease_held; a killed one stays "running"), and a lease can be read and broken."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from mlconnector.engine.flow import Flow, PlannedFlow, Stream
from mlconnector.engine.records import Page
from mlconnector.engine.report import RunStatus
from mlconnector.engine.runner import FlowNotWritableError, RunOptions, run_flow
from mlconnector.state import ConnectionState
from tests.conftest import FakeClock
from tests.unit.engine.doubles import DictDestination, DictSource, SimulatedCrash, to_payload


class InterruptedSource(DictSource):
    """Ctrl-C arrives while the second page is read (Python raises KeyboardInterrupt wherever the main thread is)."""

    def pages(self, since: str | None) -> Iterator[Page]:
        for number, page in enumerate(super().pages(since)):
            if number == 1:
                raise KeyboardInterrupt
            yield page


def _seed(source: DictSource, n: int = 7) -> DictSource:
    for i in range(n):
        source.put(f"V{i:03d}", name=f"Vendor {i}", email=f"v{i}@example.com")
    return source


def _flow(source: DictSource, dest: DictDestination | None = None) -> Flow:
    return Flow("f", [Stream("vendors", "intacct", "VENDOR", "dest", source, to_payload, dest or DictDestination())])


def test_ctrl_c_records_the_run_as_interrupted_and_releases_its_lease(
    state: ConnectionState,
) -> None:
    source = _seed(InterruptedSource())
    options = RunOptions()
    with pytest.raises(KeyboardInterrupt):
        run_flow(_flow(source), state, options)
    [summary] = state.runs.recent(flow="f")
    assert (summary.run_id, summary.status) == (options.run_id, "interrupted")
    assert "Ctrl-C" in (summary.error or "")
    assert summary.counts["created"] == 2  # the first page's full batch was written before the interrupt
    assert state.leases.holder("f") is None  # released: the next run need not wait 16 minutes
    resumed = run_flow(_flow(_seed(DictSource())), state)
    assert resumed.status is RunStatus.COMPLETED


def test_a_killed_run_stays_recorded_as_running_with_its_lease(state: ConnectionState) -> None:
    options = RunOptions()
    with pytest.raises(SimulatedCrash):
        run_flow(_flow(_seed(DictSource()), DictDestination(crash_after_calls=1)), state, options)
    [summary] = state.runs.recent(flow="f")
    assert (summary.run_id, summary.status) == (options.run_id, "running")
    lease = state.leases.holder("f")
    assert lease is not None
    assert lease.owner == options.run_id


def test_a_refused_run_is_recorded_with_who_holds_the_lease(state: ConnectionState, clock: FakeClock) -> None:
    state.leases.acquire("f", "other-run", 60)
    report = run_flow(_flow(_seed(DictSource())), state)
    assert report.status is RunStatus.LEASE_HELD
    [summary] = state.runs.recent(flow="f")
    assert (summary.run_id, summary.status) == (report.run_id, "lease_held")
    lease = state.leases.holder("f")
    assert lease is not None
    assert (lease.owner, lease.expires_at) == ("other-run", clock() + 60)


def test_breaking_a_lease_only_breaks_the_holder_named(state: ConnectionState) -> None:
    assert state.leases.holder("f") is None
    assert state.leases.break_lease("f", "nobody") is False
    state.leases.acquire("f", "stale-run", 960)
    assert state.leases.break_lease("f", "someone-else") is False  # taken over meanwhile: left alone
    assert state.leases.holder("f") is not None
    assert state.leases.break_lease("f", "stale-run") is True
    assert state.leases.holder("f") is None
    state.leases.acquire("f", "next-run", 960)  # free again


def test_an_unwritable_flow_is_a_recorded_failed_run_and_still_raises(state: ConnectionState) -> None:
    stream = Stream("things", "src", "THING", "dest", _seed(DictSource()), to_payload, None)
    with pytest.raises(FlowNotWritableError):
        run_flow(PlannedFlow("f", lambda: Flow("f", [stream])), state)
    [summary] = state.runs.recent(flow="f")
    assert summary.status == "failed"
    assert "no writer yet" in (summary.error or "")
    assert state.leases.holder("f") is None


def test_a_dry_run_records_nothing_itself(state: ConnectionState) -> None:
    """The engine's dry run writes nothing (the CLI records the operator's, see test_cli_bad_input)."""
    run_flow(_flow(_seed(DictSource())), state, RunOptions(dry_run=True))
    assert state.runs.recent(flow="f") == []
