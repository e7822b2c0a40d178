"""`mlc sync INTEGRATION --stack S`: start the stack's PollerLoop state machine for (integration, connection) and
follow the execution, a line per poller round (its status and counts, and how long the loop waits before the next
one), until it ends. The run happens in AWS, exactly as a schedule starts it; Ctrl-C stops following, not the run.
"""

from __future__ import annotations

import json
import time
import uuid
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from typing import Any

from mlc.options import ExitCode
from mlconnector.config import ConfigurationError
from mlconnector.schedules import OUTPUT_STATE_MACHINE

POLL_SECONDS = 5.0
RUNNING = "RUNNING"


@dataclass
class Followed:
    """How an execution ended: its status (SUCCEEDED, FAILED, TIMED_OUT, ABORTED), the last poller report it saw,
    and for a failed one Step Functions' error name (RunFailed, RoundsExhausted, ...) and cause."""

    execution_arn: str
    status: str
    report: dict[str, Any] | None = None
    error: str | None = None
    cause: str | None = None
    rounds: list[dict[str, Any]] = field(default_factory=list)

    @property
    def exit_code(self) -> int:
        if self.status == "SUCCEEDED":
            status = (self.report or {}).get("status")
            return ExitCode.LEASE_HELD if status == "lease_held" else ExitCode.OK
        if self.error == "RoundsExhausted":
            return ExitCode.STOPPED_EARLY
        return ExitCode.FAILED

    def line(self) -> str:
        """What happened, in one line (for stderr when it did not succeed)."""
        if self.status == "SUCCEEDED":
            return f"execution {self.execution_arn} succeeded after {len(self.rounds)} round(s)"
        why = self.error or self.status.lower()
        detail = _cause_error(self.cause)
        return f"execution {self.execution_arn} ended {self.status.lower()}: {why}" + (f" ({detail})" if detail else "")


def start(sfn: Any, outputs: dict[str, str], integration: str, connection: str) -> str:
    """Start PollerLoop for (integration, connection); returns the execution's ARN."""
    machine = outputs.get(OUTPUT_STATE_MACHINE)
    if not machine:
        raise ConfigurationError(
            f"the stack has no {OUTPUT_STATE_MACHINE} output: deploy this version of template.yaml first"
        )
    name = f"mlc-{integration}-{connection}-{uuid.uuid4().hex[:8]}"[:80]
    payload = json.dumps({"integration": integration, "connection": connection})
    return str(sfn.start_execution(stateMachineArn=machine, name=name, input=payload)["executionArn"])


def follow(
    sfn: Any,
    execution_arn: str,
    *,
    on_round: Callable[[int, dict[str, Any]], None] = lambda _n, _report: None,
    sleep: Callable[[float], None] = time.sleep,
    poll_seconds: float = POLL_SECONDS,
) -> Followed:
    """Poll the execution until it ends, calling `on_round` once for each poller round as it completes."""
    seen: set[int] = set()
    followed = Followed(execution_arn, RUNNING)
    while True:
        described = sfn.describe_execution(executionArn=execution_arn)
        for event_id, report in _rounds(sfn, execution_arn):
            if event_id not in seen:
                seen.add(event_id)
                followed.rounds.append(report)
                on_round(len(followed.rounds), report)
        if described["status"] != RUNNING:
            followed.status = str(described["status"])
            followed.report = followed.rounds[-1] if followed.rounds else None
            followed.error, followed.cause = described.get("error"), described.get("cause")
            return followed
        sleep(poll_seconds)


def _rounds(sfn: Any, execution_arn: str) -> Iterator[tuple[int, dict[str, Any]]]:
    """(event id, the poller's report) for each completed poller invocation so far."""
    token: str | None = None
    while True:
        page = sfn.get_execution_history(
            executionArn=execution_arn, maxResults=1000, **({"nextToken": token} if token else {})
        )
        for event in page.get("events", []):
            if event.get("type") == "TaskSucceeded":
                output = json.loads(event.get("taskSucceededEventDetails", {}).get("output") or "{}")
                report = output.get("Payload")
                if isinstance(report, dict):
                    yield int(event["id"]), report
        token = page.get("nextToken")
        if not token:
            return


def round_line(number: int, report: dict[str, Any]) -> str:
    counts = ", ".join(f"{action} {n}" for action, n in sorted((report.get("counts") or {}).items()) if n)
    line = f"round {number}: {report.get('status')}" + (f"; {counts}" if counts else "; nothing new")
    if report.get("work_left"):
        line += f"; {report.get('stop')}: next round in {report.get('resume_after_seconds')} s"
    return line


def _cause_error(cause: str | None) -> str | None:
    try:
        parsed = json.loads(cause or "")
    except ValueError:
        return cause[:200] if cause else None
    return str(parsed.get("error")) if isinstance(parsed, dict) and parsed.get("error") else None
