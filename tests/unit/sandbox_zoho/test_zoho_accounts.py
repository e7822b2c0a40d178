"""The accounts server: the refresh-token grant, errors as HTTP 200 bodies, the mint limit per refresh token on the
simulator clock, minted tokens counted, api_domain pointing back at the simulator, other data centres' servers."""

from __future__ import annotations

import requests

from sandbox.zoho import ZohoSimConfig, ZohoSimulator
from tests.unit.sandbox_zoho.api import Api, error, ok
from tests.unit.sandbox_zoho.conftest import StartZoho

ACCESS_DENIED = {
    "error": "Access Denied",
    "error_description": "You have made too many requests continuously. Please try again after some time.",
    "status": "failure",
}


def test_the_refresh_grant_mints_an_hour_long_token_whose_api_domain_is_the_simulator(sim: ZohoSimulator) -> None:
    body = ok(Api(sim).mint())
    assert set(body) == {"access_token", "scope", "api_domain", "token_type", "expires_in"}
    assert body["access_token"].startswith("1000.")
    assert len(body["access_token"].split(".")) == 3
    assert (body["api_domain"], body["token_type"], body["expires_in"]) == (sim.base_url, "Bearer", 3600)
    assert "ZohoCRM.modules.ALL" in body["scope"].split()
    assert "refresh_token" not in body  # refresh tokens do not rotate
    assert sim.mints() == 1


def test_parameters_may_come_in_the_query_string(sim: ZohoSimulator) -> None:
    secret = sim.credentials.as_dict()
    params = {key: secret[key] for key in ("client_id", "client_secret", "refresh_token")}
    response = requests.post(
        sim.accounts_url + "/oauth/v2/token", params={**params, "grant_type": "refresh_token"}, timeout=5
    )
    assert "access_token" in ok(response)


def test_token_errors_are_http_200_bodies(sim: ZohoSimulator) -> None:
    api = Api(sim)
    assert ok(api.mint(refresh_token="1000.nope.nope")) == {"error": "invalid_code"}
    assert ok(api.mint(client_secret="wrong")) == {"error": "invalid_client"}
    assert ok(api.mint(client_id="1000.OTHER")) == {"error": "invalid_client"}
    assert ok(api.mint(grant_type="authorization_code")) == {"error": "unsupported_grant_type"}
    assert sim.mints() == 0


def test_the_mint_limit_refuses_the_eleventh_token_in_ten_minutes_then_lets_one_through(sim: ZohoSimulator) -> None:
    api = Api(sim)
    for _ in range(10):
        assert "access_token" in ok(api.mint())
        sim.clock.advance(30)
    assert ok(api.mint()) == ACCESS_DENIED
    assert sim.mints() == 10, "a refused mint is not counted"
    sim.clock.advance(600 - 10 * 30 + 1)  # the first mint leaves the window
    assert "access_token" in ok(api.mint())
    assert ok(api.mint()) == ACCESS_DENIED
    assert requests.get(sim.base_url + "/_sandbox/tokens", timeout=5).json()["minted"] == 11


def test_the_mint_limit_is_per_refresh_token_and_configurable(start_zoho: StartZoho) -> None:
    sim = start_zoho(config=ZohoSimConfig(mint_limit=2, mint_limit_status=400))
    api = Api(sim)
    other = sim.add_refresh_token()
    ok(api.mint())
    ok(api.mint())
    assert ok(api.mint(), 400) == ACCESS_DENIED
    assert "access_token" in ok(api.mint(refresh_token=other))
    assert (sim.mints(), sim.mints(other)) == (3, 1)
    sim.tokens.reset_mint_window()
    assert "access_token" in ok(api.mint())


def test_the_api_domain_can_point_elsewhere_or_be_left_out(start_zoho: StartZoho) -> None:
    foreign = start_zoho(config=ZohoSimConfig(api_domain="https://api.attacker.example"))
    assert ok(Api(foreign).mint())["api_domain"] == "https://api.attacker.example"
    silent = start_zoho(config=ZohoSimConfig(api_domain_in_token_response=False))
    assert "api_domain" not in ok(Api(silent).mint())


def test_legacy_expiry_in_milliseconds(start_zoho: StartZoho) -> None:
    sim = start_zoho(config=ZohoSimConfig(legacy_expires_in_ms=True))
    body = ok(Api(sim).mint())
    assert (body["expires_in"], body["expires_in_sec"]) == (3_600_000, 3600)


def test_another_data_centres_accounts_server_does_not_know_the_client(sim: ZohoSimulator) -> None:
    api = Api(sim)
    assert sim.accounts_url_for("US") == sim.accounts_url
    assert ok(api.mint(sim.accounts_url_for("EU"))) == {"error": "invalid_client"}
    assert sim.mints() == 0


def test_a_token_of_another_data_centre_is_refused_by_this_api_host(start_zoho: StartZoho) -> None:
    sim = start_zoho(config=ZohoSimConfig(foreign_dc_client="multi_dc"))
    api = Api(sim)
    api.token = ok(api.mint(sim.accounts_url_for("EU")))["access_token"]
    body = error(api.get("/org"), 401, "INVALID_TOKEN")
    assert body["message"] == "invalid oauth token"
    api.login()  # a token of this data centre works
    ok(api.get("/org"))


def test_an_eu_simulator_takes_only_eu_tokens(start_zoho: StartZoho) -> None:
    sim = start_zoho(config=ZohoSimConfig(data_centre="eu", foreign_dc_client="multi_dc"))
    assert sim.credentials.public == {"accounts_url": sim.base_url, "data_centre": "EU"}
    api = Api(sim)
    api.token = ok(api.mint(sim.accounts_url_for("US")))["access_token"]
    error(api.get("/org"), 401, "INVALID_TOKEN")
    api.login()
    ok(api.get("/org"))


def test_revoking_the_refresh_token_stops_it_and_its_access_tokens(api: Api, sim: ZohoSimulator) -> None:
    refresh = sim.credentials.secret["refresh_token"]
    response = requests.post(sim.accounts_url + "/oauth/v2/token/revoke", params={"token": refresh}, timeout=5)
    assert ok(response) == {"status": "success"}
    error(api.get("/org"), 401, "INVALID_TOKEN")
    assert ok(Api(sim).mint()) == {"error": "invalid_code"}


def test_the_thirty_first_live_token_pushes_out_the_oldest(start_zoho: StartZoho) -> None:
    sim = start_zoho(config=ZohoSimConfig(mint_limit=100, max_live_tokens=3))
    first = Api(sim)
    first.login()
    others = [Api(sim) for _ in range(3)]
    for other in others:
        other.login()
    error(first.get("/org"), 401, "INVALID_TOKEN")
    for other in others:
        ok(other.get("/org"))


def test_the_token_endpoint_takes_posts_only(sim: ZohoSimulator) -> None:
    assert requests.get(sim.accounts_url + "/oauth/v2/token", timeout=5).status_code == 405
