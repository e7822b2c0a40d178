"""Every mistake an operator can make with `mlc`, fed to the CLI from one table: each ends in exactly one line on
stderr that says what to fix, no traceback, and a non-zero exit code. Where a real pipe or a real port matters, a
subprocess runs `mlc`."""

from __future__ import annotations

import json
import os
import socket
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import boto3
import click
import pytest

from mlc.embedded import STATE_FILE, LocalDescription, LocalEnvironment
from mlc.main import cli, main
from mlconnector.config import secret_name
from mlconnector.flows.registry import INTEGRATIONS
from mlconnector.systems.registry import SYSTEMS

pytestmark = pytest.mark.integration

MLC = [sys.executable, "-m", "mlc.main"]
UNKNOWN = "unknown integration 'nope'; this deployment has: " + ", ".join(sorted(INTEGRATIONS))


@dataclass(frozen=True)
class Case:
    argv: list[str]
    says: str
    """Text the one stderr line must contain."""
    code: int = 2
    needs_local: bool = False
    secret: tuple[str, dict[str, Any]] | None = None
    """(system, secret) written over the local environment's secret first."""


# One integration per system, so each system's secret is spoiled through a flow that uses it.
FLOW_OF = {
    "intacct": "intacct-marketo",
    "marketo": "intacct-marketo",
    "commerce": "commerce-intacct",
    "mailchimp": "intacct-mailchimp",
    "zoho": "intacct-zoho",
    "zendesk": "intacct-zendesk",
}

CASES: dict[str, Case] = {
    # an unknown integration, refused the same way by every command that takes one
    **{
        f"unknown-integration-{argv[0]}-{i}": Case(argv, UNKNOWN)
        for i, argv in enumerate(
            [
                ["sync", "nope"],
                ["sync", "nope", "--dry-run"],
                ["ping", "nope"],
                ["replay", "nope"],
                ["runs", "--integration", "nope"],
                ["audit", "--failed", "--integration", "nope"],
                ["unlock", "nope"],
            ]
        )
    },
    "stack-without-region": Case(["runs", "--stack", "ml-connector"], "needs a region: add --region"),
    "region-without-stack": Case(["runs", "--region", "eu-west-1"], "--region goes with --stack"),
    "sandbox-size-0": Case(["sandbox", "--size", "0"], "0 is not in the range x>=1"),
    "demo-size-0": Case(["demo", "--size", "0"], "0 is not in the range x>=1"),
    "demo-json": Case(["demo", "--json"], "No such option '--json'"),
    "demo-stack": Case(["demo", "--stack", "x"], "No such option '--stack'"),
    "sandbox-stack": Case(["sandbox", "--stack", "x"], "No such option '--stack'"),
    "sandbox-bad-port": Case(["sandbox", "--port", "nosuch=1"], "expected SYSTEM=PORT"),
    "runs-limit-0": Case(["runs", "--limit", "0"], "0 is not in the range x>=1"),
    "audit-nothing-named": Case(["audit"], "name exactly one of --key, --run and --failed"),
    "audit-two-named": Case(["audit", "--failed", "--run", "r"], "name exactly one of --key, --run and --failed"),
    "replay-key-and-webhooks-only": Case(
        ["replay", "intacct-marketo", "--key", "V1", "--webhooks-only"], "cannot go with --webhooks-only"
    ),
    "unknown-command": Case(["snyc"], "No such command 'snyc'"),
    "no-local-environment": Case(["runs"], "no local environment is running here: start one with `mlc sandbox`"),
    "replay-webhooks-of-a-flow-without": Case(
        ["replay", "intacct-marketo", "--webhooks-only"], "takes no webhooks", needs_local=True
    ),
    "bad-connection-name": Case(["runs", "--connection", "no spaces!"], "connection", needs_local=True),
    "replay-with-a-bad-secret": Case(
        ["replay", "intacct-marketo"], "intacct-marketo replay replay-", 1, True, ("marketo", {"unexpected": "x"})
    ),
    # a bad secret of every system: sync records a failed run and says why in one line; ping says it failed
    **{
        f"bad-secret-sync-{system}": Case(
            ["sync", FLOW_OF[system]], f"{FLOW_OF[system]} run ", 1, True, (system, {"unexpected": "x"})
        )
        for system in SYSTEMS
    },
    **{
        f"bad-secret-ping-{system}": Case(
            ["ping", FLOW_OF[system]], f"{system} failed; the FIX column", 1, True, (system, {"unexpected": "x"})
        )
        for system in SYSTEMS
    },
}


def _spoil(local: LocalEnvironment, system: str, secret: dict[str, Any]) -> None:
    assert local.description is not None
    name = secret_name(local.description.settings().secret_prefix, "default", system)
    boto3.client("secretsmanager").put_secret_value(SecretId=name, SecretString=json.dumps(secret))


def _one_line_on_stderr(capsys: pytest.CaptureFixture[str], argv: list[str], code: int) -> tuple[str, str]:
    capsys.readouterr()
    assert main(argv) == code
    out, err = capsys.readouterr()
    assert "Traceback" not in out + err
    lines = [line for line in err.splitlines() if line.strip()]
    assert len(lines) == 1, err
    return lines[0], out


@pytest.mark.parametrize("name", list(CASES))
def test_a_bad_input_is_one_line_on_stderr_and_a_non_zero_exit(
    name: str,
    request: pytest.FixtureRequest,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    case = CASES[name]
    for variable in ("AWS_REGION", "AWS_DEFAULT_REGION", "AWS_PROFILE"):
        monkeypatch.delenv(variable, raising=False)
    monkeypatch.setenv("AWS_CONFIG_FILE", str(tmp_path / "no-aws-config"))
    if case.needs_local:
        local: LocalEnvironment = request.getfixturevalue("local")
        if case.secret:
            _spoil(local, *case.secret)
    else:
        monkeypatch.chdir(tmp_path)
    line, _ = _one_line_on_stderr(capsys, case.argv, case.code)
    assert case.says in line
    assert line.startswith("mlc")


def test_each_bad_secret_names_its_system_and_the_failed_run_is_recorded(
    local: LocalEnvironment, capsys: pytest.CaptureFixture[str]
) -> None:
    for system, spec in SYSTEMS.items():
        saved = _secret(local, system)
        _spoil(local, system, {"unexpected": "x"})
        line, _ = _one_line_on_stderr(capsys, ["sync", FLOW_OF[system]], 1)
        title = spec.title.split()[0]  # "Zoho CRM" says "Zoho secret"
        assert f"{title} secret" in line or f"{title} credentials" in line, line
        capsys.readouterr()
        assert main(["runs", "--json", "--limit", "1"]) == 0
        [run] = json.loads(capsys.readouterr().out)["runs"]
        assert (run["flow"], run["status"]) == (FLOW_OF[system], "failed")
        assert run["error"] in line
        _restore(local, system, saved)


def _secret(local: LocalEnvironment, system: str) -> str:
    assert local.description is not None
    name = secret_name(local.description.settings().secret_prefix, "default", system)
    return str(boto3.client("secretsmanager").get_secret_value(SecretId=name)["SecretString"])


def _restore(local: LocalEnvironment, system: str, secret: str) -> None:
    assert local.description is not None
    name = secret_name(local.description.settings().secret_prefix, "default", system)
    boto3.client("secretsmanager").put_secret_value(SecretId=name, SecretString=secret)


def test_a_stale_local_environment_says_to_start_the_sandbox_again(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    with socket.socket() as probe:  # a port nothing listens on any more, like a killed sandbox's
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    LocalDescription(f"http://127.0.0.1:{port}", {}, ["127.0.0.1"]).save(tmp_path / STATE_FILE)
    monkeypatch.chdir(tmp_path)
    line, _ = _one_line_on_stderr(capsys, ["runs"], 2)
    assert "is not running any more" in line
    assert "start `mlc sandbox` again" in line


def _mlc(argv: list[str], cwd: Path, **kwargs: Any) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "PYTHONPATH": os.pathsep.join(sys.path)}
    return subprocess.run([*MLC, *argv], cwd=cwd, env=env, capture_output=True, text=True, check=False, **kwargs)


def test_a_busy_port_fails_fast(tmp_path: Path) -> None:
    with socket.socket() as busy:
        busy.bind(("127.0.0.1", 0))
        busy.listen()
        port = busy.getsockname()[1]
        for argv in (["--aws-port", str(port)], ["--intacct-port", str(port)], ["--port", f"zoho={port}"]):
            started = time.monotonic()
            done = _mlc(["sandbox", "--size", "5", *argv], tmp_path, timeout=60)
            assert time.monotonic() - started < 30
            assert done.returncode == 2
            assert done.stdout == ""
            [line] = done.stderr.splitlines()
            assert f"port {port} on 127.0.0.1 is in use" in line
            assert not (tmp_path / STATE_FILE).exists()


def test_output_piped_into_head_is_one_line_and_exit_141(local: LocalEnvironment, tmp_path: Path) -> None:
    env = {**os.environ, "PYTHONPATH": os.pathsep.join(sys.path)}
    with subprocess.Popen(
        [*MLC, "sync", "intacct-marketo", "--dry-run", "--show", "30"],
        cwd=tmp_path,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    ) as process:
        assert process.stdout is not None
        assert process.stderr is not None
        process.stdout.close()  # `| head -0`: the reader is gone before mlc writes
        err = process.stderr.read()
        code = process.wait(timeout=120)
    assert code == 141
    assert "Traceback" not in err
    [line] = [line for line in err.splitlines() if line.strip()]
    assert "the output was closed before it ended" in line


def test_every_subcommand_and_option_has_help_and_integration_lists_its_choices(
    capsys: pytest.CaptureFixture[str],
) -> None:
    for name, command in cli.commands.items():
        assert command.help, name
        capsys.readouterr()
        assert main([name, "--help"]) == 0
        text = capsys.readouterr().out
        options = text.split("\nOptions:\n", 1)[1]
        for param in command.params:
            if isinstance(param, click.Option) and not param.is_flag and param.name != "help":
                assert param.help, (name, param.name)
                assert "default" in options.split(param.opts[-1], 1)[1].split("\n  -", 1)[0], (name, param.name)
        if any(p.name in ("integration", "flow") for p in command.params):
            assert all(integration in text for integration in INTEGRATIONS), name
