"""`mlc` as an operator runs it on the local environment: --json that parses when records fail, Ctrl-C during a
sync, leases shown and broken, exit codes of runs that did not complete, dry runs and replays in `mlc runs`, and
commands run from any folder of the checkout."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import boto3
import pytest

from mlc import render
from mlc.embedded import DEFAULT_CONNECTION, LocalEnvironment
from mlc.main import main
from mlconnector.config import Settings, secret_name
from mlconnector.connection import Connection
from mlconnector.engine.report import RunReport, RunStatus, StreamReport
from mlconnector.engine.runner import RunOptions, run_summary

pytestmark = pytest.mark.integration


def _run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    capsys.readouterr()
    code = main(list(argv))
    out, err = capsys.readouterr()
    assert "Traceback" not in out + err
    return code, out, err


def _json(capsys: pytest.CaptureFixture[str], *argv: str, code: int = 0) -> Any:
    got, out, _ = _run(capsys, *argv, "--json")
    assert got == code
    return json.loads(out)


def _state() -> Any:
    return Connection.open(DEFAULT_CONNECTION, Settings.from_env()).state


def test_json_parses_when_records_fail_and_logs_go_to_stderr(
    local: LocalEnvironment, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    code, out, err = _run(capsys, "sync", "commerce-intacct", "--json")
    report = json.loads(out)  # nothing but the report on stdout
    assert code == 0
    assert report["counts"]["failed"] > 0  # the local data has records Intacct refuses
    assert "record failed" not in err  # counted by the summary, not logged line by line
    # The refused records are read and refused again by each replay: its --json parses too, at any log level.
    for level in (None, "INFO"):
        if level:
            monkeypatch.setenv("MLC_LOG_LEVEL", level)
        code, out, err = _run(capsys, "replay", "commerce-intacct", "--json")
        replayed = json.loads(out)
        assert replayed["run_id"].startswith("replay-")
        assert replayed["counts"]["failed"] > 0
        if level:
            assert '"record failed"' in err  # the engine's JSON lines, on stderr
    monkeypatch.delenv("MLC_LOG_LEVEL")
    code, out, _ = _run(capsys, "replay", "commerce-intacct")
    assert "wait for a replay: see `mlc audit --failed --integration commerce-intacct`" in out


@contextmanager
def _ctrl_c_after_first_page() -> Iterator[Callable[[StreamReport], None]]:
    def interrupt(stream: StreamReport) -> None:
        raise KeyboardInterrupt

    yield interrupt


def test_ctrl_c_during_sync_records_an_interrupted_run_and_frees_the_flow(
    local: LocalEnvironment, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    with monkeypatch.context() as patch:
        patch.setattr(render, "progress", lambda enabled: _ctrl_c_after_first_page())
        code, _, err = _run(capsys, "sync", "intacct-marketo")
    assert code == 130
    [line] = [line for line in err.splitlines() if line]  # after the blank line that ends the terminal's ^C
    assert line.startswith("mlc: interrupted: run ")
    assert line.endswith(" recorded as interrupted, its lease released")
    listed = _json(capsys, "runs")
    assert [(r["flow"], r["status"]) for r in listed["runs"]] == [("intacct-marketo", "interrupted")]
    assert listed["leases"] == []
    assert _json(capsys, "sync", "intacct-marketo")["status"] == "completed"  # no 16-minute wait


MLC_WITH_CTRL_C = (
    "import signal, sys; signal.signal(signal.SIGINT, signal.default_int_handler); "
    "from mlc.main import main; sys.exit(main(sys.argv[1:]))"
)
"""`mlc` as on a terminal, where Ctrl-C interrupts: a test runner started in the background may ignore SIGINT, and
a child inherits that."""


def test_sigint_to_a_running_sync_releases_its_lease(local: LocalEnvironment, tmp_path: Path) -> None:
    """A real Ctrl-C: SIGINT to `mlc sync` in its own process, while Marketo answers slowly."""
    assert local.sandbox is not None
    marketo = local.sandbox.marketo
    marketo.latency = 2.0  # each Marketo call takes 2 s: the run is mid-call when the signal comes
    env = {**os.environ, "PYTHONPATH": os.pathsep.join(sys.path)}
    with subprocess.Popen(
        [sys.executable, "-c", MLC_WITH_CTRL_C, "sync", "intacct-marketo"],
        cwd=tmp_path,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    ) as process:
        deadline = time.monotonic() + 60
        while marketo.calls.requests == 0 and time.monotonic() < deadline:  # the run has reached Marketo
            time.sleep(0.1)
        assert _state().leases.holder("intacct-marketo") is not None, "the sync is not holding its lease"
        process.send_signal(signal.SIGINT)
        _, err = process.communicate(timeout=120)
    marketo.latency = 0.0
    assert process.returncode == 130, (process.returncode, err)
    assert "Traceback" not in err
    assert _state().leases.holder("intacct-marketo") is None
    [run] = _state().runs.recent(flow="intacct-marketo")
    assert run.status == "interrupted"


def test_runs_shows_killed_runs_and_lease_holders_and_unlock_breaks_a_stale_lease(
    local: LocalEnvironment, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    state = _state()
    # A run that died holding its lease: recorded as running, its lease not yet expired.
    dead = RunOptions()
    state.runs.put(run_summary(RunReport(dead.run_id, "intacct-marketo", "default", False, "2026-01-01T00:00:00Z",
                                         RunStatus.RUNNING)))  # fmt: skip
    state.leases.acquire("intacct-marketo", dead.run_id, 960)

    listed = _json(capsys, "runs")
    assert [(r["run_id"], r["status"]) for r in listed["runs"]] == [(dead.run_id, "running")]
    [lease] = listed["leases"]
    assert (lease["flow"], lease["held_by"]) == ("intacct-marketo", dead.run_id)
    assert lease["state"].endswith("s left")

    code, _, err = _run(capsys, "sync", "intacct-marketo")
    assert code == 4  # refused: the lease is held
    [line] = err.splitlines()
    assert "already running" in line
    assert "`mlc unlock intacct-marketo`" in line
    refused = _json(capsys, "runs")["runs"][0]
    assert refused["status"] == "lease_held"

    code, _, err = _run(capsys, "unlock", "intacct-marketo")  # no terminal to confirm on
    assert code == 2
    assert "add --yes" in err
    code, out, _ = _run(capsys, "unlock", "intacct-marketo", "--yes")
    assert code == 0
    assert f"was held by run {dead.run_id}" in out
    assert "run recorded as interrupted" in out
    runs = _json(capsys, "runs")
    assert runs["leases"] == []
    assert {r["run_id"]: r["status"] for r in runs["runs"]}[dead.run_id] == "interrupted"
    code, out, _ = _run(capsys, "unlock", "intacct-marketo", "--yes")
    assert (code, out.strip()) == (0, "flow intacct-marketo of connection 'default' holds no lease: nothing to unlock")

    # A lease past its expiry with its run still "running": shown as killed, and stale.
    state.runs.put(run_summary(RunReport("killed-run", "intacct-zoho", "default", False, "2026-01-02T00:00:00Z",
                                         RunStatus.RUNNING)))  # fmt: skip
    state.leases.acquire("intacct-zoho", "killed-run", -5)
    runs = _json(capsys, "runs")
    assert {r["run_id"]: r["status"] for r in runs["runs"]}["killed-run"] == "killed"
    assert [lease["state"].endswith("(stale)") for lease in runs["leases"]] == [True]
    assert _json(capsys, "sync", "intacct-marketo")["status"] == "completed"


def test_a_run_that_stopped_early_exits_3(local: LocalEnvironment, capsys: pytest.CaptureFixture[str]) -> None:
    assert local.sandbox is not None
    local.sandbox.marketo.config.daily_quota = 2  # Marketo's daily quota runs out during the run (607)
    code, out, err = _run(capsys, "sync", "intacct-marketo")
    assert code == 3
    assert "stopped_early" in out
    [line] = err.splitlines()
    assert "stopped early" in line
    assert "run `mlc sync intacct-marketo` again to continue" in line


def test_dry_runs_and_replays_are_listed_and_nothing_to_replay_is_said(
    local: LocalEnvironment, capsys: pytest.CaptureFixture[str]
) -> None:
    dry = _json(capsys, "sync", "intacct-marketo", "--dry-run")
    code, out, _ = _run(capsys, "replay", "intacct-marketo")
    assert code == 0
    assert out.startswith("nothing to replay for intacct-marketo on connection 'default': no failed records")
    runs = _json(capsys, "runs")["runs"]
    assert [(r["kind"], r["status"]) for r in runs] == [("replay", "completed"), ("dry run", "completed")]
    assert runs[1]["run_id"] == dry["run_id"]
    code, out, _ = _run(capsys, "runs")
    header, replay_row, dry_row = out.splitlines()
    assert header.split() == ["STARTED_AT", "RUN_ID", "FLOW", "KIND", "STATUS", "DURATION_MS", "COUNTS", "ERROR"]
    assert " replay " in replay_row
    assert " dry run " in dry_row
    assert "nothing" in replay_row  # the outcomes that happened, not a JSON object of zeros
    assert "created " in dry_row


def test_commands_find_the_local_environment_from_any_folder_of_the_checkout(
    local: LocalEnvironment, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    deeper = tmp_path / "src" / "cli" / "mlc"
    deeper.mkdir(parents=True)
    monkeypatch.chdir(deeper)
    assert _json(capsys, "runs") == {"runs": [], "leases": []}


def test_ping_fix_says_use_https_or_names_the_missing_key(
    local: LocalEnvironment, capsys: pytest.CaptureFixture[str]
) -> None:
    settings = Settings.from_env()
    name = secret_name(settings.secret_prefix, "default", "intacct")
    secrets = boto3.client("secretsmanager")
    secret = json.loads(secrets.get_secret_value(SecretId=name)["SecretString"])
    for spoiled, fix in (
        ({**secret, "endpoint_url": "http://api.intacct.com/ia/xml/xmlgw.phtml"}, "use an https:// URL"),
        ({k: v for k, v in secret.items() if k != "user_id"}, "add user_id to the secret " + name),
    ):
        secrets.put_secret_value(SecretId=name, SecretString=json.dumps(spoiled))
        code, out, err = _run(capsys, "ping", "intacct-marketo", "--json")
        assert code == 1
        [intacct] = [row for row in json.loads(out) if row["system"] == "intacct"]
        assert intacct["fix"].startswith(fix), intacct
        assert err.strip() == "mlc: ping intacct-marketo: intacct failed; the FIX column says what to change"


def test_audit_shows_the_flow_and_documents_key_formats(
    local: LocalEnvironment, capsys: pytest.CaptureFixture[str]
) -> None:
    _json(capsys, "sync", "intacct-marketo")
    code, out, _ = _run(capsys, "audit", "--key", "V100")
    assert code == 0
    header, row = out.splitlines()[:2]
    assert "FLOW" in header
    assert "intacct-marketo" in row
    code, out, _ = _run(capsys, "audit", "--help")
    assert "VENDORID, e.g. V100" in out
    assert "--system commerce --object order" in out
    code, out, _ = _run(capsys, "runs")
    assert all(line == line.rstrip() for line in out.splitlines())  # piped: no padding after the last column
