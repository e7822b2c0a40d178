"""The Intacct simulator on loopback ports and fylein's sageintacctsdk (1.28.1), unchanged, pointed at it.

The SDK is built exactly as a user builds it, ``SageIntacctSDK(sender_id, sender_password, user_id, company_id,
user_password)``: its constructor logs in (getAPISession) at once. Only the base URL is redirected: every API
object keeps the URL in the name-mangled ``_ApiBase__api_url`` (https://api.intacct.com/ia/xml/xmlgw.phtml),
set in ``ApiBase.__init__``, so the fixture wraps that ``__init__`` to point the attribute at the simulator's
login URL right after the SDK set it. Nothing else changes: only ``api_base`` (the object that logs in) adopts
the returned ``endpoint``; every other API object keeps posting to the login URL with the session id, which is
why the simulator must accept sessions at the login URL (reference §3.3, its default).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from sageintacctsdk import SageIntacctSDK
from sageintacctsdk.apis.api_base import ApiBase

from sandbox.intacct import IntacctSimConfig, IntacctSimulator
from tests.conftest import Serve

SDK_DEFAULT_URL = "https://api.intacct.com/ia/xml/xmlgw.phtml"
SIZE = 30

StartSim = Callable[..., IntacctSimulator]
MakeSdk = Callable[..., SageIntacctSDK]


@pytest.fixture
def start_sim(serve: Serve) -> StartSim:
    """Start simulators on ephemeral 127.0.0.1 ports; all are stopped at teardown."""

    def start(*, seed: int = 7, size: int = SIZE, config: IntacctSimConfig | None = None) -> IntacctSimulator:
        sim = IntacctSimulator(seed=seed, size=size, config=config)
        serve(sim)
        return sim

    return start


@pytest.fixture
def sim(start_sim: StartSim) -> IntacctSimulator:
    return start_sim()


@pytest.fixture
def redirect(monkeypatch: pytest.MonkeyPatch) -> Callable[[str], None]:
    """Point every ApiBase created from now on at ``url`` instead of the SDK's default (nothing else changes)."""

    def to(url: str) -> None:
        original = ApiBase.__init__

        def init(self: ApiBase, *args: Any, **kwargs: Any) -> None:
            original(self, *args, **kwargs)
            assert self._ApiBase__api_url == SDK_DEFAULT_URL  # type: ignore[attr-defined]  # the SDK's own default
            self._ApiBase__api_url = url  # type: ignore[attr-defined]

        monkeypatch.setattr(ApiBase, "__init__", init)

    return to


@pytest.fixture
def make_sdk(redirect: Callable[[str], None]) -> MakeSdk:
    def make(sim: IntacctSimulator, **overrides: str) -> SageIntacctSDK:
        redirect(sim.gateway_url)
        config = sim.config
        values = {
            "sender_id": config.sender_id,
            "sender_password": config.sender_password,
            "user_id": config.user_id,
            "company_id": config.company_id,
            "user_password": config.user_password,
            **overrides,
        }
        return SageIntacctSDK(**values)

    return make


@pytest.fixture
def sdk(sim: IntacctSimulator, make_sdk: MakeSdk) -> SageIntacctSDK:
    return make_sdk(sim)
