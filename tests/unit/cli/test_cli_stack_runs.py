"""Following a PollerLoop execution (`mlc sync --stack`): a line per poller round as it completes, then how it
ended, as an exit code."""

from __future__ import annotations

import json
from typing import Any

from mlc.options import ExitCode
from mlc.stack_runs import follow, round_line

ARN = "arn:aws:states:us-east-1:123456789012:execution:loop:mlc-intacct-zoho-default-1"


def _report(status: str, *, work_left: bool = False, wait: int = 0, **counts: int) -> dict[str, Any]:
    return {"status": status, "work_left": work_left, "resume_after_seconds": wait, "stop": "time_budget",
            "counts": counts, "error": None}  # fmt: skip


class FakeStepFunctions:
    """An execution that completes one more poller round at each describe, then ends as told."""

    def __init__(self, reports: list[dict[str, Any]], end: dict[str, Any]) -> None:
        self.reports, self.end, self.described = reports, end, 0

    def describe_execution(self, executionArn: str) -> dict[str, Any]:
        self.described += 1
        return self.end if self.described >= len(self.reports) else {"status": "RUNNING"}

    def get_execution_history(self, **_: Any) -> dict[str, Any]:
        done = self.reports[: self.described]
        events = [
            {"id": 10 * (n + 1), "type": "TaskSucceeded",
             "taskSucceededEventDetails": {"output": json.dumps({"Payload": report, "StatusCode": 200})}}
            for n, report in enumerate(done)
        ]  # fmt: skip
        return {"events": [{"id": 1, "type": "ExecutionStarted"}, *events]}


def test_each_round_is_reported_once_and_a_completed_run_exits_0() -> None:
    reports = [_report("stopped_early", work_left=True, wait=10, created=500), _report("completed", created=20)]
    sfn = FakeStepFunctions(reports, {"status": "SUCCEEDED"})
    seen: list[tuple[int, str]] = []
    waits: list[float] = []
    followed = follow(sfn, ARN, on_round=lambda n, r: seen.append((n, r["status"])), sleep=waits.append)
    assert seen == [(1, "stopped_early"), (2, "completed")]
    assert followed.exit_code == ExitCode.OK
    assert waits == [5.0]
    assert round_line(1, reports[0]) == "round 1: stopped_early; created 500; time_budget: next round in 10 s"


def test_an_unfinished_backfill_exits_stopped_early_and_a_failed_run_names_its_error() -> None:
    unfinished = follow(
        FakeStepFunctions(
            [_report("stopped_early", work_left=True, wait=10)],
            {"status": "FAILED", "error": "RoundsExhausted", "cause": "{}"},
        ),
        ARN,
        sleep=lambda _s: None,
    )
    assert unfinished.exit_code == ExitCode.STOPPED_EARLY
    failed_report = {**_report("failed"), "error": "ConfigurationError: Zoho secret has no client_id"}
    failed = follow(
        FakeStepFunctions(
            [failed_report], {"status": "FAILED", "error": "RunFailed", "cause": json.dumps(failed_report)}
        ),
        ARN,
        sleep=lambda _s: None,
    )
    assert failed.exit_code == ExitCode.FAILED
    assert "RunFailed (ConfigurationError: Zoho secret has no client_id)" in failed.line()


def test_another_run_holding_the_lease_exits_4() -> None:
    held = follow(FakeStepFunctions([_report("lease_held")], {"status": "SUCCEEDED"}), ARN, sleep=lambda _s: None)
    assert held.exit_code == ExitCode.LEASE_HELD
