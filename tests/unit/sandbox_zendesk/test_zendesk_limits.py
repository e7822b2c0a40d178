"""The account's per-minute budget: X-Rate-Limit and X-Rate-Limit-Remaining on every answer, ratelimit-* on
ticketing endpoints, 429 with Retry-After when it is spent, a fresh budget the next minute."""

from __future__ import annotations

import requests

from sandbox.zendesk import ZendeskSimConfig
from tests.unit.sandbox_zendesk.api import Api
from tests.unit.sandbox_zendesk.conftest import StartZendesk


def test_headers_count_down(start_zendesk: StartZendesk) -> None:
    sim = start_zendesk(config=ZendeskSimConfig(rate_limit_per_minute=400))
    api = Api(sim, sim.access_token())
    first, second = api.get("/users/me"), api.get("/organizations.json")
    assert (first.headers["X-Rate-Limit"], first.headers["X-Rate-Limit-Remaining"]) == ("400", "399")
    assert second.headers["X-Rate-Limit-Remaining"] == "398"
    assert "ratelimit-limit" not in first.headers
    ticketing = api.get("/tickets/show_many", ids="1")
    assert ticketing.headers["ratelimit-limit"] == "400"
    assert ticketing.headers["ratelimit-remaining"] == "397"
    assert ticketing.headers["ratelimit-reset"] == "30"


def test_429_with_retry_after_then_a_new_minute(start_zendesk: StartZendesk) -> None:
    sim = start_zendesk(config=ZendeskSimConfig(rate_limit_per_minute=3))
    api = Api(sim, sim.access_token())
    assert [api.get("/users/me").status_code for _ in range(3)] == [200, 200, 200]
    refused = api.get("/users/me")
    assert refused.status_code == 429
    assert refused.headers["Retry-After"] == "30"
    assert refused.headers["X-Rate-Limit-Remaining"] == "0"
    assert refused.json()["error"] == "APIRateLimitExceeded"
    sim.clock.advance(30)
    api.token = sim.access_token()
    assert api.get("/users/me").status_code == 200


def test_token_endpoint_and_admin_do_not_count(start_zendesk: StartZendesk) -> None:
    sim = start_zendesk(config=ZendeskSimConfig(rate_limit_per_minute=1))
    api = Api(sim, sim.access_token())
    requests.get(sim.base_url + "/_sandbox/counts", timeout=5)
    assert api.get("/users/me").status_code == 200
    assert api.get("/users/me").status_code == 429
    assert requests.post(sim.base_url + "/_sandbox/rate-limits/reset", timeout=5).status_code == 200
    assert api.get("/users/me").status_code == 200


def test_the_429_body_may_be_plain_text(start_zendesk: StartZendesk) -> None:
    sim = start_zendesk(config=ZendeskSimConfig(rate_limit_per_minute=1, rate_limit_body="text"))
    api = Api(sim, sim.access_token())
    api.get("/users/me")
    refused = api.get("/users/me")
    assert refused.status_code == 429
    assert refused.headers["Content-Type"].startswith("text/plain")
    assert refused.headers["Retry-After"] == "30"
