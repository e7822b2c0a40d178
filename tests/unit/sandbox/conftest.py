from __future__ import annotations

from collections.abc import Callable

import pytest

from sandbox.core import SimClock
from sandbox.intacct import IntacctSimConfig, IntacctSimulator
from tests.conftest import Serve
from tests.unit.sandbox.gateway import Gateway

StartSim = Callable[..., IntacctSimulator]


@pytest.fixture
def start_sim(serve: Serve) -> StartSim:
    """Start Intacct simulators on ephemeral loopback ports; all are stopped at teardown."""

    def start(
        *, seed: int = 7, size: int = 30, config: IntacctSimConfig | None = None, clock: SimClock | None = None
    ) -> IntacctSimulator:
        sim = IntacctSimulator(seed=seed, size=size, config=config, clock=clock)
        serve(sim)
        return sim

    return start


@pytest.fixture
def sim(start_sim: StartSim) -> IntacctSimulator:
    return start_sim()


@pytest.fixture
def gw(sim: IntacctSimulator) -> Gateway:
    return Gateway(sim)
