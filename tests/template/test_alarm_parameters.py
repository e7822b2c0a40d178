"""The alarms' parameters: present, numbers, with defaults an operator can deploy as they are."""

from __future__ import annotations

import re
from typing import Any

import pytest

from mlconnector.flows.registry import INTEGRATIONS
from mlconnector.schedules import stack_parameters

from .cfn import Template


def stale_alarm(integration: str) -> str:
    """Stale<Integration>Alarm, e.g. StaleIntacctMarketoAlarm."""
    return "Stale" + stack_parameters(integration)[0].removesuffix("Schedule") + "Alarm"


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
        *[("StaleAfterHours", stale_alarm(integration), "EvaluationPeriods") for integration in INTEGRATIONS],
    ],
)
def test_each_parameter_drives_its_alarm(template: Template, name: str, alarm: str, where: str) -> None:
    assert template["Resources"][alarm]["Properties"][where] == {"Ref": name}


RATE = re.compile(r"rate\((\d+) (minute|hour|day)s?\)")
UNIT_HOURS = {"minute": 1 / 60, "hour": 1, "day": 24}


@pytest.mark.parametrize("integration", sorted(INTEGRATIONS))
def test_each_default_schedule_is_shorter_than_the_staleness_window(template: Template, integration: str) -> None:
    schedule = template["Parameters"][stack_parameters(integration)[0]]["Default"]
    match = RATE.fullmatch(schedule)
    assert match, f"{integration}: revisit StaleAfterHours' default with the schedule's {schedule}"
    hours = int(match.group(1)) * UNIT_HOURS[match.group(2)]
    assert template["Parameters"]["StaleAfterHours"]["Default"] > hours + 1, integration
