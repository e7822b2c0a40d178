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
def env(stack: Stack, monkeypatch: pytest.MonkeyPatch) -> Stack:
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
    assert response["counts"]["created"] == 40
    assert len(response["preview"]) == 20
    assert response["preview"][0]["payload"]["externalCompanyId"].startswith("V")
    assert LinkItem.count() == 0
    emf = [json.loads(line) for line in capsys.readouterr().out.splitlines() if '"_aws"' in line]
    assert emf[-1]["Records_created"] == [40.0]


def test_a_real_sync_is_refused_until_the_marketo_writer_exists(env: Stack) -> None:
    with pytest.raises(RuntimeError, match="no writer yet"):
        load_handler("poller")({"integration": "intacct-marketo", "connection": "default"}, LocalLambdaContext("p"))


def test_a_bad_event_names_what_is_wrong(env: Stack) -> None:
    with pytest.raises(RuntimeError, match="unknown integration 'nope'"):
        load_handler("poller")({"integration": "nope"}, LocalLambdaContext("p"))
