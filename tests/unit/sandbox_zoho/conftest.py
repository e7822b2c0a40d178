from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime

import pytest

from sandbox.core import SimClock
from sandbox.zoho import ZohoSimConfig, ZohoSimulator
from tests.conftest import Serve
from tests.unit.sandbox_zoho.api import Api

START = datetime(2026, 3, 10, 12, 0, tzinfo=UTC)

StartZoho = Callable[..., ZohoSimulator]


@pytest.fixture
def start_zoho(serve: Serve) -> StartZoho:
    """Zoho simulators on ephemeral loopback ports with a frozen clock; all are stopped at teardown."""

    def start(*, config: ZohoSimConfig | None = None, latency: float = 0.0, seed: int = 4) -> ZohoSimulator:
        sim = ZohoSimulator(seed=seed, config=config, clock=SimClock(START, frozen=True), latency=latency)
        serve(sim)
        return sim

    return start


@pytest.fixture
def sim(start_zoho: StartZoho) -> ZohoSimulator:
    return start_zoho()


@pytest.fixture
def api(sim: ZohoSimulator) -> Api:
    """A caller holding a freshly minted access token."""
    caller = Api(sim)
    caller.login()
    return caller
