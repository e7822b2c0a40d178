"""Functions: runtime, layer, environment, concurrency, and the handler the template points at."""

import ast
import json
import re
from typing import Any

import pytest

from mlconnector.config import LOCAL_ONLY_SANDBOX_HOSTS, SECRET_CACHE_VARIABLE
from mlconnector.flows.registry import INTEGRATIONS
from mlconnector.schedules import stack_parameters

from .cfn import (
    REPO_ROOT,
    Template,
    effective_function_properties,
    mlc_variables_read_by,
    referenced_resource,
    resources,
)

CONFIG_PY = REPO_ROOT / "src" / "shared" / "mlconnector" / "config.py"
POLLER_EVENT = REPO_ROOT / "events" / "poller-schedule.json"
REQUIRED_ENVIRONMENT = {
    "MLC_STATE_TABLE": "StateTable",
    "MLC_LINKS_TABLE": "LinksTable",
    "MLC_AUDIT_TABLE": "AuditTable",
    "MLC_SECRET_PREFIX": None,
    "MLC_AUDIT_RETENTION_DAYS": None,
    "POWERTOOLS_SERVICE_NAME": None,
    "POWERTOOLS_METRICS_NAMESPACE": None,
    "POWERTOOLS_LOG_LEVEL": None,
}


def functions(template: Template) -> dict[str, dict[str, Any]]:
    names = resources(template, "AWS::Serverless::Function")
    assert names, "the template defines no function"
    return {name: effective_function_properties(template, name) for name in names}


def environment(template: Template, name: str) -> dict[str, Any]:
    variables = functions(template)[name]["Environment"]["Variables"]
    assert isinstance(variables, dict)
    return variables


def test_every_function_runs_python_313_on_arm_with_the_layer(template: Template) -> None:
    layers = resources(template, "AWS::Serverless::LayerVersion")
    for name, props in functions(template).items():
        assert props["Runtime"] == "python3.13", name
        assert props["Architectures"] == ["arm64"], name
        assert props["Tracing"] == "Active", name
        used = {referenced_resource(layer) for layer in props["Layers"]}
        assert "ConnectorLayer" in used, name
        assert used <= layers.keys(), name


def test_layer_is_built_from_the_shared_package(template: Template) -> None:
    layer = resources(template, "AWS::Serverless::LayerVersion")["ConnectorLayer"]
    assert layer["Metadata"]["BuildMethod"] == "makefile"  # the python3.13 build method's work, plus bytecode
    assert layer["Properties"]["CompatibleRuntimes"] == ["python3.13"]
    content = REPO_ROOT / layer["Properties"]["ContentUri"]
    assert (content / "requirements.txt").is_file()
    assert (content / "mlconnector" / "__init__.py").is_file()
    makefile = (content / "Makefile").read_text()
    assert "build-ConnectorLayer:" in makefile
    assert "--python-version 3.13" in makefile  # wheels for the runtime, whatever Python runs sam build
    assert "compileall" in makefile  # Lambda's /opt is read-only: without .pyc every cold start compiles


def test_every_handler_exists_in_its_code_uri(template: Template) -> None:
    for name, props in functions(template).items():
        module, _, function = props["Handler"].rpartition(".")
        source = REPO_ROOT / props["CodeUri"] / (module.replace(".", "/") + ".py")
        assert source.is_file(), f"{name}: {source} is missing"
        defined = {node.name for node in ast.parse(source.read_text()).body if isinstance(node, ast.FunctionDef)}
        assert function in defined, f"{name}: {source.name} defines no {function}()"


def test_poller_runs_up_to_fifteen_minutes_with_a_parameterised_cap(template: Template) -> None:
    poller = functions(template)["PollerFunction"]
    assert poller["ReservedConcurrentExecutions"] == {"Ref": "PollerConcurrency"}
    assert poller["Timeout"] == 900
    concurrency = template["Parameters"]["PollerConcurrency"]
    assert concurrency["Type"] == "Number"
    # Every integration's schedule of one connection can run at once; at least one run always can.
    assert concurrency["MinValue"] >= 1
    assert concurrency["Default"] >= len(INTEGRATIONS)


def test_the_poller_has_no_schedule_of_its_own(template: Template) -> None:
    """The schedules start PollerLoop (test_schedules.py), which invokes the poller until the run completes."""
    events = functions(template)["PollerFunction"].get("Events", {})
    assert not [e for e in events.values() if e["Type"] in ("Schedule", "ScheduleV2")]


@pytest.mark.parametrize("variable", sorted(REQUIRED_ENVIRONMENT))
def test_every_function_sets_the_shared_variables(template: Template, variable: str) -> None:
    for name in functions(template):
        value = environment(template, name).get(variable)
        assert value not in (None, ""), f"{name} does not set {variable}"
        table = REQUIRED_ENVIRONMENT[variable]
        if table is not None:
            assert value == {"Ref": table}


def test_powertools_settings(template: Template) -> None:
    for name in functions(template):
        variables = environment(template, name)
        assert variables["POWERTOOLS_SERVICE_NAME"] == "ml-connector"
        assert variables["POWERTOOLS_METRICS_NAMESPACE"] == "MlConnector"
        assert variables["POWERTOOLS_LOG_LEVEL"] == {"Ref": "LogLevel"}
        assert variables["MLC_AUDIT_RETENTION_DAYS"] == {"Ref": "AuditRetentionDays"}


def test_every_mlc_variable_config_reads_is_set(template: Template) -> None:
    if not CONFIG_PY.is_file():
        pytest.skip("src/shared/mlconnector/config.py does not exist yet: nothing to compare against")
    # The secret cache has a default and matters only where a reader outlives a run (the webhook verifier's).
    wanted = mlc_variables_read_by(CONFIG_PY.read_text()) - {LOCAL_ONLY_SANDBOX_HOSTS, SECRET_CACHE_VARIABLE}
    assert wanted, "config.py names no MLC_* variable"
    for name in functions(template):
        missing = wanted - environment(template, name).keys()
        assert not missing, f"{name} lacks {sorted(missing)} that config.py reads"


def test_no_function_may_send_credentials_to_a_sandbox_host(template: Template) -> None:
    """MLC_SANDBOX_HOSTS lets clients talk to non-vendor hosts: only the local environment sets it."""
    for name in functions(template):
        assert LOCAL_ONLY_SANDBOX_HOSTS not in environment(template, name), name


def test_sample_event_is_what_a_schedule_sends(template: Template) -> None:
    event = json.loads(POLLER_EVENT.read_text())
    assert {"integration", "connection"} <= event.keys()
    assert event["integration"] in INTEGRATIONS
    assert re.fullmatch(template["Parameters"]["ConnectionName"]["AllowedPattern"], event["connection"])
    assert event["dry_run"] is True


def test_parameter_defaults_pass_their_own_constraints(template: Template) -> None:
    for name, param in template["Parameters"].items():
        default = str(param["Default"])
        if "AllowedPattern" in param:
            assert re.fullmatch(param["AllowedPattern"], default), name
        if "AllowedValues" in param:
            assert default in [str(value) for value in param["AllowedValues"]], name


def test_schedule_expression_patterns_accept_rate_and_cron_only(template: Template) -> None:
    for integration in INTEGRATIONS:
        pattern = template["Parameters"][stack_parameters(integration)[0]]["AllowedPattern"]
        assert re.fullmatch(pattern, "rate(15 minutes)")
        assert re.fullmatch(pattern, "cron(0 2 * * ? *)")
        assert not re.fullmatch(pattern, "at(2030-01-01T00:00:00)")


def test_log_groups_are_encrypted_and_retained(template: Template) -> None:
    for name, props in functions(template).items():
        group_name = referenced_resource(props["LoggingConfig"]["LogGroup"])
        assert group_name is not None, name
        group = template["Resources"][group_name]
        assert group["Type"] == "AWS::Logs::LogGroup"
        assert template["Resources"][referenced_resource(group["Properties"]["KmsKeyId"])]["Type"] == "AWS::KMS::Key"
        assert group["Properties"]["RetentionInDays"] == {"Ref": "LogRetentionDays"}


def test_async_failures_go_to_an_encrypted_queue(template: Template) -> None:
    for name, props in functions(template).items():
        queue = template["Resources"][referenced_resource(props["DeadLetterQueue"]["TargetArn"])]
        assert queue["Type"] == "AWS::SQS::Queue", name
        assert template["Resources"][referenced_resource(queue["Properties"]["KmsMasterKeyId"])]["Type"] == (
            "AWS::KMS::Key"
        )
