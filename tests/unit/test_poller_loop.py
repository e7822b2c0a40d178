"""PollerLoop (statemachine/poller_loop.asl.json) run by a small ASL interpreter against recorded poller responses.

The interpreter knows the states and the JSONPath subset the definition uses (Pass, Task with Retry and Catch,
Choice, Wait, Succeed, Fail; paths like $.a.b; States.MathAdd, States.JsonToString, States.StringToJson), and
refuses anything else, so the definition cannot grow past what is tested here. The responses are built the way the
poller builds them: the run report plus mlconnector.run_contract's fields.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest

from mlconnector.engine.records import StopRun
from mlconnector.engine.report import RunReport, RunStatus
from mlconnector.run_contract import DEFAULT_WAIT_SECONDS, QUOTA_WAIT_SECONDS, contract
from mlconnector.systems.zendesk.errors import RetryLater

DEFINITION = Path(__file__).resolve().parents[2] / "statemachine" / "poller_loop.asl.json"
POLLER_ARN = "arn:aws:lambda:us-east-1:123456789012:function:stack-PollerFunction-abc"
NOW = datetime(2026, 12, 4, 12, 0, tzinfo=UTC)
MAX_STEPS = 10_000


def definition(max_rounds: int = 48) -> dict[str, Any]:
    """The definition as CloudFormation hands it to Step Functions (DefinitionSubstitutions applied)."""
    values = {"MaxRounds": str(max_rounds), "PollerFunctionArn": POLLER_ARN, "Partition": "aws"}
    text = re.sub(r"\$\{(\w+)\}", lambda m: values[m.group(1)], DEFINITION.read_text())
    loaded = json.loads(text)
    assert isinstance(loaded, dict)
    return loaded


# --------------------------------------------------------------------------- the interpreter


class TaskError(Exception):
    """What a Task's resource raises: an error name and a cause, as Lambda's errors reach Step Functions."""

    def __init__(self, error: str, cause: str) -> None:
        super().__init__(error)
        self.error, self.cause = error, cause


@dataclass
class Execution:
    status: str = "RUNNING"
    output: Any = None
    error: str | None = None
    cause: str | None = None
    waits: list[float] = field(default_factory=list)
    """Seconds waited, by Wait states and between Task retries, in order."""
    visited: list[str] = field(default_factory=list)


def get_path(data: Any, path: str) -> Any:
    if path == "$":
        return data
    assert path.startswith("$."), f"unsupported path {path}"
    for part in path[2:].split("."):
        assert isinstance(data, dict), f"{path}: {data!r} is not an object"
        assert part in data, f"{path}: no {part!r} in {data!r}"
        data = data[part]
    return data


def set_path(data: Any, path: str | None, value: Any) -> Any:
    if path is None or path == "$":
        return value
    assert path.startswith("$."), f"unsupported path {path}"
    result = dict(data) if isinstance(data, dict) else {}
    node = result
    *parents, last = path[2:].split(".")
    for part in parents:
        node[part] = dict(node.get(part, {}))
        node = node[part]
    node[last] = value
    return result


INTRINSIC = re.compile(r"States\.(\w+)\((.*)\)")


def _argument(text: str, data: Any) -> Any:
    text = text.strip()
    if text.startswith("'") and text.endswith("'"):
        return text[1:-1]
    if text.startswith("$"):
        return get_path(data, text)
    return json.loads(text)


def evaluate(expression: str, data: Any) -> Any:
    call = INTRINSIC.fullmatch(expression)
    if call is None:
        return get_path(data, expression)
    name, raw = call.groups()
    arguments = [_argument(part, data) for part in raw.split(",")] if raw.strip() else []
    functions: dict[str, Callable[..., Any]] = {
        "MathAdd": lambda a, b: a + b,
        "JsonToString": lambda value: json.dumps(value, separators=(",", ":")),
        "StringToJson": json.loads,
    }
    assert name in functions, f"unsupported intrinsic States.{name}"
    return functions[name](*arguments)


def render(template: Any, data: Any) -> Any:
    """Parameters / ResultSelector: keys ending in .$ are paths or intrinsics, the rest literal."""
    if isinstance(template, dict):
        return {
            (key[:-2] if key.endswith(".$") else key): (
                evaluate(value, data) if key.endswith(".$") else render(value, data)
            )
            for key, value in template.items()
        }
    if isinstance(template, list):
        return [render(item, data) for item in template]
    return template


def _matches(rule: dict[str, Any], data: Any) -> bool:
    if "And" in rule:
        return all(_matches(sub, data) for sub in rule["And"])
    if "Or" in rule:
        return any(_matches(sub, data) for sub in rule["Or"])
    if "Not" in rule:
        return not _matches(rule["Not"], data)
    value = get_path(data, rule["Variable"])
    comparisons: dict[str, Callable[[Any], bool]] = {
        "StringEquals": lambda expected: isinstance(value, str) and value == expected,
        "BooleanEquals": lambda expected: isinstance(value, bool) and value == expected,
        "NumericEquals": lambda expected: _number(value) and value == expected,
        "NumericGreaterThanEquals": lambda expected: _number(value) and value >= expected,
        "NumericGreaterThanEqualsPath": lambda path: _number(value) and value >= get_path(data, path),
    }
    (operator,) = [key for key in rule if key not in ("Variable", "Next")]
    assert operator in comparisons, f"unsupported comparison {operator}"
    return comparisons[operator](rule[operator])


def _number(value: Any) -> bool:
    return isinstance(value, int | float) and not isinstance(value, bool)


def _error_matches(names: list[str], error: str) -> bool:
    return "States.ALL" in names or error in names


def run(machine: dict[str, Any], execution_input: Any, resources: dict[str, Callable[[Any], Any]]) -> Execution:
    """Run the definition; each Task's resource is called as resources[Resource](Parameters)."""
    states: dict[str, dict[str, Any]] = machine["States"]
    execution = Execution()
    name, data = machine["StartAt"], execution_input
    for _ in range(MAX_STEPS):
        state = states[name]
        execution.visited.append(name)
        kind = state["Type"]
        assert set(state) - {"Comment"} <= ALLOWED_FIELDS[kind], (
            f"{name}: unsupported {set(state) - ALLOWED_FIELDS[kind]}"
        )
        if kind == "Pass":
            result = render(state["Parameters"], data) if "Parameters" in state else data
            data = set_path(data, state.get("ResultPath", "$"), result)
        elif kind == "Task":
            outcome = _task(state, data, resources[state["Resource"]], execution)
            if isinstance(outcome, TaskError):
                (catcher,) = [c for c in state.get("Catch", []) if _error_matches(c["ErrorEquals"], outcome.error)]
                data = set_path(data, catcher["ResultPath"], {"Error": outcome.error, "Cause": outcome.cause})
                name = catcher["Next"]
                continue
            if "ResultSelector" in state:
                outcome = render(state["ResultSelector"], outcome)
            data = set_path(data, state.get("ResultPath", "$"), outcome)
        elif kind == "Choice":
            chosen = [rule["Next"] for rule in state["Choices"] if _matches(rule, data)]
            name = chosen[0] if chosen else state["Default"]
            continue
        elif kind == "Wait":
            seconds = get_path(data, state["SecondsPath"]) if "SecondsPath" in state else state["Seconds"]
            assert _number(seconds), f"{name}: cannot wait {seconds!r}"
            assert seconds >= 0, f"{name}: cannot wait {seconds!r}"
            execution.waits.append(seconds)
        elif kind == "Succeed":
            execution.status, execution.output = "SUCCEEDED", data
            return execution
        elif kind == "Fail":
            execution.status = "FAILED"
            execution.error = get_path(data, state["ErrorPath"]) if "ErrorPath" in state else state.get("Error")
            execution.cause = get_path(data, state["CausePath"]) if "CausePath" in state else state.get("Cause")
            return execution
        name = state["Next"]
    raise AssertionError("the execution never ended")


ALLOWED_FIELDS = {
    "Pass": {"Type", "Parameters", "ResultPath", "Next"},
    "Task": {
        "Type",
        "Resource",
        "Parameters",
        "TimeoutSeconds",
        "ResultSelector",
        "ResultPath",
        "Retry",
        "Catch",
        "Next",
    },
    "Choice": {"Type", "Choices", "Default"},
    "Wait": {"Type", "Seconds", "SecondsPath", "Next"},
    "Succeed": {"Type"},
    "Fail": {"Type", "Error", "ErrorPath", "Cause", "CausePath"},
}


def _task(state: dict[str, Any], data: Any, resource: Callable[[Any], Any], execution: Execution) -> Any:
    parameters = render(state["Parameters"], data)
    attempts: dict[int, int] = {}
    while True:
        try:
            return resource(parameters)
        except TaskError as failure:
            retriers = [
                i for i, r in enumerate(state.get("Retry", [])) if _error_matches(r["ErrorEquals"], failure.error)
            ]
            if not retriers:
                return failure
            index = retriers[0]
            retrier = state["Retry"][index]
            done = attempts.get(index, 0)
            if done >= retrier.get("MaxAttempts", 3):
                return failure
            execution.waits.append(retrier.get("IntervalSeconds", 1) * retrier.get("BackoffRate", 2.0) ** done)
            attempts[index] = done + 1


# --------------------------------------------------------------------------- recorded poller responses


def response(status: RunStatus, stop: BaseException | None = None, error: str | None = None) -> dict[str, Any]:
    """What the poller returns for a run that ended so (app.handler: report.to_dict() | contract(...))."""
    report = RunReport("r1", "intacct-zendesk", "default", False, "2026-12-04T12:00:00Z", status=status)
    report.error = error if error is not None else (str(stop) if stop is not None else None)
    return report.to_dict() | contract(report, stop, now=NOW).to_dict()


class Poller:
    """Stands for the poller Lambda: answers each invocation with the next recorded response (or error)."""

    def __init__(self, *responses: dict[str, Any] | TaskError) -> None:
        self.responses: Iterator[dict[str, Any] | TaskError] = iter(responses)
        self.payloads: list[Any] = []

    def __call__(self, parameters: dict[str, Any]) -> dict[str, Any]:
        assert parameters["FunctionName"] == POLLER_ARN
        self.payloads.append(parameters["Payload"])
        answer = next(self.responses)
        if isinstance(answer, TaskError):
            raise answer
        return {"StatusCode": 200, "Payload": answer, "ExecutedVersion": "$LATEST"}


def execute(poller: Poller, max_rounds: int = 48) -> Execution:
    return run(
        definition(max_rounds),
        {"integration": "intacct-zendesk", "connection": "default"},
        {"arn:aws:states:::lambda:invoke": poller},
    )


COMPLETED = response(RunStatus.COMPLETED)
TIME_BUDGET = response(RunStatus.STOPPED_EARLY)
RETRY_AFTER = response(RunStatus.STOPPED_EARLY, RetryLater("Zendesk incremental export: window full", retry_after=60))


# --------------------------------------------------------------------------- the loop


def test_a_run_that_completes_at_once_succeeds_after_one_invocation() -> None:
    poller = Poller(COMPLETED)
    execution = execute(poller)
    assert execution.status == "SUCCEEDED"
    assert poller.payloads == [{"integration": "intacct-zendesk", "connection": "default", "return_failures": True}]
    assert execution.waits == []
    assert execution.output["last"]["report"]["status"] == "completed"


def test_stopped_early_twice_then_completed_invokes_three_times_waiting_what_each_report_names() -> None:
    poller = Poller(TIME_BUDGET, RETRY_AFTER, COMPLETED)
    execution = execute(poller)
    assert execution.status == "SUCCEEDED"
    assert len(poller.payloads) == 3
    assert poller.payloads[0] == poller.payloads[2]  # the same request every round
    assert execution.waits == [DEFAULT_WAIT_SECONDS, 60]
    assert execution.output["round"] == 3


def test_a_quota_stop_waits_for_its_window() -> None:
    marketo = StopRun("Marketo quota")
    from mlconnector.systems.marketo.errors import QuotaExceeded as MarketoQuota  # noqa: PLC0415

    marketo.__cause__ = MarketoQuota("sync leads: Marketo daily API quota used up", [])
    unknown = response(RunStatus.STOPPED_EARLY, StopRun("writes switched off"))
    poller = Poller(response(RunStatus.STOPPED_EARLY, marketo), unknown, COMPLETED)
    execution = execute(poller)
    assert execution.status == "SUCCEEDED"
    # 12:00 UTC -> 06:00 UTC the next day (midnight US Central in standard time), plus the margin.
    assert execution.waits == [18 * 3600 + 300, QUOTA_WAIT_SECONDS]


def test_a_failed_run_fails_the_execution_with_its_report() -> None:
    failed = response(RunStatus.FAILED, error="AuthenticationError: Zendesk refused the refresh token")
    poller = Poller(failed)
    execution = execute(poller)
    assert execution.status == "FAILED"
    assert execution.error == "RunFailed"
    assert execution.cause is not None
    cause = json.loads(execution.cause)
    assert cause["error"] == "AuthenticationError: Zendesk refused the refresh token"
    assert cause["run_id"] == "r1"
    assert len(poller.payloads) == 1


def test_a_failure_after_progress_still_fails() -> None:
    failed = response(RunStatus.FAILED, error="ConnectionError: down")
    execution = execute(Poller(TIME_BUDGET, failed))
    assert (execution.status, execution.error, execution.waits) == ("FAILED", "RunFailed", [DEFAULT_WAIT_SECONDS])


def test_the_bound_ends_an_execution_whose_run_never_completes_as_rounds_exhausted() -> None:
    poller = Poller(*[TIME_BUDGET] * 10)
    execution = execute(poller, max_rounds=3)
    assert execution.status == "FAILED"
    assert execution.error == "RoundsExhausted"
    assert len(poller.payloads) == 3
    assert execution.waits == [DEFAULT_WAIT_SECONDS] * 2  # no wait after the last round
    assert execution.cause is not None
    assert json.loads(execution.cause)["work_left"] is True


def test_a_run_completing_on_the_last_allowed_round_succeeds() -> None:
    execution = execute(Poller(TIME_BUDGET, TIME_BUDGET, COMPLETED), max_rounds=3)
    assert execution.status == "SUCCEEDED"


@pytest.mark.parametrize("status", [RunStatus.LEASE_HELD, RunStatus.INTERRUPTED])
def test_a_run_with_nothing_to_resume_succeeds(status: RunStatus) -> None:
    """Another run of the flow holds the lease: that run does the work."""
    execution = execute(Poller(response(status, error="held by run r0")))
    assert execution.status == "SUCCEEDED"


def test_a_dry_run_is_not_resumed() -> None:
    report = RunReport("r1", "intacct-zendesk", "default", True, "t", status=RunStatus.STOPPED_EARLY)
    execution = execute(Poller(report.to_dict() | contract(report).to_dict()))
    assert execution.status == "SUCCEEDED"


def test_an_invocation_refused_for_concurrency_is_retried_with_backoff() -> None:
    throttled = TaskError("Lambda.TooManyRequestsException", "Rate Exceeded.")
    poller = Poller(throttled, throttled, COMPLETED)
    execution = execute(poller)
    assert execution.status == "SUCCEEDED"
    assert execution.waits == [30, 60]


def test_an_invocation_that_fails_without_a_report_fails_with_its_error() -> None:
    crash = TaskError("ConfigurationError", json.dumps({"errorMessage": "unknown integration 'nope'"}))
    execution = execute(Poller(crash))
    assert (execution.status, execution.error) == ("FAILED", "ConfigurationError")
    assert execution.cause is not None
    assert "unknown integration" in execution.cause


def test_the_definition_reads_only_fields_the_contract_returns() -> None:
    read = set(re.findall(r"\$\.last\.report\.(\w+)", DEFINITION.read_text()))
    assert read, "the definition reads nothing of the report"
    assert read <= COMPLETED.keys()
    assert {"status", "work_left", "resume_after_seconds"} <= read
