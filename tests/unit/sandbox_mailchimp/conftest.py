from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime

import pytest

from sandbox.core import SimClock
from sandbox.mailchimp import MailchimpSimConfig, MailchimpSimulator
from tests.conftest import Serve
from tests.unit.sandbox_mailchimp.api import Api

START = datetime(2026, 3, 10, 12, 0, tzinfo=UTC)

StartMailchimp = Callable[..., MailchimpSimulator]


@pytest.fixture
def start_mailchimp(serve: Serve) -> StartMailchimp:
    """Mailchimp simulators on ephemeral loopback ports with a frozen clock; all are stopped at teardown."""

    def start(*, config: MailchimpSimConfig | None = None, latency: float = 0.0, seed: int = 4) -> MailchimpSimulator:
        sim = MailchimpSimulator(seed=seed, config=config, clock=SimClock(START, frozen=True), latency=latency)
        serve(sim)
        return sim

    return start


@pytest.fixture
def sim(start_mailchimp: StartMailchimp) -> MailchimpSimulator:
    return start_mailchimp()


@pytest.fixture
def api(sim: MailchimpSimulator) -> Api:
    return Api(sim)
