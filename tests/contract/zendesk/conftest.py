"""The Zendesk simulator on a loopback port and zenpy 2.0.57, unchanged, pointed at it.

zenpy builds every URL as ``https://{subdomain}.{domain}/api/v2/...``; the only redirection is zenpy's own supported
override, the environment variables ``ZENPY_FORCE_NETLOC`` (``127.0.0.1:<port>``) and ``ZENPY_FORCE_SCHEME``
(``http``) that ``BaseApi._build_url`` reads on every call. Next pages are followed through the URLs the simulator
answers (``after_url``, ``links.next``), which name its own origin. The client is built as a user builds it:
``Zenpy(subdomain=..., oauth_token=...)`` or ``Zenpy(subdomain=..., email=..., token=...)``.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime
from typing import Any

import pytest
import requests
from zenpy import Zenpy

from sandbox.core import SimClock
from sandbox.zendesk import ZendeskSimConfig, ZendeskSimulator
from tests.conftest import Serve

START = datetime(2026, 3, 10, 12, 0, 30, tzinfo=UTC)

MakeClient = Callable[..., Zenpy]


@pytest.fixture
def sim(serve: Serve) -> ZendeskSimulator:
    simulator = ZendeskSimulator(seed=5, config=ZendeskSimConfig(), clock=SimClock(START, frozen=True))
    serve(simulator)
    return simulator


def oauth_token(sim: ZendeskSimulator) -> str:
    """What the connector does before building a client: the refresh-token grant (which rotates the pair)."""
    secret = sim.credentials.as_dict()
    response = requests.post(
        secret["base_url"] + "/oauth/tokens",
        json={
            "grant_type": "refresh_token",
            "client_id": secret["client_id"],
            "client_secret": secret["client_secret"],
            "refresh_token": secret["refresh_token"],
        },
        timeout=10,
    )
    response.raise_for_status()
    return str(response.json()["access_token"])


@pytest.fixture
def make_client(sim: ZendeskSimulator, monkeypatch: pytest.MonkeyPatch) -> MakeClient:
    monkeypatch.setenv("ZENPY_FORCE_NETLOC", sim.base_url.removeprefix("http://"))
    monkeypatch.setenv("ZENPY_FORCE_SCHEME", "http")

    def make(**options: Any) -> Zenpy:
        if "email" not in options and "oauth_token" not in options:
            options["oauth_token"] = oauth_token(sim)
        return Zenpy(subdomain=sim.config.subdomain, timeout=10, **options)

    return make


@pytest.fixture
def zenpy(make_client: MakeClient) -> Zenpy:
    return make_client()
