from __future__ import annotations

from collections.abc import Callable, Sequence

import pytest
import requests
from requests_oauthlib import OAuth1

from sandbox.commerce import CommerceSimConfig, CommerceSimulator
from tests.conftest import Serve

StartCommerce = Callable[..., CommerceSimulator]


@pytest.fixture
def start_commerce(serve: Serve) -> StartCommerce:
    """Commerce simulators on ephemeral loopback ports. The clock runs from real now: OAuth 1.0a
    timestamps come from the client's wall clock, so a frozen past clock would refuse them."""

    def start(*, size: int = 20, seed: int = 3, config: CommerceSimConfig | None = None) -> CommerceSimulator:
        sim = CommerceSimulator(seed=seed, size=size, config=config)
        serve(sim)
        return sim

    return start


@pytest.fixture
def sim(start_commerce: StartCommerce) -> CommerceSimulator:
    return start_commerce()


def oauth1(sim: CommerceSimulator, method: str = "HMAC-SHA256", **overrides: str) -> OAuth1:
    creds = {**sim.credentials_for("paas").as_dict(), **overrides}
    return OAuth1(
        creds["consumer_key"],
        creds["consumer_secret"],
        creds["access_token"],
        creds["access_token_secret"],
        signature_method=method,
    )


def get(sim: CommerceSimulator, path: str, params: dict[str, str] | None = None, **kwargs: object) -> requests.Response:
    """A signed PaaS GET of ``/rest/V1<path>``."""
    auth = kwargs.pop("auth", None) or oauth1(sim)
    return requests.get(f"{sim.api_url}/rest/V1{path}", params=params, auth=auth, timeout=5, **kwargs)  # type: ignore[arg-type]


def criteria(
    *groups: list[tuple[str, str, str]], sort: Sequence[tuple[str, str]] = (), **paging: object
) -> dict[str, str]:
    """searchCriteria query parameters: each group is a list of (field, value, condition_type)."""
    params: dict[str, str] = {}
    for g, group in enumerate(groups):
        for f, (name, value, condition) in enumerate(group):
            prefix = f"searchCriteria[filter_groups][{g}][filters][{f}]"
            params[f"{prefix}[field]"] = name
            params[f"{prefix}[value]"] = value
            params[f"{prefix}[condition_type]"] = condition
    for s, (name, direction) in enumerate(sort):
        params[f"searchCriteria[sortOrders][{s}][field]"] = name
        params[f"searchCriteria[sortOrders][{s}][direction]"] = direction
    for key, setting in paging.items():
        params[f"searchCriteria[{key}]"] = str(setting)
    if not params:
        params["searchCriteria"] = ""
    return params
