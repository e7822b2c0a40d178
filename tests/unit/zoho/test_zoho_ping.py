"""`mlc ping`'s Zoho check over a fake Zoho: what it reports when all is well, and what to fix for each failure."""

from __future__ import annotations

from typing import Any

import pytest

from mlconnector.oauth_tokens import InMemoryTokenCache
from mlconnector.systems.plugin import PingResult
from mlconnector.systems.zoho.client import ZohoClient
from mlconnector.systems.zoho.ping import ping
from tests.conftest import FakeClock
from tests.unit.zoho.zoho_fakes import ORG, FakeZoho, envelope, make, reply

MODULES = {"modules": [{"api_name": m, "api_supported": True} for m in ("Accounts", "Contacts", "Vendors")]}
UNIQUE_ID = {"api_name": "Intacct_ID", "data_type": "text", "unique": {"casesensitive": "false"}}


class StubConnection:
    def __init__(self, client: ZohoClient, options: dict[str, Any], secret: dict[str, Any]) -> None:
        self._client = client
        self._options = options
        self._secret = secret

    def client(self, _spec: object) -> ZohoClient:
        return self._client

    def options(self, _spec: object) -> dict[str, Any]:
        return self._options

    def secret(self, _spec: object) -> dict[str, Any]:
        return self._secret


def healthy(clock: FakeClock) -> FakeZoho:
    fake = FakeZoho(clock)
    fake.handlers[("GET", "/org")] = lambda _call: ORG
    fake.handlers[("GET", "/settings/modules")] = lambda _call: MODULES
    fake.handlers[("GET", "/settings/fields")] = lambda _call: reply(
        {"fields": [UNIQUE_ID]}, headers={"X-API-CREDITS-REMAINING": "48000"}
    )
    return fake


def run(
    fake: FakeZoho, options: dict[str, Any] | None = None, secret: dict[str, Any] | None = None, **kw: Any
) -> PingResult:
    client, _ = make(fake, max_attempts=1, **kw)
    return ping(StubConnection(client, options or {}, secret or {}))  # type: ignore[arg-type]


def test_a_healthy_org_reports_what_it_checked(clock: FakeClock) -> None:
    result = run(healthy(clock))
    assert (result.system, result.ok, result.fix) == ("zoho", True, "")
    assert "access token minted (data centre EU, https://accounts.zoho.eu); API at https://www.zohoapis.eu" in (
        result.detail
    )
    assert "org Acme, professional edition (15 of 15 calls at once used)" in result.detail
    assert "Accounts matched on Intacct_ID; Vendors matched on Intacct_ID; Contacts matched on Intacct_ID" in (
        result.detail
    )
    assert "48000 API credits left" in result.detail


def test_ping_reuses_the_shared_token_instead_of_minting(clock: FakeClock) -> None:
    fake = healthy(clock)
    cache = InMemoryTokenCache()
    run(fake, cache=cache)
    result = run(fake, cache=cache)
    assert "access token reused from the shared cache" in result.detail
    assert len(fake.minted) == 1


def test_vendors_missing_is_a_note_not_a_failure(clock: FakeClock) -> None:
    fake = healthy(clock)
    fake.handlers[("GET", "/settings/modules")] = lambda _call: {"modules": MODULES["modules"][:2]}
    result = run(fake)
    assert result.ok
    assert "Vendors not listed for this org (its stream is skipped; the edition may lack it)" in result.detail


@pytest.mark.parametrize(
    ("change", "detail", "fix"),
    [
        ("grant", "refresh token is wrong, revoked", "check client_id, client_secret, refresh_token and data_centre"),
        ("org_scope", "OAUTH_SCOPE_MISMATCH", "generate a refresh token that includes ZohoCRM.org.READ"),
        ("modules_scope", "OAUTH_SCOPE_MISMATCH", "includes ZohoCRM.settings.modules.READ"),
        ("no_contacts", "Zoho module Contacts is not listed", "give the API user's profile access to Contacts"),
        ("not_unique", "Accounts.Intacct_ID allows duplicate values", 'create a Single Line field Intacct_ID with "Do'),
        ("no_field", "Zoho Accounts has no field Intacct_ID", "create a Single Line field Intacct_ID"),
        ("edition", "the org's edition is standard (10 calls at once), but the secret", 'set "edition": "standard"'),
        ("domain", "is not a Zoho API host", "check client_id, client_secret, refresh_token and data_centre"),
        ("mint_limit", "Zoho mints no more access tokens", "wait and ping again"),
    ],
)
def test_each_failure_says_what_to_fix(clock: FakeClock, change: str, detail: str, fix: str) -> None:
    fake = healthy(clock)
    if change == "grant":
        fake.grants = [reply({"error": "invalid_code"})]
    elif change == "org_scope":
        fake.handlers[("GET", "/org")] = lambda _call: envelope("OAUTH_SCOPE_MISMATCH", "Unauthorized", 401)
    elif change == "modules_scope":
        fake.handlers[("GET", "/settings/modules")] = lambda _call: envelope(
            "OAUTH_SCOPE_MISMATCH", "Unauthorized", 401
        )
    elif change == "no_contacts":
        fake.handlers[("GET", "/settings/modules")] = lambda _call: {"modules": MODULES["modules"][:1]}
    elif change == "not_unique":
        fake.handlers[("GET", "/settings/fields")] = lambda _call: {"fields": [{**UNIQUE_ID, "unique": {}}]}
    elif change == "no_field":
        fake.handlers[("GET", "/settings/fields")] = lambda _call: {"fields": []}
    elif change == "edition":
        fake.handlers[("GET", "/org")] = lambda _call: {"org": [{"license_details": {"paid_type": "standard"}}]}
    elif change == "domain":
        fake.api_domain = "https://zoho.evil.example"
    elif change == "mint_limit":
        fake.grants = [reply({"error": "Access Denied", "error_description": "too many requests continuously"})]
    result = run(fake)
    assert not result.ok
    assert detail in result.detail
    assert fix in result.fix


def test_it_checks_the_external_id_fields_the_flows_modules_option_names(clock: FakeClock) -> None:
    options = {"modules": {"Accounts": {"external_id": "Customer_ID", "status_field": "Intacct_Status"}}}
    result = run(healthy(clock), options)
    assert not result.ok
    assert "Zoho Accounts has no field Customer_ID" in result.detail
    assert "create a Single Line field Customer_ID" in result.fix
    wrong = run(healthy(clock), {"modules": {"Deals": {}}})
    assert (wrong.ok, wrong.fix) == (
        False,
        "check client_id, client_secret, refresh_token and data_centre in the connection's Zoho secret",
    )
    assert "unknown module(s) Deals" in wrong.detail


def test_a_missing_secret_says_to_fill_it() -> None:
    from mlconnector.systems.zoho.errors import ConfigurationError  # noqa: PLC0415

    class NoSecret:
        def client(self, _spec: object) -> ZohoClient:
            raise ConfigurationError("Zoho secret is missing or has empty keys: client_id")

    result = ping(NoSecret())  # type: ignore[arg-type]
    assert not result.ok
    assert "client_id" in result.detail
    assert "Zoho secret" in result.fix
