"""The alarms' parameters: present, numbers, with defaults an operator can deploy as they are."""

from __future__ import annotations

from typing import Any

import pytest

from .cfn import Template


def _parameter(template: Template, name: str) -> dict[str, Any]:
    assert name in template["Parameters"], f"no parameter {name}"
    parameter = template["Parameters"][name]
    assert isinstance(parameter, dict)
    assert parameter["Type"] == "Number"
    assert parameter.get("Description"), f"{name} says nothing of what it does"
    return parameter


@pytest.mark.parametrize(
    ("name", "low", "high"),
    [
        # A few failed records are data to fix and replay, not a page at night.
        ("FailedRecordsThreshold", 1, 1000),
        # Above the default daily schedule's 24 hours, so a run on time never alarms.
        ("StaleAfterHours", 25, 48),
        # Some rejections are noise (a retried delivery, a probe); a burst is not.
        ("WebhookRejectionsThreshold", 1, 100),
    ],
)
def test_defaults_are_sane(template: Template, name: str, low: int, high: int) -> None:
    parameter = _parameter(template, name)
    assert low <= parameter["Default"] <= high
    assert parameter.get("MinValue", 0) <= parameter["Default"] <= parameter.get("MaxValue", parameter["Default"])
    assert parameter["MinValue"] >= 0, f"{name} cannot be negative"


@pytest.mark.parametrize(
    ("name", "alarm", "where"),
    [
        ("FailedRecordsThreshold", "FailedRecordsAlarm", "Threshold"),
        ("WebhookRejectionsThreshold", "WebhookRejectionsAlarm", "Threshold"),
        ("StaleAfterHours", "StaleFlowAlarm", "EvaluationPeriods"),
    ],
)
def test_each_parameter_drives_its_alarm(template: Template, name: str, alarm: str, where: str) -> None:
    assert template["Resources"][alarm]["Properties"][where] == {"Ref": name}


def test_the_default_schedule_is_shorter_than_the_staleness_window(template: Template) -> None:
    schedule = template["Parameters"]["PollerSchedule"]["Default"]
    assert schedule == "rate(1 day)", "revisit StaleAfterHours' default with the schedule's"
    assert template["Parameters"]["StaleAfterHours"]["Default"] > 24
