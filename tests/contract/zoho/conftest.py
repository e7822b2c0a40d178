"""The Zoho simulator on a loopback port and the official Zoho CRM Python SDK (``zohocrmsdk8-0`` 7.0.0), unchanged,
pointed at it.

The SDK is initialised as a user initialises it, ``Initializer.initialize(environment, token, store, sdk_config,
resource_path)``; the only difference is the environment: ``DataCenter.Environment(url, accounts_url,
file_upload_url)`` built with the simulator's origin instead of ``USDataCenter.PRODUCTION()``. Tokens go to the
SDK's own FileStore and its field metadata to its resource path, both in the test's temporary directory. The
simulator's token response names its own origin as ``api_domain``: the SDK keeps that (DataCenter.get knows no such
URL, so the environment stays the simulator), where a real Zoho host would send it to Zoho.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path

import pytest
from zohocrmsdk.src.com.zoho.api.authenticator.oauth_token import OAuthToken
from zohocrmsdk.src.com.zoho.api.authenticator.store.file_store import FileStore
from zohocrmsdk.src.com.zoho.crm.api.dc.data_center import DataCenter
from zohocrmsdk.src.com.zoho.crm.api.initializer import Initializer
from zohocrmsdk.src.com.zoho.crm.api.sdk_config import SDKConfig

from sandbox.core import SimClock
from sandbox.zoho import ZohoSimulator
from tests.conftest import Serve

START = datetime(2026, 3, 10, 12, 0, tzinfo=UTC)

Initialize = Callable[..., FileStore]


@pytest.fixture
def sim(serve: Serve) -> ZohoSimulator:
    simulator = ZohoSimulator(seed=9, clock=SimClock(START, frozen=True))
    serve(simulator)
    return simulator


def environment(sim: ZohoSimulator) -> DataCenter.Environment:
    """What USDataCenter.PRODUCTION() builds, with the simulator's URLs."""
    return DataCenter.Environment(sim.base_url, sim.accounts_url + "/oauth/v2/token", sim.base_url)


@pytest.fixture
def initialize(sim: ZohoSimulator, tmp_path: Path) -> Initialize:
    """Initialise the SDK against the simulator (this mints a token); returns the token store."""

    def start(refresh_token: str | None = None) -> FileStore:
        secret = sim.credentials.as_dict()
        token = OAuthToken(
            client_id=secret["client_id"],
            client_secret=secret["client_secret"],
            refresh_token=refresh_token or secret["refresh_token"],
        )
        store = FileStore(str(tmp_path / "zoho_tokens.csv"))
        Initializer.initialize(
            environment=environment(sim),
            token=token,
            store=store,
            sdk_config=SDKConfig(auto_refresh_fields=False, pick_list_validation=True),
            resource_path=str(tmp_path),
        )
        return store

    return start


@pytest.fixture
def sdk(initialize: Initialize) -> FileStore:
    return initialize()
