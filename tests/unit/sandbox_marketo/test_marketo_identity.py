"""Identity: tokens per custom service with a count-down expires_in, 401 on bad credentials, and
the REST side of auth: Bearer only, 600 / 601 / 602."""

from __future__ import annotations

import re

import requests

from sandbox.marketo import MarketoSimConfig, MarketoSimulator
from tests.unit.sandbox_marketo.api import Api, error_codes
from tests.unit.sandbox_marketo.conftest import StartMarketo

DESCRIBE = "/rest/v1/companies/describe.json"


def test_token_response_shape(sim: MarketoSimulator) -> None:
    response = Api(sim).identity()
    assert response.status_code == 200
    assert response.headers["Cache-Control"] == "no-store"
    body = response.json()
    assert set(body) == {"access_token", "token_type", "expires_in", "scope"}
    assert re.fullmatch(r"[0-9a-f-]{36}:[a-z]+", body["access_token"])
    assert body["token_type"] == "bearer"
    assert body["expires_in"] == 3599
    assert body["scope"] == sim.config.api_user


def test_same_token_counts_down_then_a_new_one_after_expiry(start_marketo: StartMarketo) -> None:
    sim = start_marketo(config=MarketoSimConfig(token_lifetime_s=10))
    api = Api(sim)
    first = api.identity().json()
    sim.clock.advance(4)
    again = api.identity(method="POST").json()
    assert again["access_token"] == first["access_token"]
    assert (first["expires_in"], again["expires_in"]) == (9, 5)
    sim.clock.advance(6)
    renewed = api.identity().json()
    assert renewed["access_token"] != first["access_token"]
    assert renewed["expires_in"] == 9


def test_each_custom_service_has_its_own_token(start_marketo: StartMarketo) -> None:
    config = MarketoSimConfig(extra_clients={"other-service": "other-secret"})
    api = Api(start_marketo(config=config))
    mine = api.identity().json()["access_token"]
    other = api.identity(client_id="other-service", client_secret="other-secret").json()["access_token"]
    assert mine != other
    assert api.identity().json()["access_token"] == mine


def test_bad_credentials_are_http_401_oauth_errors(sim: MarketoSimulator) -> None:
    api = Api(sim)
    wrong_secret = api.identity(client_secret="nope")
    unknown_client = api.identity(client_id="who")
    assert wrong_secret.status_code == unknown_client.status_code == 401
    assert wrong_secret.json() == {"error": "invalid_client", "error_description": "Bad client credentials"}
    assert unknown_client.json()["error"] == "unauthorized"
    assert sim.config.client_secret not in wrong_secret.text
    assert api.identity(grant_type="password").status_code == 400


def test_identity_accepts_a_post_form_body(sim: MarketoSimulator) -> None:
    form = {"grant_type": "client_credentials", "client_id": sim.config.client_id}
    form["client_secret"] = sim.config.client_secret
    response = requests.post(sim.base_url + "/identity/oauth/token", data=form, timeout=10)
    assert response.status_code == 200
    assert response.json()["token_type"] == "bearer"


def test_secrets_stay_out_of_reprs(sim: MarketoSimulator) -> None:
    secret = sim.config.client_secret
    assert sim.credentials.as_dict()["client_secret"] == secret
    assert secret not in repr(sim.credentials)
    assert secret not in repr(sim.config)
    token = Api(sim).login()
    assert token not in repr(sim.tokens.issue(sim.config.client_id)[0])


def test_missing_unknown_and_expired_tokens(start_marketo: StartMarketo) -> None:
    sim = start_marketo(config=MarketoSimConfig(token_lifetime_s=5))
    api = Api(sim)
    assert error_codes(api.get(DESCRIBE, headers={})) == ["600"]
    assert error_codes(api.get(DESCRIBE, headers={"Authorization": "Bearer 0000:sb"})) == ["601"]
    api.login()
    assert api.ok(api.get(DESCRIBE))
    sim.clock.advance(5)
    assert error_codes(api.get(DESCRIBE)) == ["602"]
    api.login()
    assert api.ok(api.get(DESCRIBE))


def test_expire_tokens_makes_live_tokens_answer_602(api: Api, sim: MarketoSimulator) -> None:
    assert sim.expire_tokens() == 1
    assert error_codes(api.get(DESCRIBE)) == ["602"]
    assert api.login() != ""
    assert api.ok(api.get(DESCRIBE))


def test_query_parameter_token_is_refused_unless_enabled(api: Api, sim: MarketoSimulator) -> None:
    only_query = api.get(DESCRIBE, params={"access_token": api.token}, headers={})
    both = api.get(DESCRIBE, params={"access_token": api.token})
    assert error_codes(only_query) == ["601"]
    assert error_codes(both) == ["601"]
    sim.config.accept_query_token = True
    assert api.ok(api.get(DESCRIBE, params={"access_token": api.token}, headers={}))


def test_identity_and_auth_failures_are_not_charged(api: Api, sim: MarketoSimulator) -> None:
    api.identity()
    api.get(DESCRIBE, headers={})
    assert sim.usage()["window"] == 0
    api.ok(api.get(DESCRIBE))
    assert sim.usage() == {"window": 1, "today": 1, "in_flight": 0}
    assert sim.calls.count("identity") == 2
    assert sim.calls.count("companies.describe") == 2
