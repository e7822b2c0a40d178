"""The stack's scheduling resources, in the local environment's moto, as template.yaml creates them: the PollerLoop
state machine (statemachine/poller_loop.asl.json, its substitutions filled in), the role schedules start it with,
the schedule group, and one schedule per integration for the default connection (switched on here: the local
environment stands for a stack with every integration scheduled). `mlc schedule` and `mlc sync --stack`-style
calls then work against it, and `mlc demo` fires each schedule once (moto keeps schedules, it does not run them).
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import boto3

from mlconnector.flows.registry import INTEGRATIONS
from mlconnector.schedules import OUTPUT_GROUP, OUTPUT_ROLE, OUTPUT_STATE_MACHINE, RETRY_POLICY

STATE_MACHINE_FILE = Path(__file__).resolve().parents[3] / "statemachine" / "poller_loop.asl.json"
GROUP = "mlc-local-schedules"
ACCOUNT = "123456789012"
POLLER_ARN = f"arn:aws:lambda:us-east-1:{ACCOUNT}:function:mlc-local-poller"
MAX_ROUNDS = 48
EXPRESSIONS = dict.fromkeys(INTEGRATIONS, "rate(1 hour)") | {"commerce-intacct": "rate(15 minutes)"}
"""Each integration's schedule, as the template's <Integration>Schedule parameters default (a template test checks
they agree)."""


def _role(iam: Any, name: str, service: str) -> str:
    trust = {
        "Version": "2012-10-17",
        "Statement": [{"Effect": "Allow", "Principal": {"Service": service}, "Action": "sts:AssumeRole"}],
    }
    created = iam.create_role(RoleName=name, AssumeRolePolicyDocument=json.dumps(trust))
    return str(created["Role"]["Arn"])


def definition() -> str:
    """The state machine's definition with the template's DefinitionSubstitutions filled in for the local stack."""
    text = STATE_MACHINE_FILE.read_text()
    for name, value in {"PollerFunctionArn": POLLER_ARN, "MaxRounds": str(MAX_ROUNDS), "Partition": "aws"}.items():
        text = text.replace("${" + name + "}", value)
    return text


def provision(region: str, connection: str) -> dict[str, str]:
    """Create the resources in the (moto) account boto3 points at; returns the stack outputs naming them."""
    iam = boto3.client("iam", region_name=region)
    scheduler_role = _role(iam, "mlc-local-scheduler", "scheduler.amazonaws.com")
    loop_role = _role(iam, "mlc-local-poller-loop", "states.amazonaws.com")
    machine = boto3.client("stepfunctions", region_name=region).create_state_machine(
        name="mlc-local-poller-loop", definition=definition(), roleArn=loop_role
    )["stateMachineArn"]
    scheduler = boto3.client("scheduler", region_name=region)
    scheduler.create_schedule_group(Name=GROUP)
    for integration, expression in EXPRESSIONS.items():
        scheduler.create_schedule(
            Name=integration,
            GroupName=GROUP,
            Description=f"Runs {integration} for connection {connection}",
            ScheduleExpression=expression,
            FlexibleTimeWindow={"Mode": "OFF"},
            State="ENABLED",
            Target={
                "Arn": machine,
                "RoleArn": scheduler_role,
                "Input": json.dumps({"integration": integration, "connection": connection}),
                "RetryPolicy": dict(RETRY_POLICY),
            },
        )
    return {OUTPUT_GROUP: GROUP, OUTPUT_STATE_MACHINE: str(machine), OUTPUT_ROLE: scheduler_role}
