"""One stack runs every integration: a schedule group it owns, one schedule per integration (off until switched on)
starting PollerLoop, a scheduler role that may only start it, and PollerLoop that may only invoke the poller."""

from __future__ import annotations

import json
import re
from typing import Any

import pytest

from mlconnector.flows.registry import INTEGRATIONS
from mlconnector.schedules import OUTPUT_GROUP, OUTPUT_ROLE, OUTPUT_STATE_MACHINE, check_expression, stack_parameters

from .cfn import (
    REPO_ROOT,
    Template,
    as_list,
    condition_holds,
    parameter_defaults,
    policy_statements,
    referenced_resource,
    resources,
    sub_references,
    substitute,
)

LOG_DELIVERY = {
    "logs:CreateLogDelivery",
    "logs:GetLogDelivery",
    "logs:UpdateLogDelivery",
    "logs:DeleteLogDelivery",
    "logs:ListLogDeliveries",
    "logs:PutResourcePolicy",
    "logs:DescribeResourcePolicies",
    "logs:DescribeLogGroups",
}
ROLE_ARN = "arn:aws:iam::123456789012:role/poller-loop"
TRACING = {"xray:PutTraceSegments", "xray:PutTelemetryRecords", "xray:GetSamplingRules", "xray:GetSamplingTargets"}


def stack_schedule(integration: str) -> str:
    """The logical id of an integration's schedule, e.g. ScheduleIntacctMarketo."""
    return "Schedule" + stack_parameters(integration)[0].removesuffix("Schedule")


def _schedule(template: Template, integration: str) -> dict[str, Any]:
    schedules = resources(template, "AWS::Scheduler::Schedule")
    name = stack_schedule(integration)
    assert name in schedules, f"no schedule for {integration}"
    return schedules[name]


def _role_statements(template: Template, role: str) -> list[dict[str, Any]]:
    """Every statement granted to one role, inline or by an AWS::IAM::Policy naming it."""
    attached = {
        name
        for name, policy in resources(template, "AWS::IAM::Policy").items()
        if role in {referenced_resource(r) for r in policy["Properties"]["Roles"]}
    }
    assert "ManagedPolicyArns" not in template["Resources"][role]["Properties"]
    return [statement for name, statement in policy_statements(template) if name in attached | {role}]


def test_the_stack_owns_one_schedule_group(template: Template) -> None:
    (group,) = resources(template, "AWS::Scheduler::ScheduleGroup")
    assert template["Outputs"][OUTPUT_GROUP]["Value"] == {"Ref": group}


def test_there_is_one_schedule_per_integration_and_no_other(template: Template) -> None:
    assert set(resources(template, "AWS::Scheduler::Schedule")) == {stack_schedule(i) for i in INTEGRATIONS}
    for old in ("Integration", "PollerSchedule", "PollerEnabled"):
        assert old not in template["Parameters"], f"{old} is replaced by one pair of parameters per integration"


@pytest.mark.parametrize("integration", sorted(INTEGRATIONS))
def test_each_schedule_starts_poller_loop_for_its_integration_and_the_stacks_connection(
    template: Template, integration: str
) -> None:
    schedule = _schedule(template, integration)["Properties"]
    (group,) = resources(template, "AWS::Scheduler::ScheduleGroup")
    assert schedule["GroupName"] == {"Ref": group}
    # Named after the integration: the schedules mlconnector/schedules.py adds always have a dot in their name.
    assert schedule["Name"] == integration
    assert schedule["ScheduleExpression"] == {"Ref": stack_parameters(integration)[0]}
    assert schedule["FlexibleTimeWindow"] == {"Mode": "OFF"}
    assert schedule["State"] == "ENABLED"
    target = schedule["Target"]
    assert target["Arn"] == {"Ref": "PollerLoop"}
    assert resources(template, "AWS::Serverless::StateMachine").keys() == {"PollerLoop"}
    assert target["RoleArn"] == {"Fn::GetAtt": ["SchedulerRole", "Arn"]}
    assert sub_references(target["Input"]) == {"ConnectionName"}
    defaults = parameter_defaults(template)
    payload = json.loads(substitute(target["Input"]["Fn::Sub"], defaults))
    assert payload == {"integration": integration, "connection": defaults["ConnectionName"]}


@pytest.mark.parametrize("integration", sorted(INTEGRATIONS))
def test_each_schedule_is_off_until_its_own_flag_is_on(template: Template, integration: str) -> None:
    enabled = stack_parameters(integration)[1]
    flag = template["Parameters"][enabled]
    assert (flag["Default"], sorted(flag["AllowedValues"])) == ("false", ["false", "true"])
    condition = _schedule(template, integration)["Condition"]
    defaults = parameter_defaults(template)
    assert not condition_holds(template, condition, defaults)
    assert condition_holds(template, condition, defaults | {enabled: "true"})
    others = {stack_parameters(other)[1]: "true" for other in INTEGRATIONS if other != integration}
    assert not condition_holds(template, condition, defaults | others)


@pytest.mark.parametrize("integration", sorted(INTEGRATIONS))
def test_each_default_expression_is_one_the_schedule_service_accepts(template: Template, integration: str) -> None:
    parameter = template["Parameters"][stack_parameters(integration)[0]]
    assert check_expression(parameter["Default"]) == parameter["Default"]
    assert re.fullmatch(parameter["AllowedPattern"], parameter["Default"])
    assert parameter.get("Description")


def test_the_scheduler_role_may_only_start_poller_loop_executions(template: Template) -> None:
    role = template["Resources"]["SchedulerRole"]["Properties"]
    (trust,) = role["AssumeRolePolicyDocument"]["Statement"]
    assert trust["Principal"] == {"Service": "scheduler.amazonaws.com"}
    assert trust["Action"] == "sts:AssumeRole"
    # Only this account's schedules, in this stack's group.
    assert trust["Condition"]["StringEquals"] == {"aws:SourceAccount": {"Ref": "AWS::AccountId"}}
    assert trust["Condition"]["ArnEquals"] == {"aws:SourceArn": {"Fn::GetAtt": ["PollerScheduleGroup", "Arn"]}}
    (statement,) = _role_statements(template, "SchedulerRole")
    assert statement["Effect"] == "Allow"
    assert as_list(statement["Action"]) == ["states:StartExecution"]
    assert as_list(statement["Resource"]) == [{"Ref": "PollerLoop"}]
    assert template["Outputs"][OUTPUT_ROLE]["Value"] == {"Fn::GetAtt": ["SchedulerRole", "Arn"]}


def test_nothing_else_may_start_executions_or_is_granted_scheduler_actions(template: Template) -> None:
    for name, statement in policy_statements(template):
        actions = as_list(statement["Action"])
        if any(a.startswith("states:") for a in actions):
            assert name == "SchedulerRole", name
        assert not any(a.startswith("scheduler:") for a in actions), name


def test_poller_loop_may_only_invoke_the_poller(template: Template) -> None:
    machine = template["Resources"]["PollerLoop"]["Properties"]
    role = referenced_resource(machine["Role"])
    assert role == "PollerLoopRole"
    (trust,) = template["Resources"][role]["Properties"]["AssumeRolePolicyDocument"]["Statement"]
    assert trust["Principal"] == {"Service": "states.amazonaws.com"}
    statements = _role_statements(template, role)
    invoke = [s for s in statements if any(a.startswith("lambda:") for a in as_list(s["Action"]))]
    assert len(invoke) == 1
    assert as_list(invoke[0]["Action"]) == ["lambda:InvokeFunction"]
    assert as_list(invoke[0]["Resource"]) == [{"Fn::GetAtt": ["PollerFunction", "Arn"]}]
    for statement in statements:
        if statement is not invoke[0]:
            assert set(as_list(statement["Action"])) <= LOG_DELIVERY | TRACING, statement.get("Sid")


def test_poller_loop_runs_the_definition_file_with_every_placeholder_substituted(template: Template) -> None:
    machine = template["Resources"]["PollerLoop"]["Properties"]
    assert machine["Type"] == "STANDARD", "executions wait hours for a quota window"
    definition = REPO_ROOT / machine["DefinitionUri"]
    placeholders = set(re.findall(r"\$\{(\w+)\}", definition.read_text()))
    substitutions = machine["DefinitionSubstitutions"]
    assert placeholders == substitutions.keys()
    assert substitutions["PollerFunctionArn"] == {"Fn::GetAtt": ["PollerFunction", "Arn"]}
    assert substitutions["MaxRounds"] == {"Ref": "PollerMaxRounds"}
    bound = template["Parameters"]["PollerMaxRounds"]
    assert bound["Type"] == "Number"
    assert 1 <= bound["MinValue"] <= bound["Default"]
    tasks = [s for s in json.loads(definition.read_text())["States"].values() if s["Type"] == "Task"]
    assert [t["Parameters"]["FunctionName"] for t in tasks] == ["${PollerFunctionArn}"]
    assert template["Outputs"][OUTPUT_STATE_MACHINE]["Value"] == {"Ref": "PollerLoop"}


def test_poller_loop_logs_to_an_encrypted_group_and_is_traced(template: Template) -> None:
    machine = template["Resources"]["PollerLoop"]["Properties"]
    (destination,) = machine["Logging"]["Destinations"]
    group = template["Resources"][referenced_resource(destination["CloudWatchLogsLogGroup"]["LogGroupArn"])]
    assert group["Type"] == "AWS::Logs::LogGroup"
    assert referenced_resource(group["Properties"]["KmsKeyId"]) == "ConnectorKey"
    assert group["Properties"]["RetentionInDays"] == {"Ref": "LogRetentionDays"}
    assert machine["Logging"]["Level"] in ("ERROR", "ALL")
    assert machine["Tracing"] == {"Enabled": True}


def _lint_definition(text: str) -> list[str]:
    """cfn-lint's findings (errors and warnings) on the definition, substituted and set as a state machine's
    Definition: on the template itself cfn-lint sees only the file's name (DefinitionUri)."""
    api = pytest.importorskip("cfnlint.api", reason="cfn-lint is installed with the dev requirements")
    values = {"MaxRounds": "48", "PollerFunctionArn": "arn:aws:lambda:us-east-1:123456789012:function:p"}
    definition = json.loads(re.sub(r"\$\{(\w+)\}", lambda m: values.get(m.group(1), "aws"), text))
    machine = {
        "Type": "AWS::StepFunctions::StateMachine",
        "Properties": {"RoleArn": ROLE_ARN, "Definition": definition},
    }
    template = {"AWSTemplateFormatVersion": "2010-09-09", "Resources": {"PollerLoop": machine}}
    return [str(m) for m in api.lint_all(json.dumps(template)) if m.rule.id[0] in "EW"]


def test_cfn_lint_accepts_the_definition(template: Template) -> None:
    definition = REPO_ROOT / template["Resources"]["PollerLoop"]["Properties"]["DefinitionUri"]
    assert _lint_definition(definition.read_text()) == []
    # The check bites: a state of no known type is refused.
    assert _lint_definition(definition.read_text().replace('"Type": "Wait"', '"Type": "Sleep"'))


def test_a_failed_execution_is_alarmed(template: Template) -> None:
    """Crashed or timed-out invocations no longer reach the poller's dead-letter queue: the execution fails."""
    alarm = template["Resources"]["PollerLoopFailedAlarm"]
    assert "Condition" not in alarm
    properties = alarm["Properties"]
    assert (properties["Namespace"], properties["MetricName"]) == ("AWS/States", "ExecutionsFailed")
    assert properties["Dimensions"] == [{"Name": "StateMachineArn", "Value": {"Ref": "PollerLoop"}}]
    assert (properties["Threshold"], properties["ComparisonOperator"]) == (0, "GreaterThanThreshold")
    assert properties["TreatMissingData"] == "notBreaching"
