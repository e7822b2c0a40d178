from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime

import pytest

from sandbox.core import SimClock
from sandbox.zendesk import ZendeskSimConfig, ZendeskSimulator
from tests.conftest import Serve
from tests.unit.sandbox_zendesk.api import Api

START = datetime(2026, 3, 10, 12, 0, 30, tzinfo=UTC)

StartZendesk = Callable[..., ZendeskSimulator]


@pytest.fixture
def start_zendesk(serve: Serve) -> StartZendesk:
    """Zendesk simulators on ephemeral loopback ports with a frozen clock; all are stopped at teardown."""

    def start(*, config: ZendeskSimConfig | None = None, size: int = 0, seed: int = 3) -> ZendeskSimulator:
        sim = ZendeskSimulator(seed=seed, size=size, config=config, clock=SimClock(START, frozen=True))
        serve(sim)
        return sim

    return start


@pytest.fixture
def sim(start_zendesk: StartZendesk) -> ZendeskSimulator:
    return start_zendesk()


@pytest.fixture
def api(sim: ZendeskSimulator) -> Api:
    """A caller holding a Bearer token."""
    return Api(sim, sim.access_token())
