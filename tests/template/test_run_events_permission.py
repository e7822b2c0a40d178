"""The run-finished event: the poller may put events on the account's default bus and nowhere else, and no other
identity of the stack may put events at all."""

from __future__ import annotations

from typing import Any

from mlconnector import run_events

from .cfn import Template, as_list, policy_statements, substitute

DEFAULT_BUS = "arn:aws:events:us-east-1:123456789012:event-bus/default"
PSEUDO = {"AWS::Partition": "aws", "AWS::Region": "us-east-1", "AWS::AccountId": "123456789012"}


def _events_statements(template: Template) -> list[tuple[str, dict[str, Any]]]:
    return [
        (name, statement)
        for name, statement in policy_statements(template)
        if any(str(action).startswith("events:") for action in as_list(statement["Action"]))
    ]


def _resource(value: Any) -> str:
    if isinstance(value, dict) and "Fn::Sub" in value:
        return substitute(value["Fn::Sub"], PSEUDO)
    assert isinstance(value, str), f"unexpected resource {value!r}"
    return value


def test_only_the_poller_may_put_events_and_only_on_the_default_bus(template: Template) -> None:
    statements = _events_statements(template)
    assert [name for name, _ in statements] == ["PollerPolicy"]
    ((_, statement),) = statements
    assert statement["Effect"] == "Allow"
    assert as_list(statement["Action"]) == ["events:PutEvents"]
    assert [_resource(r) for r in as_list(statement["Resource"])] == [DEFAULT_BUS]


def test_the_poller_policy_is_the_poller_roles(template: Template) -> None:
    policy = template["Resources"]["PollerPolicy"]["Properties"]
    assert policy["Roles"] == [{"Ref": "PollerRole"}]
    assert template["Resources"]["PollerFunction"]["Properties"]["Role"] == {"Fn::GetAtt": ["PollerRole", "Arn"]}


def test_the_code_publishes_to_the_bus_the_template_allows() -> None:
    assert DEFAULT_BUS.endswith(f":event-bus/{run_events.EVENT_BUS}")
