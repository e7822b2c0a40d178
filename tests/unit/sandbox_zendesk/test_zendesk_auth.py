"""Authentication: the refresh-token grant rotates the pair (the old refresh token and its access token die at once),
API-token Basic auth ``{email}/token:{token}``, tokens expiring on the simulator clock, 401 bodies."""

from __future__ import annotations

import requests

from sandbox.zendesk import ZendeskSimConfig, ZendeskSimulator
from tests.unit.sandbox_zendesk.api import Api, basic, refresh
from tests.unit.sandbox_zendesk.conftest import StartZendesk


def test_refresh_returns_a_new_pair_and_the_old_pair_dies(sim: ZendeskSimulator) -> None:
    first_refresh = sim.credentials.as_dict()["refresh_token"]
    first = refresh(sim, first_refresh)
    assert first.status_code == 200
    pair = first.json()
    assert pair["token_type"] == "bearer"
    assert pair["refresh_token"] != first_refresh
    assert pair["expires_in"] == 1800
    assert pair["refresh_token_expires_in"] == 30 * 86_400
    assert Api(sim, pair["access_token"]).get("/users/me").status_code == 200

    second = refresh(sim, pair["refresh_token"]).json()
    # The first pair is gone: its access token is refused and its refresh token is invalid_grant.
    stale = Api(sim, pair["access_token"]).get("/users/me")
    assert stale.status_code == 401
    assert stale.json()["error"] == "invalid_token"
    again = refresh(sim, pair["refresh_token"])
    assert again.status_code == 400
    assert again.json()["error"] == "invalid_grant"
    assert Api(sim, second["access_token"]).get("/users/me").status_code == 200
    assert sim.refreshes() == 2
    assert sim.credentials.as_dict()["refresh_token"] == second["refresh_token"]
    tokens = requests.get(sim.base_url + "/_sandbox/tokens", timeout=5).json()
    assert tokens["refreshes"] == 2
    assert tokens["refused"] == 1


def test_two_containers_refreshing_the_same_token_lock_one_out(sim: ZendeskSimulator) -> None:
    token = sim.credentials.as_dict()["refresh_token"]
    assert refresh(sim, token).status_code == 200
    assert refresh(sim, token).json()["error"] == "invalid_grant"


def test_refresh_form_body_and_client_checks(sim: ZendeskSimulator) -> None:
    secret = sim.credentials.as_dict()
    form = {
        "grant_type": "refresh_token",
        "client_id": secret["client_id"],
        "client_secret": secret["client_secret"],
        "refresh_token": secret["refresh_token"],
    }
    bad_client = requests.post(sim.base_url + "/oauth/tokens", data={**form, "client_secret": "x"}, timeout=5)
    assert bad_client.status_code == 401
    assert bad_client.json()["error"] == "invalid_client"
    grant = requests.post(sim.base_url + "/oauth/tokens", data={**form, "grant_type": "password"}, timeout=5)
    assert grant.json()["error"] == "unsupported_grant_type"
    assert refresh(sim, secret["refresh_token"], expires_in=100).json()["error"] == "invalid_request"
    ok = requests.post(sim.base_url + "/oauth/tokens", data={**form, "expires_in": "600"}, timeout=5)
    assert ok.status_code == 200
    assert ok.json()["expires_in"] == 600
    assert sim.refreshes() == 1


def test_access_tokens_expire_on_the_simulator_clock(sim: ZendeskSimulator) -> None:
    pair = refresh(sim, sim.credentials.as_dict()["refresh_token"]).json()
    api = Api(sim, pair["access_token"])
    sim.clock.advance(1799)
    assert api.get("/users/me").status_code == 200
    sim.clock.advance(2)
    expired = api.get("/users/me")
    assert expired.status_code == 401
    assert expired.json()["error"] == "invalid_token"
    assert refresh(sim, pair["refresh_token"]).status_code == 200  # the refresh token outlives it


def test_refresh_tokens_expire_too(sim: ZendeskSimulator) -> None:
    token = sim.credentials.as_dict()["refresh_token"]
    sim.clock.advance(30 * 86_400 + 1)
    assert refresh(sim, token).json()["error"] == "invalid_grant"


def test_api_token_basic_auth(start_zendesk: StartZendesk) -> None:
    sim = start_zendesk(config=ZendeskSimConfig(auth_mode="api_token"))
    secret = sim.credentials.as_dict()
    assert set(secret) == {"subdomain", "base_url", "email", "api_token", "webhook_secret"}
    api = Api(sim)
    me = api.call("GET", "/users/me.json", headers=basic(secret["email"], secret["api_token"]))
    assert me.status_code == 200
    assert me.json()["user"]["role"] == "admin"
    wrong = api.call("GET", "/users/me", headers=basic(secret["email"], "nope"))
    assert wrong.status_code == 401
    assert wrong.json() == {"error": "Couldn't authenticate you"}
    password_style = api.call("GET", "/users/me", headers={"Authorization": "Basic YWRtaW46cGFzcw=="})
    assert password_style.status_code == 401
    sim.config.api_token_enabled = False  # tokens retired (2027-04-30)
    assert api.call("GET", "/users/me", headers=basic(secret["email"], secret["api_token"])).status_code == 401


def test_oauth_credentials_fields(sim: ZendeskSimulator) -> None:
    secret = sim.credentials.as_dict()
    assert set(secret) == {"subdomain", "base_url", "client_id", "client_secret", "refresh_token", "webhook_secret"}
    assert secret["base_url"] == sim.base_url
    assert secret["subdomain"] == "mlc-sandbox"
    for key in ("client_secret", "refresh_token", "webhook_secret"):
        assert secret[key] not in repr(sim.credentials)
    assert secret["webhook_secret"] == sim.config.webhook_secret  # what the account's webhook signs with


def test_no_credentials_is_401(sim: ZendeskSimulator) -> None:
    response = Api(sim).call("GET", "/organizations.json", headers={})
    assert response.status_code == 401
    assert response.json() == {"error": "Couldn't authenticate you"}
