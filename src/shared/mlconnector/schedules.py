"""The schedules of a deployed stack: one EventBridge Scheduler schedule per (integration, connection), in the
stack's schedule group, each starting the stack's PollerLoop state machine with {"integration", "connection"}.

The template creates one schedule per integration for its ConnectionName parameter, named after the integration
(`intacct-marketo`) and switched by the stack's parameters (IntacctMarketoSchedule, IntacctMarketoEnabled); they
are listed here but changed only by deploying. Other connections' schedules are managed here, named
`<integration>.<connection>` (shortened with a hash past Scheduler's 64 characters); which integration and
connection a schedule runs is read from its input, not its name.

Every function refuses an unknown integration, a bad connection name or a bad expression with one line (a
ConfigurationError) before calling AWS.
"""

from __future__ import annotations

import hashlib
import json
import re
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from typing import Any

from botocore.exceptions import BotoCoreError, ClientError

from mlconnector.config import ConfigurationError, check_connection_name
from mlconnector.flows.registry import get_integration

OUTPUT_GROUP = "ScheduleGroupName"
OUTPUT_STATE_MACHINE = "PollerStateMachineArn"
OUTPUT_ROLE = "SchedulerRoleArn"
"""The stack outputs (template.yaml) a ScheduleService is built from."""

MAX_NAME = 64
"""EventBridge Scheduler's limit on a schedule's name."""

RATE = re.compile(r"rate\((?P<value>[1-9][0-9]*) (?P<unit>minutes?|hours?|days?)\)")
CRON = re.compile(r"cron\((?P<fields>[^()]+)\)")
EXPRESSION_HELP = (
    'use "rate(<n> minutes|hours|days)" (e.g. "rate(1 day)", "rate(15 minutes)") or '
    '"cron(<minutes> <hours> <day-of-month> <month> <day-of-week> <year>)" (e.g. "cron(0 2 * * ? *)"), in UTC'
)
RETRY_POLICY = {"MaximumRetryAttempts": 3, "MaximumEventAgeInSeconds": 900}
"""As the template's schedules: a start that fails is retried for a quarter of an hour, then skipped."""


def check_expression(expression: str) -> str:
    """A rate(...) or cron(...) expression EventBridge Scheduler accepts, else a ConfigurationError in one line."""
    rate = RATE.fullmatch(expression)
    if rate is not None:
        singular = rate["value"] == "1"
        if singular == rate["unit"].endswith("s"):
            unit = rate["unit"].rstrip("s") + ("" if singular else "s")
            raise ConfigurationError(
                f"schedule expression {expression!r} is not valid: write rate({rate['value']} {unit})"
            )
        return expression
    cron = CRON.fullmatch(expression)
    if cron is not None and len(cron["fields"].split()) == 6:
        return expression
    raise ConfigurationError(f"schedule expression {expression!r} is not valid: {EXPRESSION_HELP}")


def schedule_name(integration: str, connection: str) -> str:
    """The name of a connection's schedule this module manages: `<integration>.<connection>`, or the connection
    cut short with a hash of the whole when that passes 64 characters."""
    name = f"{integration}.{connection}"
    if len(name) <= MAX_NAME:
        return name
    digest = hashlib.sha256(name.encode()).hexdigest()[:8]
    return f"{name[: MAX_NAME - len(digest) - 1]}-{digest}"


def stack_parameters(integration: str) -> tuple[str, str]:
    """The template parameters of an integration's stack schedule: (expression, enabled), e.g.
    ("IntacctMarketoSchedule", "IntacctMarketoEnabled")."""
    stem = "".join(part.capitalize() for part in integration.split("-"))
    return f"{stem}Schedule", f"{stem}Enabled"


@dataclass(frozen=True)
class Schedule:
    """One schedule of the stack's group, as `mlc schedule list` shows it."""

    integration: str
    connection: str
    expression: str
    enabled: bool
    target: str
    """The ARN of the state machine it starts."""
    name: str
    managed_by_stack: bool
    """Created by the template (changed by deploying with its parameters), not by this module."""

    def to_dict(self) -> dict[str, Any]:
        return {
            "integration": self.integration,
            "connection": self.connection,
            "expression": self.expression,
            "enabled": self.enabled,
            "target": self.target,
            "name": self.name,
            "managed_by_stack": self.managed_by_stack,
        }


@dataclass(frozen=True)
class StackSchedules:
    """Where a stack's schedules live and what they start (its outputs)."""

    group: str
    state_machine_arn: str
    role_arn: str

    @classmethod
    def from_outputs(cls, outputs: Mapping[str, str]) -> StackSchedules:
        missing = [key for key in (OUTPUT_GROUP, OUTPUT_STATE_MACHINE, OUTPUT_ROLE) if not outputs.get(key)]
        if missing:
            raise ConfigurationError(
                f"the stack has no {', '.join(missing)} output: deploy this version of template.yaml first"
            )
        return cls(outputs[OUTPUT_GROUP], outputs[OUTPUT_STATE_MACHINE], outputs[OUTPUT_ROLE])


def _checked(integration: str, connection: str) -> tuple[str, str]:
    get_integration(integration)  # an unknown name is refused the same way everywhere
    return integration, check_connection_name(connection)


class ScheduleService:
    """list / set / enable / disable / remove the schedules of one stack, through a boto3 `scheduler` client."""

    def __init__(self, stack: StackSchedules, client: Any) -> None:
        self.stack = stack
        self.client = client

    @classmethod
    def connect(cls, outputs: Mapping[str, str], *, region: str, endpoint_url: str | None = None) -> ScheduleService:
        import boto3  # noqa: PLC0415 - only the operator's commands need it

        return cls(StackSchedules.from_outputs(outputs), boto3.client("scheduler", region, endpoint_url=endpoint_url))

    # ------------------------------------------------------------------ reading

    def list_schedules(self, integration: str | None = None) -> list[Schedule]:
        """Every schedule of the group (optionally one integration's), by integration then connection."""
        if integration is not None:
            get_integration(integration)
        found = [s for s in map(self._read, self._names()) if s is not None]
        if integration is not None:
            found = [s for s in found if s.integration == integration]
        return sorted(found, key=lambda s: (s.integration, s.connection, s.managed_by_stack))

    def get(self, integration: str, connection: str = "default") -> Schedule | None:
        """The schedule this module manages for (integration, connection), or None."""
        integration, connection = _checked(integration, connection)
        return self._read(schedule_name(integration, connection))

    # ------------------------------------------------------------------ changing

    def set(
        self, integration: str, connection: str = "default", *, expression: str, enabled: bool | None = None
    ) -> Schedule:
        """Create the schedule (enabled unless `enabled` is False) or change its expression (and state, if given)."""
        integration, connection = _checked(integration, connection)
        check_expression(expression)
        self._refuse_stack_managed(integration, connection)
        current = self.get(integration, connection)
        state = enabled if enabled is not None else (current.enabled if current is not None else True)
        request = self._request(integration, connection, expression, state)
        if current is None:
            self._call("create_schedule", **request)
        else:
            self._call("update_schedule", **request)
        return self._required(integration, connection)

    def enable(self, integration: str, connection: str = "default") -> Schedule:
        return self._switch(integration, connection, enabled=True)

    def disable(self, integration: str, connection: str = "default") -> Schedule:
        return self._switch(integration, connection, enabled=False)

    def remove(self, integration: str, connection: str = "default") -> Schedule:
        """Delete the schedule; returns what it was."""
        integration, connection = _checked(integration, connection)
        self._refuse_stack_managed(integration, connection)
        current = self._required(integration, connection)
        self._call("delete_schedule", Name=current.name, GroupName=self.stack.group)
        return current

    # ------------------------------------------------------------------ helpers

    def _switch(self, integration: str, connection: str, *, enabled: bool) -> Schedule:
        integration, connection = _checked(integration, connection)
        self._refuse_stack_managed(integration, connection)
        current = self._required(integration, connection)
        if current.enabled != enabled:
            self._call("update_schedule", **self._request(integration, connection, current.expression, enabled))
        return self._required(integration, connection)

    def _request(self, integration: str, connection: str, expression: str, enabled: bool) -> dict[str, Any]:
        return {
            "Name": schedule_name(integration, connection),
            "GroupName": self.stack.group,
            "Description": f"Runs {integration} for connection {connection} (PollerLoop until the run completes)",
            "ScheduleExpression": expression,
            "FlexibleTimeWindow": {"Mode": "OFF"},
            "State": "ENABLED" if enabled else "DISABLED",
            "Target": {
                "Arn": self.stack.state_machine_arn,
                "RoleArn": self.stack.role_arn,
                "Input": json.dumps({"integration": integration, "connection": connection}),
                "RetryPolicy": dict(RETRY_POLICY),
            },
        }

    def _required(self, integration: str, connection: str) -> Schedule:
        found = self._read(schedule_name(integration, connection))
        if found is None:
            raise ConfigurationError(
                f"{integration} has no schedule for connection {connection!r}: create it with an expression first"
            )
        return found

    def _refuse_stack_managed(self, integration: str, connection: str) -> None:
        mine = self._read(integration)  # the template's schedule is named after the integration
        if mine is not None and mine.connection == connection:
            expression, enabled = stack_parameters(integration)
            raise ConfigurationError(
                f"{integration} for connection {connection!r} is scheduled by the stack: change its {expression} and "
                f"{enabled} parameters (sam deploy --parameter-overrides)"
            )

    def _names(self) -> Iterator[str]:
        paginator = self.client.get_paginator("list_schedules")
        for page in paginator.paginate(GroupName=self.stack.group):
            for summary in page.get("Schedules", []):
                yield str(summary["Name"])

    def _read(self, name: str) -> Schedule | None:
        try:
            found = self.client.get_schedule(Name=name, GroupName=self.stack.group)
        except self.client.exceptions.ResourceNotFoundException:
            return None
        except (BotoCoreError, ClientError) as error:
            raise _one_line(error) from None
        return _schedule(found)

    def _call(self, operation: str, **request: Any) -> None:
        try:
            getattr(self.client, operation)(**request)
        except (BotoCoreError, ClientError) as error:
            raise _one_line(error) from None


def _schedule(found: Mapping[str, Any]) -> Schedule | None:
    """A schedule read back from AWS; None for one that does not start a poller run (not ours to show)."""
    target = found.get("Target", {})
    try:
        payload = json.loads(target.get("Input") or "{}")
    except ValueError:
        return None
    integration, connection = payload.get("integration"), payload.get("connection", "default")
    if not isinstance(integration, str) or not isinstance(connection, str):
        return None
    name = str(found["Name"])
    return Schedule(
        integration=integration,
        connection=connection,
        expression=str(found.get("ScheduleExpression", "")),
        enabled=found.get("State") == "ENABLED",
        target=str(target.get("Arn", "")),
        name=name,
        managed_by_stack="." not in name,
    )


def _one_line(error: BotoCoreError | ClientError) -> ConfigurationError:
    """An AWS refusal or an unreachable endpoint as one line naming the call and AWS's message."""
    if isinstance(error, ClientError):
        details = error.response.get("Error", {})
        return ConfigurationError(
            f"EventBridge Scheduler {error.operation_name}: {details.get('Code')}: {details.get('Message')}"
        )
    return ConfigurationError(f"EventBridge Scheduler: {error}")
