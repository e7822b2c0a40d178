"""`mlc` against a running local environment (moto server + simulators on loopback), as an operator uses it."""

from __future__ import annotations

import json
from pathlib import Path

import boto3
import pytest

from mlc.embedded import LocalEnvironment
from mlc.main import main
from mlconnector.config import secret_name

pytestmark = pytest.mark.integration


def _json(capsys: pytest.CaptureFixture[str], *argv: str) -> object:
    capsys.readouterr()
    assert main([*argv, "--json"]) == 0
    return json.loads(capsys.readouterr().out)


def test_dry_run_sync_then_runs_and_audit(local: LocalEnvironment, capsys: pytest.CaptureFixture[str]) -> None:
    report = _json(capsys, "sync", "intacct-marketo", "--dry-run")
    assert isinstance(report, dict)
    assert report["streams"]["companies"]["counts"]["created"] == 30
    assert report["streams"]["leads"]["counts"]["created"] > 0
    assert report["preview"][0]["payload"]["externalCompanyId"]
    listed = _json(capsys, "runs")  # the dry run is listed (its id can be looked up), and wrote nothing else
    assert isinstance(listed, dict)
    assert [(r["run_id"], r["kind"], r["status"]) for r in listed["runs"]] == [
        (report["run_id"], "dry run", "completed")
    ]
    assert listed["leases"] == []
    assert _json(capsys, "audit", "--failed") == []
    assert _json(capsys, "audit", "--run", report["run_id"]) == []


def test_sync_then_runs_audit_and_rerun(local: LocalEnvironment, capsys: pytest.CaptureFixture[str]) -> None:
    first = _json(capsys, "sync", "intacct-marketo")
    assert isinstance(first, dict)
    assert first["status"] == "completed"
    assert first["streams"]["companies"]["counts"]["created"] == 30
    runs = _json(capsys, "runs")
    assert isinstance(runs, dict)
    assert [(r["run_id"], r["kind"]) for r in runs["runs"]] == [(first["run_id"], "run")]
    history = _json(capsys, "audit", "--key", "V100")
    assert isinstance(history, list)
    assert [(e["action"], e["destination_system"]) for e in history] == [("created", "marketo")]
    by_run = _json(capsys, "audit", "--run", first["run_id"])
    assert isinstance(by_run, list)
    assert len(by_run) == sum(first["counts"].values()) - first["counts"]["unchanged"]
    second = _json(capsys, "sync", "intacct-marketo")
    assert isinstance(second, dict)
    assert second["counts"]["created"] == second["counts"]["updated"] == 0


def test_ping_reports_each_system(local: LocalEnvironment, capsys: pytest.CaptureFixture[str]) -> None:
    capsys.readouterr()
    assert main(["ping", "intacct-marketo", "--json"]) == 0
    rows = {row["system"]: row for row in json.loads(capsys.readouterr().out)}
    assert rows["intacct"]["ok"] is True
    assert rows["marketo"]["ok"] is True
    assert rows["marketo"]["latency_ms"] >= 0


def test_human_output_and_clear_errors(local: LocalEnvironment, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["sync", "intacct-marketo", "--dry-run", "--show", "3"]) == 0
    out = capsys.readouterr().out
    assert "would be created" in out
    assert "externalCompanyId" in out
    assert main(["sync", "no-such-integration", "--dry-run"]) == 2
    assert "unknown integration" in capsys.readouterr().err
    assert main(["replay", "intacct-marketo"]) == 0  # nothing failed: nothing to do, said plainly
    assert capsys.readouterr().out.startswith("nothing to replay for intacct-marketo")


def test_without_a_local_environment_commands_say_how_to_start_one(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.chdir(tmp_path)
    assert main(["runs"]) == 2
    assert "mlc sandbox" in capsys.readouterr().err


def test_a_contact_sharing_an_email_shows_in_the_audit_with_the_owner_named(
    local: LocalEnvironment, capsys: pytest.CaptureFixture[str]
) -> None:
    assert local.sandbox is not None
    by_email: dict[str, list[dict[str, str]]] = {}
    for contact in local.sandbox.intacct.store.all("CONTACT"):
        if contact.get("EMAIL1") and contact.get("VENDORID"):
            by_email.setdefault(str(contact["EMAIL1"]).lower(), []).append(dict(contact))
    shared = [sorted(group, key=lambda c: (c["VENDORID"], c["CONTACTNAME"])) for group in by_email.values()]
    [(owner, loser, *_)] = [group for group in shared if len(group) > 1][:1]  # the seed shares at least one
    _json(capsys, "sync", "intacct-marketo")
    history = _json(capsys, "audit", "--key", loser["CONTACTNAME"], "--object", "CONTACT")
    assert isinstance(history, list)
    [entry] = history
    assert entry["action"] == "skipped"
    assert f"belongs to CONTACT {owner['CONTACTNAME']} of vendor {owner['VENDORID']}" in entry["error"]
    capsys.readouterr()
    assert main(["audit", "--key", loser["CONTACTNAME"], "--object", "CONTACT"]) == 0
    assert f"vendor {owner['VENDORID']}" in capsys.readouterr().out  # the human table says it too


@pytest.mark.parametrize(
    ("integration", "system", "secret", "reason"),
    [
        ("intacct-marketo", "marketo", {"munchkin_id": "123-ABC-456", "client_id": "x"}, "client_secret"),
        ("commerce-intacct", "commerce", {"base_url": "https://shop.example.com/rest"}, "consumer_key"),
    ],
)
def test_a_bad_secret_fails_the_run_with_one_line_and_the_run_is_recorded(
    local: LocalEnvironment,
    capsys: pytest.CaptureFixture[str],
    integration: str,
    system: str,
    secret: dict[str, str],
    reason: str,
) -> None:
    settings = local.description.activate() if local.description else None
    assert settings is not None
    boto3.client("secretsmanager").put_secret_value(
        SecretId=secret_name(settings.secret_prefix, "default", system), SecretString=json.dumps(secret)
    )
    capsys.readouterr()
    assert main(["sync", integration]) == 1
    out, err = capsys.readouterr()
    [error] = err.splitlines()  # the reason, once, on stderr; the summary on stdout
    assert error.startswith(f"mlc: {integration} run ")
    assert reason in error
    assert "Traceback" not in out + err
    runs = _json(capsys, "runs")
    assert isinstance(runs, dict)
    assert [r["status"] for r in runs["runs"]] == ["failed"]
