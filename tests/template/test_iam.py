"""Least privilege: named actions only, resources scoped to this stack, a key policy that says who."""

import fnmatch
from typing import Any

from .cfn import (
    Template,
    as_list,
    effective_function_properties,
    policy_statements,
    referenced_resource,
    resources,
    sub_references,
)

# Actions AWS offers no resource-level permission for: the only ones allowed on Resource "*".
UNSCOPABLE_ACTIONS = {
    "xray:PutTraceSegments",
    "xray:PutTelemetryRecords",
    "xray:GetSamplingRules",
    "xray:GetSamplingTargets",
    # What Step Functions needs to deliver a state machine's logs (AWS documents them on Resource "*").
    "logs:CreateLogDelivery",
    "logs:GetLogDelivery",
    "logs:UpdateLogDelivery",
    "logs:DeleteLogDelivery",
    "logs:ListLogDeliveries",
    "logs:PutResourcePolicy",
    "logs:DescribeResourcePolicies",
    "logs:DescribeLogGroups",
}
TABLE_ACTIONS = {
    "dynamodb:GetItem",
    "dynamodb:PutItem",
    "dynamodb:UpdateItem",
    "dynamodb:DeleteItem",
    "dynamodb:Query",
    "dynamodb:BatchGetItem",
    "dynamodb:BatchWriteItem",
    "dynamodb:ConditionCheckItem",
}


def function_statements(template: Template) -> list[dict[str, Any]]:
    """Statements of the policies attached to the functions' roles."""
    roles = {
        referenced_resource(effective_function_properties(template, name)["Role"])
        for name in resources(template, "AWS::Serverless::Function")
    }
    attached = {
        name
        for name, policy in resources(template, "AWS::IAM::Policy").items()
        if {referenced_resource(role) for role in policy["Properties"]["Roles"]} & roles
    }
    statements = [statement for name, statement in policy_statements(template) if name in attached | roles]
    assert statements, "the functions' roles are granted nothing"
    return statements


def test_no_statement_uses_a_wildcard_action(template: Template) -> None:
    statements = list(policy_statements(template))
    assert statements
    for name, statement in statements:
        assert "NotAction" not in statement, name
        for action in as_list(statement["Action"]):
            assert "*" not in action, f"{name} grants {action}"


def test_wildcard_resources_only_where_aws_allows_nothing_else(template: Template) -> None:
    for name, statement in policy_statements(template):
        if "*" in as_list(statement["Resource"]):
            assert set(as_list(statement["Action"])) <= UNSCOPABLE_ACTIONS, name


def test_table_access_is_limited_to_the_three_tables_and_the_gsi(template: Template) -> None:
    tables = set(resources(template, "AWS::DynamoDB::Table"))
    granted: set[str] = set()
    for statement in function_statements(template):
        actions = set(as_list(statement["Action"]))
        if not any(action.startswith("dynamodb:") for action in actions):
            continue
        granted |= actions
        for resource in as_list(statement["Resource"]):
            target = referenced_resource(resource)
            if target is None:
                assert resource == {"Fn::Sub": "${AuditTable.Arn}/index/gsi1"}
            else:
                assert target in tables
    assert granted == TABLE_ACTIONS


def test_secrets_are_readable_only_under_the_stack_prefix(template: Template) -> None:
    prefix = template["Globals"]["Function"]["Environment"]["Variables"]["MLC_SECRET_PREFIX"]["Fn::Sub"]
    secret_statements = [
        s for s in function_statements(template) if any(a.startswith("secretsmanager:") for a in as_list(s["Action"]))
    ]
    assert secret_statements
    for statement in secret_statements:
        assert as_list(statement["Action"]) == ["secretsmanager:GetSecretValue"]
        (resource,) = as_list(statement["Resource"])
        assert resource["Fn::Sub"].endswith(f":secret:{prefix}/*")


def test_functions_use_only_the_stack_key(template: Template) -> None:
    keys = set(resources(template, "AWS::KMS::Key"))
    kms = [s for s in function_statements(template) if any(a.startswith("kms:") for a in as_list(s["Action"]))]
    assert kms
    for statement in kms:
        assert set(as_list(statement["Action"])) <= {"kms:Decrypt", "kms:Encrypt", "kms:GenerateDataKey"}
        assert {referenced_resource(r) for r in as_list(statement["Resource"])} <= keys


def key_policy(template: Template) -> list[dict[str, Any]]:
    (key,) = resources(template, "AWS::KMS::Key").values()
    assert key["Properties"]["EnableKeyRotation"] is True
    statements = key["Properties"]["KeyPolicy"]["Statement"]
    assert isinstance(statements, list)
    return statements


def test_key_policy_names_every_principal(template: Template) -> None:
    for statement in key_policy(template):
        principal = statement["Principal"]
        assert principal != "*", statement.get("Sid")
        assert principal.get("AWS") != "*", statement.get("Sid")


def test_key_policy_lets_every_function_role_use_the_key(template: Template) -> None:
    granted = {
        referenced_resource(statement["Principal"].get("AWS"))
        for statement in key_policy(template)
        if {"kms:Decrypt", "kms:GenerateDataKey"} <= set(as_list(statement["Action"]))
    }
    for name in resources(template, "AWS::Serverless::Function"):
        role = referenced_resource(effective_function_properties(template, name)["Role"])
        assert role in granted, f"the key policy does not let {name}'s role use the key"


def test_logs_may_use_the_key_for_exactly_the_functions_log_groups(template: Template) -> None:
    (logs,) = [s for s in key_policy(template) if "Service" in s["Principal"]]
    assert sub_references(logs["Principal"]["Service"]) == {"AWS::Region"}
    pattern = logs["Condition"]["ArnLike"]["kms:EncryptionContext:aws:logs:arn"]["Fn::Sub"]
    arn_prefix = "arn:${AWS::Partition}:logs:${AWS::Region}:${AWS::AccountId}:log-group:"
    for group in resources(template, "AWS::Logs::LogGroup").values():
        group_arn = arn_prefix + group["Properties"]["LogGroupName"]["Fn::Sub"]
        assert fnmatch.fnmatchcase(group_arn, pattern), group_arn
    assert not fnmatch.fnmatchcase(arn_prefix + "/aws/lambda/another-stack-poller", pattern)
