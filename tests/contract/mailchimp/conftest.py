"""The Mailchimp simulator on a loopback port and the official ``mailchimp-marketing`` client, unchanged, pointed
at it.

The client is configured exactly as a user configures it, ``Client().set_config({"api_key": ..., "server": dc})``;
only ``client.api_client.host`` is redirected from ``https://server.api.mailchimp.com/3.0`` to the simulator's
``/3.0`` root. The library's code is untouched.
"""

from __future__ import annotations

from datetime import UTC, datetime

import mailchimp_marketing
import pytest

from sandbox.core import SimClock
from sandbox.mailchimp import MailchimpSimConfig, MailchimpSimulator
from tests.conftest import Serve

START = datetime(2026, 3, 10, 12, 0, tzinfo=UTC)


@pytest.fixture
def sim(serve: Serve) -> MailchimpSimulator:
    simulator = MailchimpSimulator(seed=9, config=MailchimpSimConfig(), clock=SimClock(START, frozen=True))
    serve(simulator)
    return simulator


def client_for(sim: MailchimpSimulator, config: dict[str, object] | None = None) -> mailchimp_marketing.Client:
    client = mailchimp_marketing.Client()
    client.set_config(config if config is not None else {"api_key": sim.config.api_key, "server": sim.config.dc})
    assert client.api_client.host == "https://server.api.mailchimp.com/3.0"
    client.api_client.host = sim.api_url
    return client


@pytest.fixture
def client(sim: MailchimpSimulator) -> mailchimp_marketing.Client:
    return client_for(sim)
