"""A connection wired like production, on moto (in-process) and the Intacct simulator over loopback.

Any registered system joins a stack the same way: `with stack.serve(simulator):` serves its simulator and puts
the default connection's secret; `stack.put_secret(connection, system, **overrides)` rewrites a secret."""

from __future__ import annotations

import json
import os
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import boto3
import pytest

from mlc.embedded import LocalEnvironment
from mlconnector.config import Settings, secret_name
from mlconnector.connection import Connection
from mlconnector.engine.report import RunReport, RunStatus
from mlconnector.service import sync
from mlconnector.systems.registry import INTACCT, SYSTEMS
from sandbox.commerce import CommerceSimulator
from sandbox.core.server import LoopbackServer
from sandbox.core.simulator import Simulator
from sandbox.intacct import IntacctSimulator
from sandbox.marketo import MarketoSimulator
from tests.conftest import TABLES, FakeClock

PREFIX = "ml-connector/test"
DOTTED_SHAPES = ("flat", "nested")
"""How the Intacct simulator can send related fields (`<DISPLAYCONTACT.EMAIL1>` or nested): flows must not care."""


@dataclass
class Stack:
    simulator: IntacctSimulator
    settings: Settings
    clock: FakeClock
    marketo: MarketoSimulator | None = None
    commerce: CommerceSimulator | None = None
    sleeps: list[float] = field(default_factory=list)
    serving: dict[str, Simulator] = field(default_factory=dict)
    """Every simulator this stack serves, by the name of the system it serves."""

    def connection(self, name: str = "default", *, read_only: bool = False) -> Connection:
        """A new Connection is what a new Lambda container builds: nothing shared but DynamoDB."""
        return Connection.open(
            name, self.settings, clock=self.clock, read_only=read_only, sleep=self.sleep, monotonic=self.clock
        )

    def dotted_fields(self, shape: str) -> None:
        """Make the Intacct simulator answer selected related fields flat (the real gateway) or nested."""
        assert shape in DOTTED_SHAPES
        self.simulator.config.dotted_fields = "flat" if shape == "flat" else "nested"

    def sleep(self, seconds: float) -> None:
        """Waits are recorded and pass on the fake clock, never in real time."""
        self.sleeps.append(seconds)
        self.clock.advance(seconds)

    def of[S: Simulator](self, kind: type[S]) -> S:
        """The simulator of this class this stack serves, typed."""
        simulator = self.serving[kind.name]
        assert isinstance(simulator, kind)
        return simulator

    def sync(self, flow: str) -> RunReport:
        """One run of an integration on the default connection, as a new container would make it."""
        return sync(flow, self.connection())

    def completed(self, flow: str) -> RunReport:
        """A run that must complete (the report's error is the assertion's message otherwise)."""
        report = self.sync(flow)
        assert report.status is RunStatus.COMPLETED, report.error
        return report

    @contextmanager
    def serve(self, simulator: Simulator) -> Iterator[Simulator]:
        """Serve a registered system's simulator over loopback, with the default connection's secret."""
        assert simulator.name in SYSTEMS, f"{simulator.name} is not a registered system"
        with LoopbackServer(simulator):
            self.serving[simulator.name] = simulator
            try:
                self.put_secret(system=simulator.name)
                yield simulator
            finally:
                del self.serving[simulator.name]

    def put_secret(self, connection: str = "default", system: str = INTACCT.name, **overrides: Any) -> None:
        """The system's secret: its simulator's credentials, with `overrides` on top."""
        credentials = self.serving[system].credentials.as_dict()
        self._put(connection, system, {**credentials, **overrides})

    def put_marketo_secret(self, connection: str = "default", **overrides: Any) -> None:
        self.put_secret(connection, "marketo", **overrides)

    def _put(self, connection: str, system: str, secret: dict[str, Any]) -> None:
        client = boto3.client("secretsmanager")
        name = secret_name(PREFIX, connection, system)
        try:
            client.create_secret(Name=name, SecretString=json.dumps(secret))
        except client.exceptions.ResourceExistsException:
            client.put_secret_value(SecretId=name, SecretString=json.dumps(secret))


@pytest.fixture
def both(stack: Stack) -> Iterator[Stack]:
    """The Intacct stack plus the Marketo simulator, with the default connection's Marketo secret."""
    stack.marketo = MarketoSimulator()
    with stack.serve(stack.marketo):
        yield stack


@pytest.fixture
def shop(stack: Stack) -> Iterator[Stack]:
    """The Intacct stack plus the Commerce simulator (PaaS, OAuth 1.0a), with the default connection's secret."""
    stack.commerce = CommerceSimulator(seed=5, size=30)
    with stack.serve(stack.commerce):
        yield stack


@pytest.fixture
def stack(aws: None, clock: FakeClock) -> Iterator[Stack]:
    simulator = IntacctSimulator(seed=3, size=40)
    settings = Settings(TABLES, PREFIX, 30, region="us-east-1", sandbox_hosts=("127.0.0.1",))
    stack = Stack(simulator, settings, clock)
    with stack.serve(simulator):
        yield stack


@pytest.fixture
def local(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[LocalEnvironment]:
    """The CLI's embedded local environment (moto server + every simulator), started in a temporary folder."""
    monkeypatch.chdir(tmp_path)
    saved = dict(os.environ)
    environment = LocalEnvironment(size=30)
    try:
        environment.start().save()
        yield environment
    finally:
        environment.stop()
        os.environ.clear()
        os.environ.update(saved)
