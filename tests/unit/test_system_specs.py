"""Every registered system is a whole plugin: secret fields, client factory, ping, error root and simulator; and a
spec stays import-light (nothing imports a system's client until a flow or a ping builds it)."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import boto3
import pytest

from mlconnector.config import SecretReader, Settings
from mlconnector.connection import Connection
from mlconnector.errors import ConnectorError
from mlconnector.state import ConnectionState
from mlconnector.systems.plugin import ClientContext, PingResult, Registry, SystemSpec
from mlconnector.systems.registry import SYSTEMS
from sandbox.core.simulator import Simulator
from tests.conftest import TABLES, Serve

SYSTEMS_DIR = Path(__file__).parents[2] / "src" / "shared" / "mlconnector" / "systems"
SPECS = list(SYSTEMS.values())
IDS = list(SYSTEMS)


def test_every_system_package_with_a_spec_is_registered() -> None:
    on_disk = {path.parent.name for path in SYSTEMS_DIR.glob("*/spec.py")}
    assert on_disk == set(SYSTEMS), "a systems/<name>/spec.py must be listed in systems/registry.py"
    assert list(SYSTEMS) == [spec.name for spec in SYSTEMS.values()]


@pytest.mark.parametrize("spec", SPECS, ids=IDS)
def test_a_spec_has_every_part(spec: SystemSpec[Any]) -> None:
    assert spec.name.isidentifier()
    assert spec.title
    assert spec.secret_fields
    assert all(isinstance(name, str) and name for name in spec.secret_fields)
    assert len(set(spec.secret_fields)) == len(spec.secret_fields)
    assert not set(spec.options) & set(spec.secret_fields), "options are the non-secret part of the secret"
    assert set(spec.local_options) <= set(spec.options)
    assert isinstance(spec.error_root, type)
    assert issubclass(spec.error_root, ConnectorError), "the CLI shows a ConnectorError as one line"
    assert callable(spec.client)
    assert callable(spec.ping)
    assert callable(spec.simulator)


@pytest.mark.parametrize("spec", SPECS, ids=IDS)
def test_its_simulator_serves_the_secret_fields_and_its_factory_builds_a_client(
    spec: SystemSpec[Any],
    serve: Serve,
    state: ConnectionState,
) -> None:
    simulator = spec.simulator(3, 5)
    assert isinstance(simulator, Simulator)
    assert simulator.name == spec.name
    serve(simulator)
    secret = simulator.credentials.as_dict()
    missing = [name for name in spec.secret_fields if not secret.get(name)]
    assert not missing, f"the {spec.name} simulator's credentials lack {missing}"
    for read_only in (False, True):
        context = ClientContext(
            system=spec.name,
            secret={**secret, **spec.local_options},
            sandbox_hosts=("127.0.0.1",),
            tokens=state.tokens,
            read_only=read_only,
            deadline=lambda: None,
            sleep=lambda _seconds: None,
            monotonic=lambda: 0.0,
        )
        client = spec.client(context)
        assert client.calls == 0


@pytest.mark.parametrize("spec", SPECS, ids=IDS)
def test_its_ping_says_what_to_fix_when_the_secret_is_missing(spec: SystemSpec[Any], aws: None) -> None:
    settings = Settings(TABLES, "ml-connector/spec-test", 30, region="us-east-1")
    connection = Connection.open("default", settings, secrets=SecretReader(settings.secret_prefix, region="us-east-1"))
    result = spec.ping(connection)
    assert isinstance(result, PingResult)
    assert (result.system, result.ok) == (spec.name, False)
    assert result.detail
    assert result.fix


def test_connection_builds_one_client_per_system_by_spec_or_name(aws: None) -> None:
    settings = Settings(TABLES, "ml-connector/spec-test", 30, region="us-east-1")
    connection = Connection.open("default", settings)
    boto3.client("secretsmanager").create_secret(Name=f"{settings.secret_prefix}/default/fake", SecretString="{}")
    built: list[str] = []

    def build(context: ClientContext) -> _Counted:
        built.append(context.system)
        return _Counted()

    fake = SystemSpec(
        name="fake",
        title="Fake",
        secret_fields=("key",),
        error_root=RuntimeError,
        client=build,
        ping=SPECS[0].ping,
        simulator=SPECS[0].simulator,
    )
    first = connection.client(fake)
    assert connection.client(fake) is first
    assert built == ["fake"]
    assert connection.api_calls() == {"fake": 7}
    with pytest.raises(KeyError, match="unknown system 'nosuch'"):
        connection.client("nosuch")


class _Counted:
    calls = 7


def test_the_registry_refuses_a_name_twice() -> None:
    with pytest.raises(ValueError, match="registered twice"):
        Registry([SPECS[0], SPECS[0]])


def test_importing_the_composition_root_imports_no_client_and_no_sandbox() -> None:
    """The specs name their client, ping and simulator through functions that import them when called."""
    probe = (
        "import sys, json, mlconnector.connection\n"
        "print(json.dumps(sorted(m for m in sys.modules if m.startswith(('mlconnector.systems', 'sandbox', 'moto')))))"
    )
    found = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, check=True)
    loaded = json.loads(found.stdout)
    light = {f"mlconnector.systems{part}" for part in ("", ".plugin", ".registry", ".lazy")}
    for name in SYSTEMS:
        light |= {f"mlconnector.systems.{name}{part}" for part in ("", ".spec", ".errors")}
    assert [m for m in loaded if m not in light] == [], "imported before any client is built"


def test_mlc_sandbox_pins_the_port_of_any_registered_system() -> None:
    from mlc.main import parser  # noqa: PLC0415

    pins = [f"--port={name}={8100 + i}" for i, name in enumerate(SYSTEMS)]
    args = parser().parse_args(["sandbox", *pins, "--port=intacct.session=8199"])
    assert dict(args.port) == {**{name: 8100 + i for i, name in enumerate(SYSTEMS)}, "intacct.session": 8199}
    with pytest.raises(SystemExit):
        parser().parse_args(["sandbox", "--port=netsuite=1"])


def test_the_integration_registry_names_its_flows_and_registered_systems() -> None:
    from mlconnector.flows.commerce_intacct import flow as commerce_intacct  # noqa: PLC0415
    from mlconnector.flows.intacct_marketo import flow as intacct_marketo  # noqa: PLC0415
    from mlconnector.flows.registry import COMMERCE_INTACCT, INTACCT_MARKETO, INTEGRATIONS  # noqa: PLC0415

    assert (INTACCT_MARKETO, COMMERCE_INTACCT) == (intacct_marketo.NAME, commerce_intacct.NAME)
    for integration in INTEGRATIONS.values():
        assert set(integration.systems) <= set(SYSTEMS), integration.name


def test_the_poller_imports_no_client_before_it_builds_a_flow() -> None:
    """The poller's cold import: the clients of the flow it runs load on its first invocation, and no others."""
    poller = Path(__file__).parents[2] / "src" / "functions" / "poller"
    probe = (
        "import sys, json, app\n"
        "print(json.dumps(sorted(m for m in sys.modules\n"
        "    if m.startswith('mlconnector.systems.') and m.endswith('.client'))))"
    )
    env = {**os.environ, "PYTHONPATH": os.pathsep.join([str(poller), *sys.path])}
    found = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, check=True, env=env)
    assert json.loads(found.stdout) == []


def test_the_poller_imports_no_boto3() -> None:
    """boto3 (with s3transfer) was about 200 ms of the poller's cold import: its AWS clients come from botocore."""
    poller = Path(__file__).parents[2] / "src" / "functions" / "poller"
    probe = "import sys, json, app\nprint(json.dumps(sorted(m for m in ('boto3', 's3transfer') if m in sys.modules)))"
    env = {**os.environ, "PYTHONPATH": os.pathsep.join([str(poller), *sys.path])}
    found = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, check=True, env=env)
    assert json.loads(found.stdout) == []
