"""A connection wired like production, on moto (in-process) and the Intacct simulator over loopback."""

from __future__ import annotations

import json
from collections.abc import Iterator
from dataclasses import dataclass

import boto3
import pytest

from mlconnector.config import Settings, secret_name
from mlconnector.connection import Connection
from sandbox.core.server import LoopbackServer
from sandbox.intacct import IntacctSimulator
from tests.conftest import TABLES, FakeClock

PREFIX = "ml-connector/test"


@dataclass
class Stack:
    simulator: IntacctSimulator
    settings: Settings
    clock: FakeClock

    def connection(self, name: str = "default", *, read_only: bool = False) -> Connection:
        """A new Connection is what a new Lambda container builds: nothing shared but DynamoDB."""
        return Connection.open(name, self.settings, clock=self.clock, read_only=read_only)

    def put_secret(self, connection: str = "default", **overrides: str) -> None:
        secret = {**self.simulator.credentials.as_dict(), **overrides}
        client = boto3.client("secretsmanager")
        name = secret_name(PREFIX, connection, "intacct")
        try:
            client.create_secret(Name=name, SecretString=json.dumps(secret))
        except client.exceptions.ResourceExistsException:
            client.put_secret_value(SecretId=name, SecretString=json.dumps(secret))


@pytest.fixture
def stack(aws: None, clock: FakeClock) -> Iterator[Stack]:
    simulator = IntacctSimulator(seed=3, size=40)
    settings = Settings(TABLES, PREFIX, 30, region="us-east-1", sandbox_hosts=("127.0.0.1",))
    with LoopbackServer(simulator):
        stack = Stack(simulator, settings, clock)
        stack.put_secret()
        yield stack
