"""The engine's run loop against dict-backed doubles and moto state."""

from __future__ import annotations

from typing import Any

import pytest
from pynamodb.models import Model

from mlconnector.engine.budget import TimeBudget
from mlconnector.engine.flow import Flow, Stream
from mlconnector.engine.records import Action, Outcome, StopRun
from mlconnector.engine.report import RunStatus
from mlconnector.engine.runner import FlowNotWritableError, RunOptions, replay_failures, run_flow
from mlconnector.state import ConnectionState
from mlconnector.state.models import AuditEntryItem, CursorItem, LeaseItem, LinkItem
from tests.conftest import FakeClock
from tests.unit.engine.doubles import DictDestination, DictSource, SimulatedCrash, to_payload


def _count(model: type[Model], prefix: str) -> int:
    """Items of one type: several models share a table, so Model.count() would count them all."""
    return sum(1 for _ in model.scan(model.pk.startswith(prefix)))  # type: ignore[attr-defined]


def _flow(source: DictSource, dest: DictDestination | None) -> Flow:
    stream = Stream("vendors", "intacct", "VENDOR", "dest", source, to_payload, dest)
    return Flow("test-flow", [stream], api_calls=lambda: {"dest": dest.calls if dest else 0, "src": source.reads})


def _seed(n: int) -> DictSource:
    source = DictSource()
    for i in range(n):
        source.put(f"V{i:03d}", name=f"Vendor {i}", email=f"v{i}@example.com")
    return source


def test_first_run_creates_all_and_rerun_costs_no_writes(state: ConnectionState) -> None:
    source, dest = _seed(7), DictDestination()
    source.page_size = 4
    first = run_flow(_flow(source, dest), state)
    assert first.status is RunStatus.COMPLETED
    assert first.counts["created"] == 7
    assert dest.calls == 4  # pages of 4 and 3, batches of at most 2
    assert LinkItem.count() == 7
    audit_before = _count(AuditEntryItem, "REC#")

    second = run_flow(_flow(source, dest), state)
    # Only the overlap (records at the cursor) is re-read, and it is unchanged: no destination call, no writes.
    assert second.counts["created"] == second.counts["updated"] == 0
    assert second.counts["unchanged"] >= 1
    assert dest.calls == 4
    assert _count(AuditEntryItem, "REC#") == audit_before


def test_changed_record_is_updated_once(state: ConnectionState, clock: FakeClock) -> None:
    source, dest = _seed(5), DictDestination()
    run_flow(_flow(source, dest), state)
    clock.advance(1)
    source.put("V002", name="Renamed", email="v2@example.com")
    report = run_flow(_flow(source, dest), state)
    assert report.counts["updated"] == 1
    assert dest.rows["V002"]["name"] == "Renamed"
    history = state.audit.history("intacct", "VENDOR", "V002")
    assert [e.action for e in history] == ["created", "updated"]


def test_bad_records_fail_alone_and_are_kept_for_replay(state: ConnectionState) -> None:
    source, dest = _seed(6), DictDestination()
    source.put("V001", name="", email="a@example.com")  # mapping refuses it
    source.put("V004", name="Bad email", email="not-an-email")  # destination refuses it
    report = run_flow(_flow(source, dest), state)
    assert report.status is RunStatus.COMPLETED
    assert report.counts["failed"] == 2
    assert report.counts["created"] == 4
    failures = {f.source_key: f for f in state.failures.pending("test-flow")}
    assert set(failures) == {"V001", "V004"}
    assert failures["V001"].error == "VENDOR V001: NAME is empty"
    assert failures["V004"].payload == {"name": "Bad email", "email": "not-an-email"}
    assert "invalid email" in failures["V004"].error

    # Fixed at the source; the cursor has moved past them, so only replay brings them back.
    source.records["V001"]["name"] = "Fixed"
    source.records["V004"]["email"] = "fixed@example.com"
    replayed = replay_failures(_flow(source, dest), state)
    assert replayed.counts["created"] == 2
    assert state.failures.pending() == []
    assert dest.rows["V004"]["email"] == "fixed@example.com"


def test_replay_of_a_record_gone_from_the_source_is_skipped_with_reason(
    state: ConnectionState, clock: FakeClock
) -> None:
    source, dest = _seed(3), DictDestination()
    source.put("V001", name="")
    run_flow(_flow(source, dest), state)
    clock.advance(1)
    del source.records["V001"]
    report = replay_failures(_flow(source, dest), state)
    assert report.counts["skipped"] == 1
    assert state.failures.pending() == []
    assert "no longer in intacct" in (state.audit.history("intacct", "VENDOR", "V001")[-1].error or "")


def test_killed_run_resumes_to_the_same_state(state: ConnectionState, clock: FakeClock) -> None:
    source = _seed(11)
    clean_dest = DictDestination()
    crashing = DictDestination(crash_after_calls=3)
    with pytest.raises(SimulatedCrash):
        run_flow(_flow(source, crashing), state)
    assert _count(LeaseItem, "LEASE#") == 1  # the killed run never released its lease
    blocked = run_flow(_flow(source, crashing), state)
    assert blocked.status is RunStatus.LEASE_HELD
    clock.advance(1000)  # the lease expires
    crashing.crash_after_calls = None
    resumed = run_flow(_flow(source, crashing), state)
    assert resumed.status is RunStatus.COMPLETED
    assert crashing.rows == {k: to_payload_dict(v) for k, v in source.records.items()}
    assert state.failures.pending() == []
    # Resuming re-read only from the last checkpoint: fewer records than a full run.
    assert sum(resumed.counts.values()) < 11
    # And the same state as an uninterrupted run into a fresh destination would give.
    run_flow(_flow(source, clean_dest), ConnectionState.open("other", retention_days=1, clock=clock))
    assert crashing.rows == clean_dest.rows


def to_payload_dict(data: dict[str, str]) -> dict[str, str]:
    return {"name": data["name"], "email": data["email"]}


def test_systemic_writer_error_fails_the_run_without_moving_the_cursor(state: ConnectionState) -> None:
    source, dest = _seed(4), DictDestination(down=True)
    report = run_flow(_flow(source, dest), state)
    assert report.status is RunStatus.FAILED
    assert "destination unavailable" in (report.error or "")
    assert _count(CursorItem, "CURSOR#") == 0
    assert state.failures.pending() == []  # not the records' fault: they are simply read again next run
    dest.down = False
    assert run_flow(_flow(source, dest), state).counts["created"] == 4


def test_dry_run_writes_nothing_anywhere(state: ConnectionState) -> None:
    source, dest = _seed(5), DictDestination()
    source.put("V003", name="")
    report = run_flow(_flow(source, dest), state, RunOptions(dry_run=True))
    assert report.counts["created"] == 4
    assert report.counts["failed"] == 1
    assert {row.key for row in report.preview} == {"V000", "V001", "V002", "V003", "V004"}
    assert dest.calls == 0
    for table_owner in (AuditEntryItem, CursorItem, LinkItem):  # all three tables are empty
        assert table_owner.count() == 0, table_owner.Meta.table_name
    assert state.failures.pending() == []


def test_a_flow_without_writer_can_only_be_dry_run(state: ConnectionState) -> None:
    source = _seed(2)
    with pytest.raises(FlowNotWritableError, match="no writer yet"):
        run_flow(_flow(source, None), state)
    assert run_flow(_flow(source, None), state, RunOptions(dry_run=True)).counts["created"] == 2


def test_time_budget_stops_after_a_checkpoint_and_next_run_continues(state: ConnectionState) -> None:
    source, dest = _seed(9), DictDestination()
    remaining = iter([120_000, 10_000])  # ms left after page 1, then after page 2 (below the reserve)
    budget = TimeBudget(lambda: next(remaining), reserve_ms=60_000)
    first = run_flow(_flow(source, dest), state, RunOptions(budget=budget))
    assert first.status is RunStatus.STOPPED_EARLY
    assert first.counts["created"] == 6
    assert state.cursors.get("test-flow", "vendors") == "000006"
    second = run_flow(_flow(source, dest), state)
    assert second.counts["created"] == 3
    assert len(dest.rows) == 9


def test_run_summary_is_recorded(state: ConnectionState) -> None:
    source, dest = _seed(3), DictDestination()
    report = run_flow(_flow(source, dest), state)
    summary = state.runs.get(report.run_id)
    assert summary is not None
    assert summary.counts["created"] == 3
    assert summary.api_calls == {"dest": 2, "src": 1}
    assert [e.source_key for e in state.audit.by_run(report.run_id)] == ["V000", "V001", "V002"]


def test_destination_stop_ends_the_run_cleanly_at_the_last_checkpoint(state: ConnectionState) -> None:
    source, dest = _seed(9), DictDestination(max_batch=3)
    calls = {"n": 0}
    real_write = dest.write

    def quota_after_one_page(items: Any) -> Any:
        calls["n"] += 1
        if calls["n"] > 1:
            raise StopRun("daily quota reached; resumes on the next run")
        return real_write(items)

    dest.write = quota_after_one_page  # type: ignore[method-assign]
    report = run_flow(_flow(source, dest), state)
    assert report.status is RunStatus.STOPPED_EARLY
    assert report.error == "daily quota reached; resumes on the next run"
    assert state.cursors.get("test-flow", "vendors") == "000003"  # the first page only
    assert state.failures.pending() == []  # the records are not at fault
    dest.write = real_write  # type: ignore[method-assign]
    assert run_flow(_flow(source, dest), state).counts["created"] == 6


def test_partial_batches_carry_over_pages_and_the_cursor_waits_for_them(state: ConnectionState) -> None:
    source = _seed(7)  # pages of 3: 3, 3, 1
    dest = DictDestination(max_batch=2)
    cursors_seen: list[str | None] = []

    def watch(stream: Any) -> None:
        cursors_seen.append(state.cursors.get("test-flow", "vendors"))

    report = run_flow(_flow(source, dest), state, RunOptions(progress=watch))
    assert report.counts["created"] == 7
    assert dest.calls == 4  # ceil(7 / 2), not 2 + 2 + 1 per page
    # After page 1 one record still waits for a batch partner: page 1 is not checkpointed yet.
    assert cursors_seen == [None, "000006", "000006"]
    assert state.cursors.get("test-flow", "vendors") == "000007"  # the end of the stream flushes the rest


class DecliningDestination(DictDestination):
    """Declines records whose name starts with "x" (as a writer skips records it must not write)."""

    def write(self, items: Any) -> Any:
        declined = [i for i in items if str(i.payload["name"]).startswith("x")]
        outcomes = super().write([i for i in items if i not in declined])
        return [*outcomes, *(Outcome(i.record.key, Action.SKIPPED, error="declined") for i in declined)]


def test_a_record_the_writer_skips_is_skipped_once_until_its_content_changes(state: ConnectionState) -> None:
    source, dest = _seed(3), DecliningDestination()
    source.put("V001", name="x-declined", email="v1@example.com")

    first = run_flow(_flow(source, dest), state)
    source.put("V000", name="Vendor 0 renamed", email="v0@example.com")  # re-read from this point on
    source.records["V001"]["modified"] = f"{source.tick + 1:06d}"  # read again, same content
    second = run_flow(_flow(source, dest), state)
    source.put("V001", name="y-now-accepted", email="v1@example.com")
    third = run_flow(_flow(source, dest), state)

    assert first.counts["skipped"] == 1
    assert (second.counts["skipped"], second.counts["unchanged"]) == (0, 1)
    assert third.counts["created"] == 1
    assert dest.rows["V001"]["name"] == "y-now-accepted"
    entries = [e.action for e in state.audit.history("intacct", "VENDOR", "V001")]
    assert sorted(entries) == ["created", "skipped"]  # one entry each: the second run wrote none
