"""The Marketo simulator on a loopback port and marketorestpython's MarketoClient, unchanged, pointed at it.

The client is built exactly as a user builds it, ``MarketoClient(munchkin_id, client_id, client_secret)``
(plus its documented ``requests_timeout`` / ``max_retry_time`` options, so a broken simulator fails a
test instead of hanging it); only ``client.host`` is redirected from ``https://<munchkin>.mktorest.com``.
The library's code is untouched; only the sleep of its client-side pacing is skipped (see ``_Unpaced``).
"""

from __future__ import annotations

import time
from datetime import UTC, datetime

import pytest
from marketorestpython.client import MarketoClient
from marketorestpython.helper import http_lib

from sandbox.core import SimClock
from sandbox.marketo import MarketoSimConfig, MarketoSimulator
from tests.conftest import Serve

# A frozen simulator clock: the token never expires and the 20 s rate window never slides mid-test.
START = datetime(2026, 3, 10, 12, 0, tzinfo=UTC)


@pytest.fixture
def sim(serve: Serve) -> MarketoSimulator:
    simulator = MarketoSimulator(seed=5, config=MarketoSimConfig(), clock=SimClock(START, frozen=True))
    serve(simulator)
    return simulator


def client_for(sim: MarketoSimulator, client_id: str | None = None, client_secret: str | None = None) -> MarketoClient:
    config = sim.config
    client = MarketoClient(
        config.munchkin_id,
        client_id or config.client_id,
        client_secret or config.client_secret,
        max_retry_time=10,
        requests_timeout=10,
    )
    assert client.host == f"https://{config.munchkin_id}.mktorest.com"
    client.host = sim.base_url
    return client


@pytest.fixture
def client(sim: MarketoSimulator) -> MarketoClient:
    return client_for(sim)


class _Unpaced:
    """``time`` as marketorestpython's HttpLib sees it, minus the sleep of its 5-calls-per-second pacing.

    The pacing is client-side only (nothing on the wire changes); left on, it adds about 0.2 s to
    every call and the module to about 9 s. The simulator's own 100-per-20 s window still applies."""

    time = staticmethod(time.time)

    @staticmethod
    def sleep(seconds: float) -> None:
        del seconds


@pytest.fixture(autouse=True)
def _no_client_pacing(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(http_lib, "time", _Unpaced)
