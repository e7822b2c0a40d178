"""Hosts and auth: Basic with any username, the key's data centre, OAuth tokens as Bearer or OAuth, the OAuth
metadata endpoint (HTTP 200 even for a bad token), problem documents with X-Request-Id."""

from __future__ import annotations

import base64

import pytest
import requests

from sandbox.mailchimp import MailchimpSimConfig, MailchimpSimulator
from tests.unit.sandbox_mailchimp.api import UUID, Api, ok, problem
from tests.unit.sandbox_mailchimp.conftest import StartMailchimp

KEY_INVALID = "Your API key may be invalid, or you've attempted to access the wrong datacenter."


def _basic(username: str, password: str) -> dict[str, str]:
    return {"Authorization": "Basic " + base64.b64encode(f"{username}:{password}".encode()).decode()}


def _get(sim: MailchimpSimulator, path: str, headers: dict[str, str]) -> requests.Response:
    return requests.get(sim.api_url + path, headers=headers, timeout=10)


def test_ping_and_root_with_the_key_any_username(sim: MailchimpSimulator) -> None:
    key = sim.config.api_key
    for username in ("user", "", "anystring"):
        assert ok(_get(sim, "/ping", _basic(username, key))) == {"health_status": "Everything's Chimpy!"}
    root = ok(_get(sim, "/", _basic("x", key)))
    assert root["account_id"] == sim.config.account_id
    assert root["account_name"] == sim.config.account_name
    assert root["email"] == sim.config.login_email


def test_missing_key_is_401_api_key_missing(sim: MailchimpSimulator) -> None:
    body = problem(_get(sim, "/ping", {}), 401, "API Key Missing")
    assert body["detail"] == "Your request did not include an API key."
    assert body["type"] == "https://mailchimp.com/developer/marketing/docs/errors/"
    problem(_get(sim, "/ping", _basic("user", "")), 401, "API Key Missing")


def test_unknown_key_and_wrong_datacenter_are_401_api_key_invalid(sim: MailchimpSimulator) -> None:
    secret = sim.config.api_key.rpartition("-")[0]
    unknown = problem(_get(sim, "/ping", _basic("u", "0" * 32 + "-us6")), 401, "API Key Invalid")
    assert unknown["detail"] == KEY_INVALID
    wrong_dc = problem(_get(sim, "/ping", _basic("u", f"{secret}-us19")), 401, "API Key Invalid")
    assert "wrong datacenter" in wrong_dc["detail"]
    no_dc = problem(_get(sim, "/ping", _basic("u", secret)), 401, "API Key Invalid")
    assert no_dc["detail"] == KEY_INVALID


def test_wrong_datacenter_can_be_403(start_mailchimp: StartMailchimp) -> None:
    sim = start_mailchimp(config=MailchimpSimConfig(wrong_dc_status=403))
    secret = sim.config.api_key.rpartition("-")[0]
    body = problem(_get(sim, "/ping", _basic("u", f"{secret}-us2")), 403, "Wrong Datacenter")
    assert body["detail"] == "The API key provided is linked to a different data center."


def test_a_host_of_another_datacenter_refuses_the_key(sim: MailchimpSimulator) -> None:
    headers = {**_basic("u", sim.config.api_key), "Host": "us19.api.mailchimp.com"}
    problem(_get(sim, "/ping", headers), 401, "API Key Invalid")
    same = {**_basic("u", sim.config.api_key), "Host": "us6.api.mailchimp.com"}
    ok(_get(sim, "/ping", same))


def test_a_disabled_key(sim: MailchimpSimulator) -> None:
    sim.config.key_disabled = True
    body = problem(_get(sim, "/ping", _basic("u", sim.config.api_key)), 401, "API Key Invalid")
    assert body["detail"] == "API key has been disabled"


@pytest.mark.parametrize("scheme", ["Bearer", "OAuth"])
def test_oauth_tokens_as_bearer_or_oauth(sim: MailchimpSimulator, scheme: str) -> None:
    token = sim.config.oauth_tokens[0]
    ok(_get(sim, "/ping", {"Authorization": f"{scheme} {token}"}))
    problem(_get(sim, "/ping", {"Authorization": f"{scheme} not-a-token"}), 401, "API Key Invalid")


def test_an_api_key_as_bearer_is_a_knob(sim: MailchimpSimulator) -> None:
    bearer = {"Authorization": f"Bearer {sim.config.api_key}"}
    ok(_get(sim, "/ping", bearer))
    sim.config.accept_api_key_as_bearer = False
    problem(_get(sim, "/ping", bearer), 401, "API Key Invalid")


def test_oauth_metadata_names_dc_and_api_endpoint(sim: MailchimpSimulator) -> None:
    token = sim.config.oauth_tokens[0]
    response = requests.get(sim.base_url + "/oauth2/metadata", headers={"Authorization": f"OAuth {token}"}, timeout=10)
    meta = ok(response)
    assert meta["dc"] == "us6"
    assert meta["api_endpoint"] == sim.base_url
    assert not meta["api_endpoint"].endswith("/3.0")
    assert meta["accountname"] == sim.config.account_name
    assert meta["login"]["login_email"] == sim.config.login_email
    assert sim.calls.count("oauth.metadata") == 1


@pytest.mark.parametrize("headers", [{}, {"Authorization": "OAuth nope"}, {"Authorization": "Basic eDp5"}])
def test_oauth_metadata_answers_200_invalid_token(sim: MailchimpSimulator, headers: dict[str, str]) -> None:
    response = requests.get(sim.base_url + "/oauth2/metadata", headers=headers, timeout=10)
    assert response.status_code == 200
    assert response.json() == {"error": "invalid_token"}


def test_problem_type_can_be_omitted(api: Api, sim: MailchimpSimulator) -> None:
    sim.config.problem_type = False
    body = problem(api.get("/lists/nope"), 404, "Resource Not Found")
    assert "type" not in body
    assert body["detail"] == "The requested resource could not be found."


def test_every_answer_has_a_request_id(api: Api, sim: MailchimpSimulator) -> None:
    for response in (api.get("/ping"), api.get("/nosuch"), api.post("/ping")):
        assert UUID.fullmatch(response.headers["X-Request-Id"])
    assert problem(api.get("/nosuch/path"), 404, "Resource Not Found")
    not_api = requests.get(sim.base_url + "/elsewhere", timeout=10)
    assert not_api.status_code == 404
    assert UUID.fullmatch(not_api.headers["X-Request-Id"])


def test_wrong_method_is_405_with_allow(api: Api) -> None:
    body = problem(api.post("/ping"), 405, "Method Not Allowed")
    assert "Allow header" in body["detail"]
    assert api.post("/ping").headers["Allow"] == "GET"


def test_bad_json_is_a_json_parse_error(api: Api, sim: MailchimpSimulator) -> None:
    response = requests.put(
        sim.api_url + api.member_path("a@b.example.com"),
        data=b"{not json",
        auth=("u", sim.config.api_key),
        timeout=10,
    )
    body = problem(response, 400, "JSON Parse Error")
    assert body["detail"] == "We encountered an unspecified JSON parsing error."


def test_method_override_only_on_post(api: Api, sim: MailchimpSimulator) -> None:
    auth = ("u", sim.config.api_key)
    path = sim.api_url + api.member_path(f"{'0' * 32}")
    tunnelled = requests.post(path, headers={"X-HTTP-Method-Override": "GET"}, auth=auth, timeout=10)
    problem(tunnelled, 404, "Resource Not Found")  # ran as a GET of a missing member
    refused = requests.get(path, headers={"X-HTTP-Method-Override": "DELETE"}, auth=auth, timeout=10)
    problem(refused, 422, "Invalid Method Override")
