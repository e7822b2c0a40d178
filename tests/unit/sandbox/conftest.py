from __future__ import annotations

from collections.abc import Callable, Iterator

import pytest

from sandbox.core import LoopbackServer, SimClock
from sandbox.intacct import IntacctSimConfig, IntacctSimulator
from tests.unit.sandbox.gateway import Gateway

StartSim = Callable[..., IntacctSimulator]


@pytest.fixture
def start_sim() -> Iterator[StartSim]:
    """Start Intacct simulators on ephemeral loopback ports; all are stopped at teardown."""
    servers: list[LoopbackServer] = []

    def start(
        *, seed: int = 7, size: int = 30, config: IntacctSimConfig | None = None, clock: SimClock | None = None
    ) -> IntacctSimulator:
        sim = IntacctSimulator(seed=seed, size=size, config=config, clock=clock)
        servers.append(LoopbackServer(sim).start())
        return sim

    yield start
    for server in servers:
        server.stop()


@pytest.fixture
def sim(start_sim: StartSim) -> IntacctSimulator:
    return start_sim()


@pytest.fixture
def gw(sim: IntacctSimulator) -> Gateway:
    return Gateway(sim)
