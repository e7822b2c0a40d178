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
