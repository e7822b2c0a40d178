from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime

import pytest

from sandbox.core import SimClock
from sandbox.marketo import MarketoSimConfig, MarketoSimulator
from tests.conftest import Serve
from tests.unit.sandbox_marketo.api import Api

# 12:00 UTC = 07:00 in Chicago (CDT), so the quota day is 2026-03-10 there too.
START = datetime(2026, 3, 10, 12, 0, tzinfo=UTC)

StartMarketo = Callable[..., MarketoSimulator]


@pytest.fixture
def start_marketo(serve: Serve) -> StartMarketo:
    """Start Marketo simulators on ephemeral loopback ports with a frozen clock; all are stopped at teardown."""

    def start(*, config: MarketoSimConfig | None = None, latency: float = 0.0) -> MarketoSimulator:
        sim = MarketoSimulator(seed=5, config=config, clock=SimClock(START, frozen=True), latency=latency)
        serve(sim)
        return sim

    return start


@pytest.fixture
def sim(start_marketo: StartMarketo) -> MarketoSimulator:
    return start_marketo()


@pytest.fixture
def api(sim: MarketoSimulator) -> Api:
    client = Api(sim)
    client.login()
    return client
