"""`mlc schedule` on the local environment (moto's EventBridge Scheduler and Step Functions, provisioned as the
template provisions a stack): the stack's own schedules listed, another connection's created, switched off and on,
changed and removed, and every mistake refused in one line."""

from __future__ import annotations

import json
from typing import Any

import boto3
import pytest

from mlc.embedded import LocalEnvironment
from mlc.local_stack import EXPRESSIONS, GROUP
from mlc.main import main
from mlc.options import ExitCode
from mlconnector.flows.registry import INTEGRATIONS

pytestmark = pytest.mark.integration


def _mlc(capsys: pytest.CaptureFixture[str], *argv: str, code: int = ExitCode.OK) -> str:
    capsys.readouterr()
    got = main(list(argv))
    out, err = capsys.readouterr()
    assert "Traceback" not in out + err
    assert got == code, err
    return out if code == ExitCode.OK else err


def _listed(capsys: pytest.CaptureFixture[str], *argv: str) -> list[dict[str, Any]]:
    rows: list[dict[str, Any]] = json.loads(_mlc(capsys, "schedule", "list", *argv, "--json"))
    return rows


def test_schedule_round_trip(local: LocalEnvironment, capsys: pytest.CaptureFixture[str]) -> None:
    stack = _listed(capsys)
    assert {(r["integration"], r["connection"]) for r in stack} == {(name, "default") for name in INTEGRATIONS}
    assert all(r["managed_by_stack"] and r["enabled"] for r in stack)
    assert {r["integration"]: r["expression"] for r in stack} == EXPRESSIONS

    _mlc(capsys, "schedule", "set", "intacct-zoho", "--connection", "acme", "--expression", "rate(1 day)")
    (acme,) = [r for r in _listed(capsys, "intacct-zoho") if r["connection"] == "acme"]
    assert (acme["expression"], acme["enabled"], acme["managed_by_stack"]) == ("rate(1 day)", True, False)
    machine = local.description.outputs["PollerStateMachineArn"] if local.description else ""
    found = boto3.client("scheduler").get_schedule(Name=acme["name"], GroupName=GROUP)
    assert found["Target"]["Arn"] == machine
    assert json.loads(found["Target"]["Input"]) == {"integration": "intacct-zoho", "connection": "acme"}

    _mlc(capsys, "schedule", "disable", "intacct-zoho", "--connection", "acme")
    assert [r["enabled"] for r in _listed(capsys, "intacct-zoho") if r["connection"] == "acme"] == [False]
    _mlc(capsys, "schedule", "enable", "intacct-zoho", "--connection", "acme")
    _mlc(capsys, "schedule", "set", "intacct-zoho", "--connection", "acme", "--expression", "cron(0 2 * * ? *)")
    (changed,) = [r for r in _listed(capsys, "intacct-zoho") if r["connection"] == "acme"]
    assert (changed["expression"], changed["enabled"]) == ("cron(0 2 * * ? *)", True)
    assert "removed schedule intacct-zoho.acme" in _mlc(
        capsys, "schedule", "remove", "intacct-zoho", "--connection", "acme"
    )
    assert [r for r in _listed(capsys) if r["connection"] == "acme"] == []


@pytest.mark.parametrize(
    ("argv", "says"),
    [
        (("set", "intacct-zoho", "--connection", "acme", "--expression", "every day"), "rate(<n> minutes|hours|days)"),
        (("set", "intacct-zoho", "--connection", "acme", "--expression", "rate(1 days)"), "write rate(1 day)"),
        (("set", "intacct-zoho", "--expression", "rate(1 day)"), "is scheduled by the stack"),
        (("enable", "intacct-zoho", "--connection", "nobody"), "has no schedule for connection 'nobody'"),
        (("remove", "intacct-nothing", "--connection", "acme"), "intacct-nothing"),
        (("set", "intacct-zoho", "--connection", "bad name", "--expression", "rate(1 day)"), "connection"),
    ],
)
def test_schedule_mistakes_are_one_line(
    local: LocalEnvironment, capsys: pytest.CaptureFixture[str], argv: tuple[str, ...], says: str
) -> None:
    err = _mlc(capsys, "schedule", *argv, code=ExitCode.USAGE)
    assert says in err
    assert len(err.strip().splitlines()) == 1


def test_sync_on_a_stack_starts_its_poller_loop_for_the_integration_and_connection(
    local: LocalEnvironment, capsys: pytest.CaptureFixture[str]
) -> None:
    assert local.description is not None
    settings = local.description.settings()
    outputs = {
        "StateTableName": settings.tables.state,
        "LinksTableName": settings.tables.links,
        "AuditTableName": settings.tables.audit,
        "SecretPrefix": settings.secret_prefix,
        **local.description.outputs,
    }
    template = {
        "Resources": {"Topic": {"Type": "AWS::SNS::Topic"}},
        "Outputs": {key: {"Value": value} for key, value in outputs.items()},
    }
    boto3.client("cloudformation").create_stack(StackName="acme-connector", TemplateBody=json.dumps(template))
    started = json.loads(
        _mlc(
            capsys,
            "sync",
            "intacct-zoho",
            "--stack",
            "acme-connector",
            "--region",
            "us-east-1",
            "--connection",
            "default",
            "--no-wait",
            "--json",
        )
    )
    execution = boto3.client("stepfunctions").describe_execution(executionArn=started["execution_arn"])
    assert execution["stateMachineArn"] == outputs["PollerStateMachineArn"]
    assert json.loads(execution["input"]) == {"integration": "intacct-zoho", "connection": "default"}
    err = _mlc(capsys, "sync", "intacct-zoho", "--no-wait", code=ExitCode.USAGE)
    assert "--no-wait goes with --stack" in err
