"""The run-finished event: what reaches the default bus (on moto), what the detail holds and never holds, and that a
failure to publish is logged without failing the run."""

from __future__ import annotations

import importlib.util
import json
from collections import Counter
from types import ModuleType
from typing import Any

import boto3
import pytest
from botocore.stub import Stubber

from mlc.handlers import FUNCTIONS_DIR
from mlc.lambda_context import LocalLambdaContext
from mlconnector import run_events
from mlconnector.engine.report import RunReport, RunStatus, StreamReport
from mlconnector.run_events import DETAIL_TYPE, SOURCE, publish_run_finished, run_finished_detail

SECRET = "s3cr3t-client-secret-7c1e"


def _report(status: RunStatus = RunStatus.COMPLETED, error: str | None = None) -> RunReport:
    report = RunReport("run-1", "intacct-marketo", "default", False, "2026-12-04T10:00:00Z", status=status)
    report.finished_at, report.duration_ms = "2026-12-04T10:01:00Z", 60_000
    report.streams["companies"] = StreamReport("companies", Counter(created=3, failed=1))
    report.api_calls = {"intacct": 4, "marketo": 2}
    report.error = error
    return report


@pytest.fixture
def bus_queue(aws: None) -> str:
    """An SQS queue a rule on the default bus feeds with every ml-connector event."""
    sqs = boto3.client("sqs", region_name="us-east-1")
    url = sqs.create_queue(QueueName="run-events")["QueueUrl"]
    arn = sqs.get_queue_attributes(QueueUrl=url, AttributeNames=["QueueArn"])["Attributes"]["QueueArn"]
    events = boto3.client("events", region_name="us-east-1")
    events.put_rule(Name="runs", EventPattern=json.dumps({"source": [SOURCE], "detail-type": [DETAIL_TYPE]}))
    events.put_targets(Rule="runs", Targets=[{"Id": "queue", "Arn": arn}])
    return str(url)


def _received(url: str) -> list[dict[str, Any]]:
    sqs = boto3.client("sqs", region_name="us-east-1")
    messages = sqs.receive_message(QueueUrl=url, MaxNumberOfMessages=10).get("Messages", [])
    return [json.loads(m["Body"]) for m in messages]


def test_a_finished_run_reaches_the_default_bus_with_its_summary(bus_queue: str) -> None:
    assert publish_run_finished(_report(), region="us-east-1", client_factory=_fresh_client)
    (event,) = _received(bus_queue)
    assert (event["source"], event["detail-type"]) == ("ml-connector", "Run finished")
    detail = event["detail"]
    assert (detail["flow"], detail["connection"], detail["status"], detail["run_id"]) == (
        "intacct-marketo",
        "default",
        "completed",
        "run-1",
    )
    assert detail["counts"] == {"created": 3, "updated": 0, "unchanged": 0, "skipped": 0, "failed": 1}
    assert detail["api_calls"] == {"intacct": 4, "marketo": 2}
    assert (detail["duration_ms"], detail["dry_run"], detail["error_type"]) == (60_000, False, None)


def _fresh_client(region: str | None) -> Any:
    """The module's own client factory, uncached (moto's mock is per test)."""
    return run_events._client_for.__wrapped__(region, None)


@pytest.mark.parametrize(
    ("status", "error", "error_type"),
    [
        (RunStatus.FAILED, f"ConfigurationError: client_secret {SECRET} refused", "ConfigurationError"),
        (RunStatus.FAILED, f"AuthenticationError: {SECRET}", "AuthenticationError"),
        (RunStatus.STOPPED_EARLY, f"Marketo's daily API quota is used up ({SECRET})", None),
        (RunStatus.FAILED, f"{SECRET}: not an exception name", None),
    ],
)
def test_the_detail_names_the_error_class_never_its_text(status: RunStatus, error: str, error_type: str | None) -> None:
    detail = run_finished_detail(_report(status, error))
    assert detail["status"] == status.value
    assert detail["error_type"] == error_type
    assert SECRET not in json.dumps(detail)


def test_the_detail_holds_only_the_summary_fields() -> None:
    report = _report()
    report.streams["companies"].notes = [f"note naming {SECRET}"]
    detail = run_finished_detail(report)
    assert set(detail) == {
        "run_id",
        "flow",
        "connection",
        "status",
        "dry_run",
        "started_at",
        "finished_at",
        "duration_ms",
        "counts",
        "api_calls",
        "error_type",
    }
    assert SECRET not in json.dumps(detail)


def _warnings(caplog: pytest.LogCaptureFixture) -> list[str]:
    return [record.getMessage() for record in caplog.records if record.levelname == "WARNING"]


def test_an_unreachable_bus_is_logged_and_does_not_raise(caplog: pytest.LogCaptureFixture) -> None:
    def unreachable(region: str | None) -> Any:
        raise ConnectionError("could not reach events.us-east-1.amazonaws.com")

    assert publish_run_finished(_report(), client_factory=unreachable) is False
    assert _warnings(caplog) == ["run-finished event not published"]


def test_an_entry_eventbridge_refuses_is_reported_as_not_published(caplog: pytest.LogCaptureFixture) -> None:
    client = boto3.client("events", region_name="us-east-1")
    with Stubber(client) as stub:
        stub.add_response(
            "put_events",
            {"FailedEntryCount": 1, "Entries": [{"ErrorCode": "AccessDeniedException", "ErrorMessage": "denied"}]},
        )
        assert publish_run_finished(_report(), client_factory=lambda region: client) is False
        stub.assert_no_pending_responses()
    assert _warnings(caplog) == ["run-finished event not published"]
    assert getattr(caplog.records[-1], "reason", None) == "AccessDeniedException: denied"


def test_an_access_denied_is_logged_and_does_not_raise(caplog: pytest.LogCaptureFixture) -> None:
    client = boto3.client("events", region_name="us-east-1")
    with Stubber(client) as stub:
        stub.add_client_error("put_events", service_error_code="AccessDeniedException", http_status_code=400)
        assert publish_run_finished(_report(), client_factory=lambda region: client) is False
    assert _warnings(caplog) == ["run-finished event not published"]
    assert str(getattr(caplog.records[-1], "reason", "")).startswith("AccessDeniedException")


class _Published(list[RunReport]):
    def __call__(self, report: RunReport, **kwargs: Any) -> bool:
        self.append(report)
        return True


def test_the_poller_publishes_even_a_failed_run_before_it_raises(monkeypatch: pytest.MonkeyPatch) -> None:
    module = _poller_module()
    handler = module.handler
    published = _Published()
    failed = _report(RunStatus.FAILED, "ConfigurationError: no secret")
    monkeypatch.setattr(module, "sync", lambda *args, **kwargs: failed)
    monkeypatch.setattr(module.Connection, "open", lambda *args, **kwargs: _FakeConnection())
    monkeypatch.setattr(module, "publish_run_finished", published)
    for name in ("MLC_STATE_TABLE", "MLC_LINKS_TABLE", "MLC_AUDIT_TABLE"):
        monkeypatch.setenv(name, name.lower())
    monkeypatch.setenv("MLC_SECRET_PREFIX", "ml-connector/unit")
    with pytest.raises(module.RunFailedError):
        handler({"integration": "intacct-marketo", "connection": "default"}, LocalLambdaContext("poller"))
    assert published == [failed]


def _poller_module() -> ModuleType:
    """The poller's app.py as `mlc.handlers.load_handler` loads it, kept as a module so its names can be patched."""
    spec = importlib.util.spec_from_file_location("poller_app_under_test", FUNCTIONS_DIR / "poller" / "app.py")
    assert spec is not None
    assert spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


class _FakeConnection:
    class settings:  # stands in for Connection.settings
        region = "us-east-1"
