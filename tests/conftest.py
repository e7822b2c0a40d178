"""Shared fixtures: embedded AWS (moto, in-process) with the connector's tables bound."""

from __future__ import annotations

import os
from collections.abc import Callable, Iterator

import pytest

# Set before anything imports boto3 or Powertools: fake credentials, no X-Ray, quiet logs.
os.environ.update(
    {
        "AWS_ACCESS_KEY_ID": "testing",
        "AWS_SECRET_ACCESS_KEY": "testing",
        "AWS_DEFAULT_REGION": "us-east-1",
        "POWERTOOLS_TRACE_DISABLED": "true",
        "POWERTOOLS_METRICS_NAMESPACE": "MlConnectorTest",
        "POWERTOOLS_LOG_LEVEL": "WARNING",
    }
)
os.environ.pop("AWS_ENDPOINT_URL", None)
os.environ.pop("AWS_PROFILE", None)

from moto import mock_aws

from mlconnector.state import ConnectionState
from mlconnector.state.tables import TableNames, create_local_tables
from sandbox.core import LoopbackServer
from sandbox.core.simulator import Simulator

TABLES = TableNames(state="test-state", links="test-links", audit="test-audit")


class FakeClock:
    """A clock tests move by hand."""

    def __init__(self, start: float = 1_790_000_000.0) -> None:
        self.now = start

    def __call__(self) -> float:
        return self.now

    def advance(self, seconds: float) -> None:
        self.now += seconds


@pytest.fixture
def aws() -> Iterator[None]:
    with mock_aws():
        create_local_tables(TABLES, region="us-east-1")
        yield


@pytest.fixture
def clock() -> FakeClock:
    return FakeClock()


@pytest.fixture
def state(aws: None, clock: FakeClock) -> ConnectionState:
    return ConnectionState.open("acme", retention_days=30, clock=clock)


Serve = Callable[[Simulator], LoopbackServer]


@pytest.fixture
def serve() -> Iterator[Serve]:
    """Serve simulators on ephemeral 127.0.0.1 ports; every one is stopped at teardown. Each simulator's own
    fixtures (start_sim, start_marketo, start_commerce) build on this one."""
    servers: list[LoopbackServer] = []

    def start(simulator: Simulator) -> LoopbackServer:
        servers.append(LoopbackServer(simulator).start())
        return servers[-1]

    yield start
    for server in reversed(servers):
        server.stop()
