"""The local environment's stand-in for the stack's schedules (mlc/local_stack.py) follows the template."""

from __future__ import annotations

import json

from mlc.local_stack import EXPRESSIONS, MAX_ROUNDS, definition
from mlconnector.schedules import stack_parameters
from tests.template.cfn import Template


def test_local_schedules_run_every_integration_as_the_template_defaults_them(template: Template) -> None:
    for integration, expression in EXPRESSIONS.items():
        parameter, _enabled = stack_parameters(integration)
        assert template["Parameters"][parameter]["Default"] == expression, integration


def test_the_local_state_machine_is_the_templates_definition_with_its_substitutions(template: Template) -> None:
    machine = json.loads(definition())
    assert "${" not in definition()
    assert machine["States"]["RunPoller"]["Type"] == "Task"
    assert str(template["Parameters"]["PollerMaxRounds"]["Default"]) == str(MAX_ROUNDS)
