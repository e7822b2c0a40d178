"""The poller Lambda handler, unchanged, on moto and the simulator, with a Lambda-like context."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from mlc.handlers import load_handler
from mlc.lambda_context import LocalLambdaContext
from mlconnector.state.models import LinkItem
from tests.integration.conftest import PREFIX, Stack

pytestmark = pytest.mark.integration

EVENTS = Path(__file__).resolve().parents[2] / "events"


@pytest.fixture
def env(both: Stack, monkeypatch: pytest.MonkeyPatch) -> Stack:
    stack = both
    tables = stack.settings.tables
    for name, value in {
        "MLC_STATE_TABLE": tables.state,
        "MLC_LINKS_TABLE": tables.links,
        "MLC_AUDIT_TABLE": tables.audit,
        "MLC_SECRET_PREFIX": PREFIX,
        "MLC_AUDIT_RETENTION_DAYS": "30",
        "MLC_SANDBOX_HOSTS": "127.0.0.1",
    }.items():
        monkeypatch.setenv(name, value)
    return stack


def test_sample_event_runs_a_dry_run_and_returns_the_preview(env: Stack, capsys: pytest.CaptureFixture[str]) -> None:
    event = json.loads((EVENTS / "poller-schedule.json").read_text())
    response = load_handler("poller")(event, LocalLambdaContext("poller"))
    assert response["status"] == "completed"
    assert response["dry_run"] is True
    assert response["streams"]["companies"]["counts"]["created"] == 40
    assert response["streams"]["leads"]["counts"]["created"] > 40
    assert len(response["preview"]) == 20
    assert response["preview"][0]["payload"]["externalCompanyId"].startswith("V")
    assert LinkItem.count() == 0
    emf = [json.loads(line) for line in capsys.readouterr().out.splitlines() if '"_aws"' in line]
    assert emf[-1]["Records_created"] == [float(response["counts"]["created"])]
    assert env.marketo is not None
    assert env.marketo.companies == {}


def test_a_scheduled_run_syncs_companies_and_leads(env: Stack) -> None:
    event = {"integration": "intacct-marketo", "connection": "default"}
    response = load_handler("poller")(event, LocalLambdaContext("poller"))
    assert response["status"] == "completed"
    assert env.marketo is not None
    assert len(env.marketo.companies) == 40
    assert response["api_calls"]["marketo"] >= 4  # identity, two describes, and the syncs


def test_a_bad_event_names_what_is_wrong(env: Stack) -> None:
    with pytest.raises(RuntimeError, match="unknown integration 'nope'"):
        load_handler("poller")({"integration": "nope"}, LocalLambdaContext("p"))


def _failed_run(env: Stack, capsys: pytest.CaptureFixture[str], integration: str) -> tuple[str, dict[str, object]]:
    """Invoke the poller, which must raise for the failed run, and return its reason and EMF metrics."""
    capsys.readouterr()
    with pytest.raises(RuntimeError, match=rf"run \w+ of {integration} failed") as failed:
        load_handler("poller")({"integration": integration, "connection": "default"}, LocalLambdaContext("poller"))
    emf = [json.loads(line) for line in capsys.readouterr().out.splitlines() if '"_aws"' in line]
    return str(failed.value), emf[-1]


@pytest.mark.parametrize(
    ("system", "secret", "reason"),
    [
        ("marketo", {"munchkin_id": "123-ABC-456", "client_id": "x"}, "client_secret"),
        ("intacct", {"sender_id": "s"}, "sender_password"),
    ],
)
def test_a_bad_secret_is_a_recorded_failed_run_with_metrics(
    env: Stack, capsys: pytest.CaptureFixture[str], system: str, secret: dict[str, str], reason: str
) -> None:
    env._put("default", system, secret)
    message, metrics = _failed_run(env, capsys, "intacct-marketo")
    assert reason in message
    assert metrics["Runs_failed"] == [1.0]
    [summary] = env.connection().state.runs.recent(flow="intacct-marketo")
    assert summary.status == "failed"
    assert reason in (summary.error or "")
    assert env.marketo is not None
    assert env.marketo.companies == {}


def test_an_unknown_custom_field_is_a_recorded_failed_run_with_metrics(
    env: Stack, capsys: pytest.CaptureFixture[str]
) -> None:
    env.put_marketo_secret(custom_fields={"company": {"nope": "VENDTYPE"}})
    message, metrics = _failed_run(env, capsys, "intacct-marketo")
    assert "company.nope" in message
    assert metrics["Runs_failed"] == [1.0]
    assert [s.status for s in env.connection().state.runs.recent(flow="intacct-marketo")] == ["failed"]
