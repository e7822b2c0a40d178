"""Preflight and planned builds run inside the run: a failure is a recorded FAILED run; streams run in
dependency order."""

from __future__ import annotations

import pytest

from mlconnector.config import ConfigurationError
from mlconnector.engine.flow import Flow, PlannedFlow, Stream, in_dependency_order
from mlconnector.engine.report import RunStatus
from mlconnector.engine.runner import FlowNotWritableError, RunOptions, run_flow
from mlconnector.errors import QuotaExceeded
from mlconnector.state import ConnectionState
from tests.unit.engine.doubles import DictDestination, DictSource, to_payload


def _stream(name: str, *depends_on: str, source: DictSource | None = None) -> Stream:
    return Stream(
        name, "src", "THING", "dest", source or DictSource(), to_payload, DictDestination(), depends_on=depends_on
    )


def _refuse() -> None:
    raise ConfigurationError("custom field nope does not exist in Marketo")


def test_a_failing_preflight_is_a_recorded_failed_run_and_reads_nothing(state: ConnectionState) -> None:
    source = DictSource()
    source.put("V1", name="One", email="one@example.com")
    flow = Flow("f", [_stream("things", source=source)], preflight=(_refuse,))
    report = run_flow(flow, state)
    assert report.status is RunStatus.FAILED
    assert report.error == "ConfigurationError: custom field nope does not exist in Marketo"
    assert source.reads == 0
    [summary] = state.runs.recent(flow="f")
    assert (summary.run_id, summary.status, summary.error) == (report.run_id, "failed", report.error)
    state.leases.acquire("f", "next-run", 60)  # the lease was released: this would raise LeaseHeldError


def test_a_planned_build_that_fails_is_a_recorded_failed_run(state: ConnectionState) -> None:
    def build() -> Flow:
        raise ConfigurationError("the marketo secret has no client_id")

    report = run_flow(PlannedFlow("f", build), state)
    assert report.status is RunStatus.FAILED
    assert "no client_id" in (report.error or "")
    assert [s.status for s in state.runs.recent(flow="f")] == ["failed"]


def test_a_planned_build_runs_after_the_lease_and_its_preflight_before_any_read(state: ConnectionState) -> None:
    order: list[str] = []
    source = DictSource()
    source.put("V1", name="One", email="one@example.com")

    def build() -> Flow:
        order.append("build")
        return Flow("f", [_stream("things", source=source)], preflight=(lambda: order.append("preflight"),))

    state.leases.acquire("f", "someone-else", 60)
    held = run_flow(PlannedFlow("f", build), state)
    assert held.status is RunStatus.LEASE_HELD
    assert order == []  # nothing built while another run holds the flow
    state.leases.release("f", "someone-else")
    report = run_flow(PlannedFlow("f", build), state)
    assert report.status is RunStatus.COMPLETED
    assert order == ["build", "preflight"]
    assert report.counts["created"] == 1


def test_a_dry_run_of_a_failing_preflight_fails_without_recording(state: ConnectionState) -> None:
    report = run_flow(Flow("f", [_stream("things")], preflight=(_refuse,)), state, RunOptions(dry_run=True))
    assert report.status is RunStatus.FAILED
    assert state.runs.recent(flow="f") == []


def test_an_unwritable_planned_flow_is_refused_like_a_built_one(state: ConnectionState) -> None:
    stream = Stream("things", "src", "THING", "dest", DictSource(), to_payload, None)
    with pytest.raises(FlowNotWritableError):
        run_flow(PlannedFlow("f", lambda: Flow("f", [stream])), state)


def test_streams_run_after_what_they_depend_on() -> None:
    flow = Flow("f", [_stream("leads", "companies"), _stream("other"), _stream("companies")])
    assert [s.name for s in flow.streams] == ["companies", "leads", "other"]


def test_a_dependency_the_flow_does_not_have_is_ignored() -> None:
    assert [s.name for s in in_dependency_order([_stream("bills", "vendor-master"), _stream("memos", "bills")])] == [
        "bills",
        "memos",
    ]


def test_a_cycle_is_refused() -> None:
    with pytest.raises(ValueError, match="cycle: a -> b -> a"):
        Flow("f", [_stream("a", "b"), _stream("b", "a")])


class _Reader(DictSource):
    system = "intacct"
    object = "VENDOR"


class _Writer(DictDestination):
    system = "marketo"


def test_a_declared_stream_takes_its_systems_and_object_from_its_reader_and_writer() -> None:
    stream = Stream.declare("companies", reader=_Reader(), mapping=to_payload, writer=_Writer(), depends_on=("x",))
    assert (stream.source_system, stream.source_object, stream.destination_system) == ("intacct", "VENDOR", "marketo")
    assert stream.depends_on == ("x",)


def test_a_reader_that_declares_no_system_is_refused_with_the_stream_named() -> None:
    with pytest.raises(TypeError, match="stream 'companies': DictSource declares no 'system'"):
        Stream.declare("companies", reader=DictSource(), mapping=to_payload, writer=_Writer())


def test_finish_steps_run_once_every_stream_finished(state: ConnectionState) -> None:
    order: list[str] = []
    source = DictSource()
    source.put("A", n=1)
    flow = Flow("f", [_stream("things", source=source)], finish=(lambda: order.append("finish"),))
    report = run_flow(flow, state)
    assert report.status is RunStatus.COMPLETED
    assert order == ["finish"]


def test_finish_steps_do_not_run_after_a_failed_preflight(state: ConnectionState) -> None:
    order: list[str] = []
    flow = Flow("f", [_stream("things")], preflight=(_refuse,), finish=(lambda: order.append("finish"),))
    assert run_flow(flow, state).status is RunStatus.FAILED
    assert order == []


def test_a_quota_used_up_in_a_preflight_stops_the_run_early_rather_than_failing_it(state: ConnectionState) -> None:
    def metadata() -> None:
        raise QuotaExceeded("API credits for the day are used up; the next run resumes")

    report = run_flow(Flow("f", [_stream("things")], preflight=(metadata,)), state)
    assert report.status is RunStatus.STOPPED_EARLY
    assert "next run resumes" in str(report.error)
