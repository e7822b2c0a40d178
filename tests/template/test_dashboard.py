"""The dashboard: valid JSON once deployed, every widget on a metric the code emits (with the dimensions it emits
them with), every run and webhook metric shown, and every queue of the stack by its real name."""

from __future__ import annotations

import json
import re
from typing import Any

import pytest

from .cfn import Template, parameter_defaults, resources, substitute
from .emitted import Metric, emitted, run_metrics

SEARCH = re.compile(r"SEARCH\('\{(\w+),([\w,]+)\} MetricName=\"(\w+)\"', '(\w+)', (\d+)\)")


def _dashboard(template: Template) -> tuple[str, dict[str, Any]]:
    (name, dashboard), *others = resources(template, "AWS::CloudWatch::Dashboard").items()
    assert not others, "one dashboard"
    return name, dashboard["Properties"]


def _placeholders(body: str, template: Template) -> dict[str, str]:
    """What CloudFormation puts for each ${...}: parameter defaults, and a recognisable value per attribute."""
    values: dict[str, str] = {"AWS::Region": "us-east-1", "AWS::StackName": "mlc", "AWS::AccountId": "123456789012"}
    values |= parameter_defaults(template)
    for reference in re.findall(r"\$\{([^}!]+)\}", body):
        if reference in values:
            continue
        resource, _, attribute = reference.partition(".")
        assert resource in template["Resources"], f"${{{reference}}} names no resource"
        values[reference] = f"<{resource}.{attribute}>"
    return values


def _body(template: Template) -> dict[str, Any]:
    _, properties = _dashboard(template)
    sub = properties["DashboardBody"]["Fn::Sub"]
    assert isinstance(sub, str)
    body = json.loads(substitute(sub, _placeholders(sub, template)))
    assert isinstance(body, dict)
    return body


def _metric_widgets(template: Template) -> list[dict[str, Any]]:
    return [w["properties"] for w in _body(template)["widgets"] if w["type"] == "metric"]


def _searched(template: Template) -> set[Metric]:
    found: set[Metric] = set()
    for widget in _metric_widgets(template):
        for row in widget["metrics"]:
            for item in row:
                if isinstance(item, dict) and "expression" in item:
                    match = SEARCH.fullmatch(item["expression"])
                    assert match, f"{widget['title']}: unexpected expression {item['expression']}"
                    namespace, dimensions, name, _, _ = match.groups()
                    found.add((namespace, tuple(sorted(dimensions.split(","))), name))
    return found


def _sqs_rows(template: Template) -> list[list[Any]]:
    return [row for widget in _metric_widgets(template) for row in widget["metrics"] if row and row[0] == "AWS/SQS"]


def test_the_body_is_json_once_deployed_and_every_widget_is_placed(template: Template) -> None:
    body = _body(template)
    assert body["widgets"], "an empty dashboard"
    for widget in body["widgets"]:
        assert {"type", "x", "y", "width", "height", "properties"} <= widget.keys()
        assert widget["x"] + widget["width"] <= 24
        if widget["type"] == "metric":
            assert widget["properties"]["region"] == "us-east-1"  # ${AWS::Region}


def test_every_searched_metric_is_emitted_with_those_dimensions(template: Template) -> None:
    searched = _searched(template)
    assert searched
    assert searched <= emitted(), f"the dashboard shows metrics nothing emits: {sorted(searched - emitted())}"


def test_every_run_and_webhook_metric_is_on_the_dashboard(template: Template) -> None:
    missing = emitted() - _searched(template)
    assert not missing, f"emitted but not on the dashboard: {sorted(missing)}"


@pytest.mark.parametrize(
    ("title", "names"),
    [
        ("Records by outcome", {"Records_created", "Records_updated", "Records_unchanged", "Records_skipped"}),
        ("Failed records", {"Records_failed"}),
        ("API calls per system", {n for _, _, n in run_metrics() if n.startswith("ApiCalls_")}),
        ("Run duration", {"RunDuration"}),
        ("Runs by status", {n for _, _, n in run_metrics() if n.startswith("Runs_")}),
        ("Webhook deliveries", {"WebhooksAccepted", "WebhooksRejected"}),
    ],
)
def test_each_concern_has_its_widget(template: Template, title: str, names: set[str]) -> None:
    (widget,) = [w for w in _metric_widgets(template) if w["title"].startswith(title)]
    shown = {m.group(3) for row in widget["metrics"] for item in row if (m := SEARCH.fullmatch(item["expression"]))}
    assert names <= shown, f"{title}: missing {sorted(names - shown)}"


def test_every_queue_of_the_stack_is_shown_by_its_real_name(template: Template) -> None:
    queues = set(resources(template, "AWS::SQS::Queue"))
    shown = {
        row[3].strip("<>").split(".")[0]
        for row in _sqs_rows(template)
        if row[1] == "ApproximateNumberOfMessagesVisible" and row[2] == "QueueName"
    }
    assert queues <= shown, f"queues not on the dashboard: {sorted(queues - shown)}"
    for row in _sqs_rows(template):
        assert row[3].endswith(".QueueName>"), f"{row}: a queue is named by its QueueName attribute, not spelled out"


def test_the_alarm_widget_lists_alarms_of_the_stack(template: Template) -> None:
    alarms = set(resources(template, "AWS::CloudWatch::Alarm"))
    (widget,) = [w["properties"] for w in _body(template)["widgets"] if w["type"] == "alarm"]
    listed = {arn.strip("<>").removesuffix(".Arn") for arn in widget["alarms"]}
    assert listed <= alarms
    unconditional = {name for name in alarms if "Condition" not in template["Resources"][name]}
    assert listed == unconditional, "every alarm that always exists is on the dashboard"
