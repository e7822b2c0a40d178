"""The run and webhook alarms: each watches a metric the code emits, with the dimensions it emits it with, and
goes off on what its name says (the topic actions of every alarm are checked in test_alarms.py)."""

from __future__ import annotations

import re
from typing import Any

import pytest

from mlconnector.flows.registry import INTEGRATIONS
from mlconnector.schedules import stack_parameters

from .cfn import Template, condition_holds, parameter_defaults, resources
from .emitted import NAMESPACE, SERVICE, Metric, emitted
from .test_alarm_parameters import stale_alarm
from .test_schedules import stack_schedule

QUERY = re.compile(r"SELECT (SUM|MAX)\((\w+)\) FROM SCHEMA\((\w+), ([\w, ]+)\) WHERE service = '([\w-]+)'")


def _alarm(template: Template, name: str) -> dict[str, Any]:
    alarms = resources(template, "AWS::CloudWatch::Alarm")
    assert name in alarms, f"no {name}"
    properties = alarms[name]["Properties"]
    assert isinstance(properties, dict)
    return properties


def _queried(alarm: dict[str, Any]) -> tuple[str, Metric]:
    """(statistic, metric) of a Metrics Insights alarm, checked to return one series."""
    (query,) = alarm["Metrics"]
    assert query["ReturnData"] is True
    assert query["Period"] >= 60
    assert query["Period"] % 60 == 0
    match = QUERY.fullmatch(query["Expression"])
    assert match, f"unexpected query {query['Expression']}"
    statistic, name, namespace, dimensions, service = match.groups()
    assert service == SERVICE
    return statistic, (namespace, tuple(sorted(d.strip() for d in dimensions.split(","))), name)


@pytest.mark.parametrize(
    ("alarm", "statistic", "metric", "threshold"),
    [
        ("RunFailedAlarm", "SUM", "Runs_failed", 0),
        ("QuotaStopAlarm", "SUM", "Runs_stopped_by_quota", 0),
        ("FailedRecordsAlarm", "MAX", "Records_failed", {"Ref": "FailedRecordsThreshold"}),
        ("WebhookRejectionsAlarm", "SUM", "WebhooksRejected", {"Ref": "WebhookRejectionsThreshold"}),
    ],
)
def test_event_alarms_query_an_emitted_metric_across_flows_and_senders(
    template: Template, alarm: str, statistic: str, metric: str, threshold: Any
) -> None:
    properties = _alarm(template, alarm)
    queried_statistic, queried = _queried(properties)
    assert (queried_statistic, queried[2]) == (statistic, metric)
    assert queried in emitted(), f"{alarm} queries {queried}, which nothing emits"
    assert properties["Threshold"] == threshold
    assert properties["ComparisonOperator"] == "GreaterThanThreshold"
    assert properties["EvaluationPeriods"] == 1
    assert properties["TreatMissingData"] == "notBreaching", "no run (or delivery) is nothing to report"
    assert "Dimensions" not in properties
    assert "MetricName" not in properties


@pytest.mark.parametrize("integration", sorted(INTEGRATIONS))
def test_staleness_alarms_on_the_absence_of_completed_runs_of_each_integration(
    template: Template, integration: str
) -> None:
    alarm = _alarm(template, stale_alarm(integration))
    dimensions = {d["Name"]: d["Value"] for d in alarm["Dimensions"]}
    metric = (alarm["Namespace"], tuple(sorted(dimensions)), alarm["MetricName"])
    assert metric == (NAMESPACE, ("flow", "service"), "Runs_completed")
    assert metric in emitted()
    assert dimensions == {"flow": integration, "service": SERVICE}
    assert alarm["TreatMissingData"] == "breaching", "no completed run is no data point: that is the alarm"
    assert (alarm["Statistic"], alarm["Threshold"], alarm["ComparisonOperator"]) == ("Sum", 1, "LessThanThreshold")
    # Every hour of the window must lack a completed run: the window is StaleAfterHours hours long.
    assert alarm["Period"] == 3600
    assert alarm["EvaluationPeriods"] == alarm["DatapointsToAlarm"] == {"Ref": "StaleAfterHours"}


def test_there_is_one_staleness_alarm_per_integration(template: Template) -> None:
    stale = {name for name, res in resources(template, "AWS::CloudWatch::Alarm").items() if name.startswith("Stale")}
    assert stale == {stale_alarm(integration) for integration in INTEGRATIONS}


def test_staleness_window_fits_what_cloudwatch_accepts(template: Template) -> None:
    parameter = template["Parameters"]["StaleAfterHours"]
    for integration in INTEGRATIONS:
        period = _alarm(template, stale_alarm(integration))["Period"]
        # PutMetricAlarm: Period x EvaluationPeriods at most 7 days (periods of an hour or more).
        assert period >= 3600
        assert parameter["MaxValue"] * period <= 7 * 86_400
    assert parameter["MinValue"] >= 1


@pytest.mark.parametrize("integration", sorted(INTEGRATIONS))
def test_staleness_is_watched_only_while_the_integrations_schedule_runs(template: Template, integration: str) -> None:
    condition = template["Resources"][stale_alarm(integration)].get("Condition")
    assert condition is not None, "an unscheduled flow never completes a run: it would always be in alarm"
    assert condition == template["Resources"][stack_schedule(integration)]["Condition"]
    enabled = stack_parameters(integration)[1]
    defaults = parameter_defaults(template)
    assert not condition_holds(template, condition, defaults)
    assert condition_holds(template, condition, defaults | {enabled: "true"})
    others = [stack_parameters(other)[1] for other in INTEGRATIONS if other != integration]
    assert not condition_holds(template, condition, defaults | dict.fromkeys(others, "true"))


def test_event_alarms_exist_whatever_the_parameters(template: Template) -> None:
    for name in ("RunFailedAlarm", "QuotaStopAlarm", "FailedRecordsAlarm", "WebhookRejectionsAlarm"):
        assert "Condition" not in template["Resources"][name], name
