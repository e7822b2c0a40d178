"""Alarms: every dead-letter queue is alarmed, and every alarm notifies the optional AlarmTopicArn when it is set.

The run, record, quota, staleness and webhook alarms are checked in test_run_alarms.py."""

import re
from typing import Any

from .cfn import Template, condition_holds, parameter_defaults, referenced_resource, resolve_if, resources

TOPIC = "arn:aws:sns:us-east-1:123456789012:ops-alerts"


def _alarms(template: Template) -> dict[str, dict[str, Any]]:
    alarms = {name: res["Properties"] for name, res in resources(template, "AWS::CloudWatch::Alarm").items()}
    assert alarms, "the template defines no alarm"
    return alarms


def _dead_letter_queues(template: Template) -> set[str]:
    """Queues some function or queue sends its failures to."""
    found: set[str] = set()
    for res in template["Resources"].values():
        props = res.get("Properties", {})
        if res["Type"] == "AWS::Serverless::Function" and "DeadLetterQueue" in props:
            found.add(str(referenced_resource(props["DeadLetterQueue"]["TargetArn"])))
        if res["Type"] == "AWS::SQS::Queue" and "RedrivePolicy" in props:
            found.add(str(referenced_resource(props["RedrivePolicy"]["deadLetterTargetArn"])))
    return found


def test_alarm_topic_is_optional_and_off_by_default(template: Template) -> None:
    parameter = template["Parameters"]["AlarmTopicArn"]
    assert (parameter["Type"], parameter["Default"]) == ("String", "")
    for accepted in ("", TOPIC, "arn:aws-us-gov:sns:us-gov-west-1:123456789012:alarms_1"):
        assert re.fullmatch(parameter["AllowedPattern"], accepted), accepted
    for refused in ("ops-alerts", "arn:aws:sqs:us-east-1:123456789012:queue", f"{TOPIC} "):
        assert not re.fullmatch(parameter["AllowedPattern"], refused), refused
    defaults = parameter_defaults(template)
    assert not condition_holds(template, "HasAlarmTopic", defaults)
    assert condition_holds(template, "HasAlarmTopic", defaults | {"AlarmTopicArn": TOPIC})


def test_every_alarm_notifies_the_topic_only_when_one_is_given(template: Template) -> None:
    defaults = parameter_defaults(template)
    for name, alarm in _alarms(template).items():
        for actions in ("AlarmActions", "OKActions"):
            assert actions in alarm, f"{name} has no {actions}"
            value = alarm[actions]
            assert value["Fn::If"][0] == "HasAlarmTopic", f"{name}.{actions} is not conditional on the topic"
            when_set = resolve_if(template, value, defaults | {"AlarmTopicArn": TOPIC})
            assert when_set == [{"Ref": "AlarmTopicArn"}], name
            assert resolve_if(template, value, defaults) == {"Ref": "AWS::NoValue"}, name


def test_every_dead_letter_queue_is_alarmed_on_its_first_message(template: Template) -> None:
    queues = _dead_letter_queues(template)
    assert {"PollerDeadLetterQueue", "WebhookDeadLetterQueue"} <= queues
    alarmed = {}
    for name, alarm in _alarms(template).items():
        for dimension in alarm.get("Dimensions", []):
            if dimension["Name"] == "QueueName":
                alarmed[referenced_resource(dimension["Value"])] = name
    assert queues <= alarmed.keys(), f"dead-letter queues without an alarm: {sorted(queues - alarmed.keys())}"
    for queue in queues:
        alarm = _alarms(template)[alarmed[queue]]
        assert (alarm["Namespace"], alarm["MetricName"]) == ("AWS/SQS", "ApproximateNumberOfMessagesVisible")
        assert (alarm["Threshold"], alarm["ComparisonOperator"]) == (0, "GreaterThanThreshold")
        assert alarm["TreatMissingData"] == "notBreaching"
