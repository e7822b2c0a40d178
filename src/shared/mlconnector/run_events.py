"""The run-finished event: after each scheduled run the poller puts the report's summary on the account's default
EventBridge bus (source `ml-connector`, detail-type `Run finished`), so an operator can route notifications anywhere
with a rule, e.g. `{"source": ["ml-connector"], "detail": {"status": ["failed"]}}`.

The detail is built from the report's counts and identifiers only: never a record, a payload or an error's text
(a vendor's error message may echo what was sent), so no secret can reach it. Publishing is best effort: a failure
is logged and the run's outcome stands.
"""

from __future__ import annotations

import json
import os
from collections.abc import Callable
from functools import cache
from typing import Any

from mlconnector.engine.observability import logger
from mlconnector.engine.report import RunReport

SOURCE = "ml-connector"
DETAIL_TYPE = "Run finished"
EVENT_BUS = "default"

_ERROR_TYPE_LENGTH = 100


def run_finished_detail(report: RunReport) -> dict[str, Any]:
    """The event's detail: what a notification needs to say which run ended how, and nothing else."""
    return {
        "run_id": report.run_id,
        "flow": report.flow,
        "connection": report.connection,
        "status": report.status.value,
        "dry_run": report.dry_run,
        "started_at": report.started_at,
        "finished_at": report.finished_at,
        "duration_ms": report.duration_ms,
        "counts": dict(report.counts),
        "api_calls": dict(report.api_calls),
        "error_type": _error_type(report.error),
    }


def _error_type(error: str | None) -> str | None:
    """The exception class a failed run recorded ("ConfigurationError" of "ConfigurationError: ..."), not its text.
    A stop's reason (a sentence, no class) gives None."""
    if not error:
        return None
    head, colon, _ = error.partition(":")
    return head[:_ERROR_TYPE_LENGTH] if colon and head.isidentifier() else None


def _events_client(region: str | None) -> Any:
    """One EventBridge client per container (and endpoint: local runs set AWS_ENDPOINT_URL), built on the first
    publish, not at import (cold start)."""
    return _client_for(region, os.environ.get("AWS_ENDPOINT_URL"))


@cache
def _client_for(region: str | None, endpoint: str | None) -> Any:
    """Short timeouts: an unreachable endpoint costs seconds, not the run's remaining time."""
    from botocore.config import Config  # noqa: PLC0415 - only once a run has finished

    from mlconnector import aws  # noqa: PLC0415

    config = Config(connect_timeout=2, read_timeout=5, retries={"max_attempts": 2, "mode": "standard"})
    return aws.session().create_client("events", region_name=region, endpoint_url=endpoint, config=config)


def publish_run_finished(
    report: RunReport, *, region: str | None = None, client_factory: Callable[[str | None], Any] = _events_client
) -> bool:
    """Put the run-finished event on the default bus. Returns whether EventBridge took it; never raises."""
    entry = {
        "Source": SOURCE,
        "DetailType": DETAIL_TYPE,
        "Detail": json.dumps(run_finished_detail(report)),
        "EventBusName": EVENT_BUS,
    }
    try:
        reply = client_factory(region).put_events(Entries=[entry])
    except Exception as error:  # the run is done: an event lost must not fail it
        logger.warning("run-finished event not published", extra={"reason": f"{type(error).__name__}: {error}"})
        return False
    if reply.get("FailedEntryCount"):
        failed = (reply.get("Entries") or [{}])[0]
        logger.warning(
            "run-finished event not published",
            extra={"reason": f"{failed.get('ErrorCode')}: {failed.get('ErrorMessage')}"},
        )
        return False
    return True
