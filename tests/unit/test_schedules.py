"""The schedule service round trip on moto: a stack's group (created as the template would), its own schedule per
integration, and other connections' schedules listed, set, enabled, disabled and removed."""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import Any

import boto3
import pytest
from botocore.stub import Stubber
from moto import mock_aws

from mlconnector.config import ConfigurationError
from mlconnector.flows.registry import INTEGRATIONS
from mlconnector.schedules import (
    MAX_NAME,
    OUTPUT_GROUP,
    OUTPUT_ROLE,
    OUTPUT_STATE_MACHINE,
    Schedule,
    ScheduleService,
    StackSchedules,
    check_expression,
    schedule_name,
    stack_parameters,
)

REGION = "us-east-1"
MACHINE = "arn:aws:states:us-east-1:123456789012:stateMachine:PollerLoop-abc"
ROLE = "arn:aws:iam::123456789012:role/stack-SchedulerRole-abc"
OUTPUTS = {OUTPUT_GROUP: "stack-PollerScheduleGroup-abc", OUTPUT_STATE_MACHINE: MACHINE, OUTPUT_ROLE: ROLE}


@pytest.fixture
def client() -> Iterator[Any]:
    with mock_aws():
        scheduler = boto3.client("scheduler", region_name=REGION)
        scheduler.create_schedule_group(Name=OUTPUTS[OUTPUT_GROUP])
        yield scheduler


@pytest.fixture
def service(client: Any) -> ScheduleService:
    return ScheduleService(StackSchedules.from_outputs(OUTPUTS), client)


def _stack_schedule(
    client: Any, integration: str, connection: str = "default", *, expression: str = "rate(1 hour)"
) -> None:
    """What the template's Schedule<Integration> creates when its flag is on."""
    client.create_schedule(
        Name=integration,
        GroupName=OUTPUTS[OUTPUT_GROUP],
        ScheduleExpression=expression,
        FlexibleTimeWindow={"Mode": "OFF"},
        State="ENABLED",
        Target={
            "Arn": MACHINE,
            "RoleArn": ROLE,
            "Input": json.dumps({"integration": integration, "connection": connection}),
        },
    )


def test_set_creates_an_enabled_schedule_that_starts_the_state_machine(service: ScheduleService, client: Any) -> None:
    created = service.set("intacct-zoho", "acme-eu", expression="rate(1 day)")
    assert created == Schedule(
        integration="intacct-zoho",
        connection="acme-eu",
        expression="rate(1 day)",
        enabled=True,
        target=MACHINE,
        name="intacct-zoho.acme-eu",
        managed_by_stack=False,
    )
    stored = client.get_schedule(Name="intacct-zoho.acme-eu", GroupName=OUTPUTS[OUTPUT_GROUP])
    assert stored["Target"]["RoleArn"] == ROLE
    assert json.loads(stored["Target"]["Input"]) == {"integration": "intacct-zoho", "connection": "acme-eu"}
    assert stored["FlexibleTimeWindow"] == {"Mode": "OFF"}


def test_round_trip_set_list_disable_enable_update_remove(service: ScheduleService) -> None:
    service.set("intacct-marketo", "acme", expression="rate(1 hour)")
    service.set("commerce-intacct", "acme", expression="cron(0/15 * * * ? *)", enabled=False)
    assert [(s.integration, s.connection, s.enabled) for s in service.list_schedules()] == [
        ("commerce-intacct", "acme", False),
        ("intacct-marketo", "acme", True),
    ]
    assert service.disable("intacct-marketo", "acme").enabled is False
    assert service.enable("commerce-intacct", "acme").enabled is True
    updated = service.set("intacct-marketo", "acme", expression="rate(30 minutes)")
    assert (updated.expression, updated.enabled) == ("rate(30 minutes)", False), "an update keeps the state"
    assert service.enable("intacct-marketo", "acme").enabled is True
    assert service.enable("intacct-marketo", "acme").enabled is True, "enabling twice is fine"
    removed = service.remove("intacct-marketo", "acme")
    assert removed.expression == "rate(30 minutes)"
    assert service.get("intacct-marketo", "acme") is None
    assert [s.integration for s in service.list_schedules()] == ["commerce-intacct"]
    assert [s.integration for s in service.list_schedules("intacct-marketo")] == []


def test_the_stacks_own_schedules_are_listed_but_changed_by_deploying(service: ScheduleService, client: Any) -> None:
    _stack_schedule(client, "intacct-zendesk")
    service.set("intacct-zendesk", "acme", expression="rate(2 hours)")
    listed = service.list_schedules("intacct-zendesk")
    assert [(s.connection, s.managed_by_stack) for s in listed] == [("acme", False), ("default", True)]
    for change in (
        lambda: service.set("intacct-zendesk", "default", expression="rate(1 day)"),
        lambda: service.disable("intacct-zendesk", "default"),
        lambda: service.remove("intacct-zendesk", "default"),
    ):
        with pytest.raises(ConfigurationError, match="IntacctZendeskSchedule and IntacctZendeskEnabled parameters"):
            change()
    # Without the stack's schedule (its flag off), the default connection may be scheduled here.
    assert service.set("intacct-zoho", "default", expression="rate(1 day)").name == "intacct-zoho.default"


def test_schedules_of_other_kinds_in_the_group_are_not_listed(service: ScheduleService, client: Any) -> None:
    client.create_schedule(
        Name="someone-elses",
        GroupName=OUTPUTS[OUTPUT_GROUP],
        ScheduleExpression="rate(1 day)",
        FlexibleTimeWindow={"Mode": "OFF"},
        Target={"Arn": MACHINE, "RoleArn": ROLE, "Input": "not json"},
    )
    assert service.list_schedules() == []


@pytest.mark.parametrize(
    ("call", "message"),
    [
        (lambda s: s.set("nope", "acme", expression="rate(1 day)"), "unknown integration 'nope'"),
        (
            lambda s: s.set("intacct-zoho", "Acme EU", expression="rate(1 day)"),
            "connection name 'Acme EU' is not valid",
        ),
        (
            lambda s: s.set("intacct-zoho", "acme", expression="rate(1 dya)"),
            r"schedule expression 'rate\(1 dya\)' is not valid",
        ),
        (lambda s: s.set("intacct-zoho", "acme", expression="rate(1 days)"), r"write rate\(1 day\)"),
        (lambda s: s.set("intacct-zoho", "acme", expression="every day"), 'use "rate'),
        (lambda s: s.enable("intacct-zoho", "acme"), "intacct-zoho has no schedule for connection 'acme'"),
        (lambda s: s.remove("intacct-zoho", "acme"), "intacct-zoho has no schedule for connection 'acme'"),
        (lambda s: s.list_schedules("nope"), "unknown integration 'nope'"),
    ],
)
def test_every_bad_input_is_one_line(service: ScheduleService, call: Any, message: str) -> None:
    with pytest.raises(ConfigurationError, match=message) as refused:
        call(service)
    assert "\n" not in str(refused.value)


def test_what_aws_refuses_is_one_line(service: ScheduleService, client: Any) -> None:
    """A refusal the local checks cannot foresee (a deleted group, a cron AWS rejects) keeps AWS's message."""
    with Stubber(client) as stub:
        stub.add_client_error("get_schedule", "ResourceNotFoundException", http_status_code=404)
        stub.add_client_error("get_schedule", "ResourceNotFoundException", http_status_code=404)
        stub.add_client_error(
            "create_schedule", "ValidationException", "Invalid Schedule Expression cron(0 2 * * * *).", 400
        )
        with pytest.raises(ConfigurationError) as refused:
            service.set("intacct-zoho", "acme", expression="cron(0 2 * * * *)")
    assert str(refused.value) == (
        "EventBridge Scheduler CreateSchedule: ValidationException: Invalid Schedule Expression cron(0 2 * * * *)."
    )


def test_a_stack_without_the_outputs_is_refused_in_one_line() -> None:
    with pytest.raises(ConfigurationError, match="no ScheduleGroupName, SchedulerRoleArn output"):
        StackSchedules.from_outputs({OUTPUT_STATE_MACHINE: MACHINE})


@pytest.mark.parametrize(
    "expression",
    ["rate(1 minute)", "rate(5 minutes)", "rate(1 hour)", "rate(12 hours)", "rate(1 day)", "cron(0 2 * * ? *)"],
)
def test_good_expressions_pass(expression: str) -> None:
    assert check_expression(expression) == expression


@pytest.mark.parametrize(
    "expression", ["rate(0 days)", "rate(2 day)", "rate(1 weeks)", "cron(0 2 * * ?)", "at(2030-01-01T00:00:00)", ""]
)
def test_bad_expressions_are_refused(expression: str) -> None:
    with pytest.raises(ConfigurationError, match="is not valid"):
        check_expression(expression)


def test_names_fit_the_scheduler_and_never_clash_with_the_stacks() -> None:
    longest = "c" * 63
    for integration in INTEGRATIONS:
        name = schedule_name(integration, longest)
        assert len(name) <= MAX_NAME
        assert name.startswith(f"{integration}.")
        assert name != schedule_name(integration, longest[:-1] + "d")
        assert "." in schedule_name(integration, "default"), "the stack's schedules are named without a dot"


def test_stack_parameters_are_named_after_the_integration() -> None:
    assert stack_parameters("intacct-marketo") == ("IntacctMarketoSchedule", "IntacctMarketoEnabled")
    assert stack_parameters("commerce-intacct") == ("CommerceIntacctSchedule", "CommerceIntacctEnabled")


def test_connect_builds_a_client_for_the_region() -> None:
    with mock_aws():
        service = ScheduleService.connect(OUTPUTS, region=REGION)
        assert service.stack.group == OUTPUTS[OUTPUT_GROUP]
        assert service.client.meta.region_name == REGION
