"""Scheduled poller: runs one integration for one connection, within the Lambda's remaining time.

Started by the stack's state machine (statemachine/poller_loop.asl.json), which sends `"return_failures": true` and
reads the run contract (mlconnector/run_contract.py) from the response: a failed run is then returned, not raised,
so the execution fails with the report. Invoked any other way, a failed run raises (the invocation fails)."""

from __future__ import annotations

from typing import Any

from mlconnector.config import Settings
from mlconnector.connection import Connection
from mlconnector.engine.budget import TimeBudget
from mlconnector.engine.observability import logger, metrics, tracer
from mlconnector.engine.report import RunStatus
from mlconnector.handlers.poll_request import PollRequest
from mlconnector.run_contract import contract
from mlconnector.run_events import publish_run_finished
from mlconnector.service import emit_metrics, sync

PREVIEW_ROWS = 20


class RunFailedError(RuntimeError):
    """The run stopped on a systemic error; raising marks the invocation failed (alarms, DLQ)."""


@logger.inject_lambda_context(clear_state=True)
@tracer.capture_lambda_handler
@metrics.log_metrics
def handler(event: dict[str, Any], context: Any) -> dict[str, Any]:
    request = PollRequest.parse(event)
    connection = Connection.open(
        request.connection,
        Settings.from_env(),
        budget=TimeBudget.from_context(context),
        read_only=request.dry_run,
    )
    report = sync(request.integration, connection, dry_run=request.dry_run)
    emit_metrics(report)
    publish_run_finished(report, region=connection.settings.region)
    if report.status is RunStatus.FAILED and event.get("return_failures") is not True:
        raise RunFailedError(f"run {report.run_id} of {report.flow} failed: {report.error}")
    response = report.to_dict() | contract(report).to_dict()
    if report.dry_run:  # what the run would write, so a test invocation shows it
        response["preview"] = [
            {"stream": r.stream, "key": r.key, "action": r.action.value, "payload": r.payload, "error": r.error}
            for r in report.preview[:PREVIEW_ROWS]
        ]
    return response
