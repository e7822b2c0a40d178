"""The API host's auth: ``Zoho-oauthtoken`` only, tokens expiring after an hour of simulator time, scopes per
operation, and routing errors, all in Zoho's envelope."""

from __future__ import annotations

import pytest
import requests

from sandbox.zoho import ZohoSimConfig, ZohoSimulator
from tests.unit.sandbox_zoho.api import Api, error, ok
from tests.unit.sandbox_zoho.conftest import StartZoho


def test_a_missing_or_malformed_header_is_authentication_failure(api: Api) -> None:
    for headers in ({}, {"Authorization": "Zoho-oauthtoken"}, {"Authorization": f"Token {api.token}"}):
        body = error(api.get("/org", headers=headers), 401, "AUTHENTICATION_FAILURE")
        assert body["message"] == "Authentication failed"


def test_bearer_is_refused_unless_configured(api: Api, start_zoho: StartZoho) -> None:
    error(api.get("/org", headers={"Authorization": f"Bearer {api.token}"}), 401, "AUTHENTICATION_FAILURE")
    lenient = start_zoho(config=ZohoSimConfig(accept_bearer=True))
    caller = Api(lenient)
    caller.login()
    ok(caller.get("/org", headers={"Authorization": f"Bearer {caller.token}"}))


def test_an_unknown_token_is_invalid_token(api: Api) -> None:
    body = error(api.get("/org", headers={"Authorization": "Zoho-oauthtoken 1000.abc.def"}), 401, "INVALID_TOKEN")
    assert body == {"code": "INVALID_TOKEN", "details": {}, "message": "invalid oauth token", "status": "error"}


def test_a_token_expires_after_one_hour_of_simulator_time(api: Api, sim: ZohoSimulator) -> None:
    sim.clock.advance(3599)
    ok(api.get("/org"))
    sim.clock.advance(1)
    error(api.get("/org"), 401, "INVALID_TOKEN")
    api.login()
    ok(api.get("/org"))


def test_expiring_tokens_by_accessor_and_admin_endpoint(api: Api, sim: ZohoSimulator) -> None:
    assert sim.expire_tokens() == 1
    error(api.get("/org"), 401, "INVALID_TOKEN")
    api.login()
    assert requests.post(sim.base_url + "/_sandbox/tokens/expire", timeout=5).json() == {"expired": 1}
    error(api.get("/org"), 401, "INVALID_TOKEN")


def test_a_grant_without_write_scope_reads_but_cannot_upsert(sim: ZohoSimulator) -> None:
    api = Api(sim)
    api.login(refresh_token=sim.add_refresh_token(("ZohoCRM.modules.accounts.READ",)))
    empty_list = api.get("/Accounts", {"fields": "Account_Name"})
    assert empty_list.status_code == 204
    body = error(api.upsert("Accounts", [{"Account_Name": "Acme"}]), 401, "OAUTH_SCOPE_MISMATCH")
    assert body["message"] == "Unauthorized"
    error(api.get("/Contacts", {"fields": "Last_Name"}), 401, "OAUTH_SCOPE_MISMATCH")
    error(api.get("/settings/modules"), 401, "OAUTH_SCOPE_MISMATCH")
    assert sim.counts()["Accounts"] == 0


@pytest.mark.parametrize(
    ("scopes", "allowed"),
    [
        (("ZohoCRM.modules.ALL",), False),  # search also needs ZohoSearch.securesearch.READ
        (("ZohoCRM.modules.READ", "ZohoSearch.securesearch.READ"), True),
        (("zohocrm.modules.accounts.all", "zohosearch.securesearch.read"), True),  # case-insensitive
    ],
)
def test_search_needs_the_secure_search_scope(sim: ZohoSimulator, scopes: tuple[str, ...], allowed: bool) -> None:
    api = Api(sim)
    api.login(refresh_token=sim.add_refresh_token(scopes))
    response = api.get("/Accounts/search", {"criteria": "(Account_Name:equals:x)"})
    if allowed:
        assert response.status_code == 204
    else:
        error(response, 401, "OAUTH_SCOPE_MISMATCH")


def test_settings_scopes(sim: ZohoSimulator) -> None:
    api = Api(sim)
    api.login(refresh_token=sim.add_refresh_token(("ZohoCRM.settings.fields.READ",)))
    ok(api.get("/settings/fields", {"module": "Accounts"}))
    error(api.get("/settings/modules"), 401, "OAUTH_SCOPE_MISMATCH")


def test_unknown_paths_and_methods(api: Api) -> None:
    body = error(api.get("/Accounts/1/nothing/here"), 404, "INVALID_URL_PATTERN")
    assert body["message"] == "Please check if the URL trying to access is a correct one"
    error(api.call("GET", "/../v2/Accounts"), 404, "INVALID_URL_PATTERN")
    error(api.call("DELETE", "/Accounts/upsert"), 400, "INVALID_REQUEST_METHOD")
    error(api.call("PUT", "/settings/fields"), 400, "INVALID_REQUEST_METHOD")


def test_module_names_are_checked_after_the_token(api: Api) -> None:
    body = error(api.get("/Widgets", {"fields": "Name"}), 400, "INVALID_MODULE")
    assert body["details"] == {"resource_path_index": 0}
    assert body["message"] == "the module name given seems to be invalid"
    error(api.get("/Widgets", {"fields": "Name"}, headers={}), 401, "AUTHENTICATION_FAILURE")
