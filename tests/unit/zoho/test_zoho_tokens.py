"""Tokens: the golden grant request and header, one mint shared by every container and run (through the DynamoDB token
store), refresh before expiry, INVALID_TOKEN refreshed once, grant failures inside HTTP 200, the mint limit, the
api_domain kept, checked and refused before any token goes there, and secrets kept out of errors."""

from __future__ import annotations

from urllib.parse import parse_qsl

import pytest
import requests

from mlconnector.oauth_tokens import AccessToken, InMemoryTokenCache
from mlconnector.state import ConnectionState
from mlconnector.state.read_only import ReadOnlyCache
from mlconnector.state.token_cache import StoredTokenCache
from mlconnector.systems.zoho.auth import MintGuard
from mlconnector.systems.zoho.errors import (
    AccountsUnavailable,
    AuthenticationError,
    ConfigurationError,
    QuotaExceeded,
    TokenMintLimited,
    ZohoError,
)
from mlconnector.systems.zoho.token_cache import token_cache_key
from tests.conftest import FakeClock
from tests.unit.zoho.zoho_fakes import (
    API_DOMAIN,
    CLIENT_ID,
    CLIENT_SECRET,
    ORG,
    REFRESH_TOKEN,
    FakeZoho,
    credentials,
    envelope,
    make,
    reply,
)

HOUR = 3600.0


@pytest.fixture
def fake(clock: FakeClock) -> FakeZoho:
    fake = FakeZoho(clock)
    fake.handlers[("GET", "/org")] = lambda _call: ORG
    return fake


def test_the_grant_is_a_form_post_to_the_data_centres_accounts_server_and_calls_carry_zoho_oauthtoken(
    fake: FakeZoho,
) -> None:
    client, _ = make(fake)
    assert client.org()["company_name"] == "Acme"
    [grant] = fake.grant_calls()
    assert grant.request.method == "POST"
    assert grant.request.url == "https://accounts.zoho.eu/oauth/v2/token"
    assert grant.request.params == ()  # nothing secret in the URL
    assert grant.request.headers["Content-Type"] == "application/x-www-form-urlencoded"
    assert dict(parse_qsl(grant.request.body.decode() if grant.request.body else "")) == {
        "grant_type": "refresh_token",
        "client_id": CLIENT_ID,
        "client_secret": CLIENT_SECRET,
        "refresh_token": REFRESH_TOKEN,
    }
    [api] = fake.api_calls()
    assert api.request.url == f"{API_DOMAIN}/crm/v8/org"
    assert api.authorization == f"Zoho-oauthtoken {fake.minted[0]}"
    assert client.calls == 2


def test_one_mint_serves_every_container_and_run_through_the_token_store(
    fake: FakeZoho, state: ConnectionState
) -> None:
    """Two containers (two clients over one DynamoDB token store), then a later run: one token minted in all."""
    first, _ = make(fake, StoredTokenCache(state.tokens, "zoho", AccessToken))
    second, _ = make(fake, StoredTokenCache(state.tokens, "zoho", AccessToken))
    first.org()
    second.org()
    fake.clock.advance(HOUR / 2)
    later_run, _ = make(fake, StoredTokenCache(state.tokens, "zoho", AccessToken))
    later_run.org()
    later_run.org()
    assert len(fake.minted) == 1
    assert {c.authorization for c in fake.api_calls()} == {f"Zoho-oauthtoken {fake.minted[0]}"}
    stored = state.tokens.get("zoho", token_cache_key(credentials()))
    assert stored is not None
    assert stored.endpoint == API_DOMAIN  # the api_domain travels with the token
    assert stored.expires_at == pytest.approx(fake.clock() - HOUR / 2 + HOUR)


def test_the_counter_test_fails_without_a_shared_store(fake: FakeZoho) -> None:
    """What the test above guards against: containers without a shared store mint one token each."""
    for _ in range(3):
        make(fake, InMemoryTokenCache())[0].org()
    assert len(fake.minted) == 3


def test_a_dry_run_reuses_the_shared_token_but_stores_nothing(fake: FakeZoho) -> None:
    shared = InMemoryTokenCache()
    dry, _ = make(fake, ReadOnlyCache(shared))
    dry.org()
    assert shared.get(token_cache_key(credentials())) is None
    real, _ = make(fake, shared)
    real.org()
    again, _ = make(fake, ReadOnlyCache(shared))
    again.org()
    assert len(fake.minted) == 2


def test_a_token_is_replaced_shortly_before_it_expires(fake: FakeZoho) -> None:
    client, _ = make(fake)
    client.org()
    fake.clock.advance(HOUR - 301)
    client.org()
    assert len(fake.minted) == 1
    fake.clock.advance(2)  # 299 s left: inside the 5-minute margin
    client.org()
    assert len(fake.minted) == 2
    assert fake.api_calls()[-1].authorization == f"Zoho-oauthtoken {fake.minted[1]}"


def test_expires_in_sec_wins_over_milliseconds_and_no_lifetime_exceeds_an_hour(fake: FakeZoho) -> None:
    fake.token_body = {"expires_in": 3_600_000, "expires_in_sec": 3600}
    cache = InMemoryTokenCache()
    client, _ = make(fake, cache)
    client.org()
    token = cache.get(token_cache_key(credentials()))
    assert token is not None
    assert token.expires_at == fake.clock() + HOUR
    fake.token_body = {"expires_in": 3_600_000}  # milliseconds without the hint: still one hour at most
    assert client.token(renew=True).expires_at == fake.clock() + HOUR


def test_invalid_token_mints_a_new_token_once_and_replays(fake: FakeZoho) -> None:
    cache = InMemoryTokenCache()
    client, _ = make(fake, cache)
    client.org()
    fake.revoke_all()  # revoked (or expired early) on Zoho's side
    assert client.org()["id"] == "4150868000000225013"
    assert len(fake.minted) == 2
    assert [c.authorization for c in fake.api_calls()] == [f"Zoho-oauthtoken {t}" for t in fake.minted[:1] * 2] + [
        f"Zoho-oauthtoken {fake.minted[1]}"
    ]
    stored = cache.get(token_cache_key(credentials()))
    assert stored is not None
    assert stored.token == fake.minted[1]


def test_a_refused_token_is_not_dropped_from_the_cache_when_another_container_replaced_it(fake: FakeZoho) -> None:
    cache = InMemoryTokenCache()
    first, _ = make(fake, cache)
    second, _ = make(fake, cache)
    first.org()
    second.org()
    fake.revoke_all()
    first.org()  # mints tok0002 and stores it
    second.org()  # refused tok0001; finds tok0002 in the cache instead of minting
    assert len(fake.minted) == 2


def test_a_new_token_refused_again_is_a_clear_authentication_error(fake: FakeZoho) -> None:
    client, _ = make(fake)
    client.org()
    fake.faults = [envelope("INVALID_TOKEN", "invalid oauth token", 401)] * 2
    with pytest.raises(AuthenticationError, match="refused a newly minted access token; check data_centre") as caught:
        client.org()
    assert caught.value.code == "INVALID_TOKEN"
    assert len(fake.minted) == 2  # one refresh, no loop


@pytest.mark.parametrize(
    ("body", "fix"),
    [
        ({"error": "invalid_code"}, "refresh token is wrong, revoked, or was a one-time grant code"),
        ({"error": "invalid_client"}, "client_id or client_secret is wrong, or the client belongs to another data"),
        ({"error": "unauthorized_client", "error_description": "nope"}, "check client_id, client_secret and refresh"),
    ],
)
def test_grant_failures_inside_http_200_fail_fast(fake: FakeZoho, body: dict[str, str], fix: str) -> None:
    fake.grants = [reply(body)]
    client, _ = make(fake)
    with pytest.raises(AuthenticationError, match=fix) as caught:
        client.org()
    assert caught.value.code == body["error"]
    assert len(fake.grant_calls()) == 1  # never retried
    assert fake.api_calls() == []


def test_a_200_grant_reply_without_a_token_is_retried_at_most_once(fake: FakeZoho) -> None:
    fake.grants = [reply({"status": "ok"}), reply({"status": "ok"}), reply({"status": "ok"})]
    client, _ = make(fake)
    with pytest.raises(AccountsUnavailable, match="no access_token"):
        client.org()
    assert len(fake.grant_calls()) == 2
    assert fake.api_calls() == []


@pytest.mark.parametrize("status", [200, 400])
def test_the_mint_limit_says_to_wait_and_is_not_retried(fake: FakeZoho, status: int) -> None:
    denied = {
        "error": "Access Denied",
        "error_description": "You have made too many requests continuously. Please try again after some time.",
        "status": "failure",
    }
    fake.grants = [reply(denied, status)]
    client, sleep = make(fake)
    with pytest.raises(TokenMintLimited, match="wait about 10 minutes, the next run resumes") as caught:
        client.org()
    assert isinstance(caught.value, QuotaExceeded)  # the flow stops the run cleanly
    assert caught.value.retry_after == 600
    assert len(fake.grant_calls()) == 1
    assert sleep.waits == []


def test_the_client_stops_minting_when_zoho_keeps_refusing_its_tokens(fake: FakeZoho) -> None:
    fake.handlers[("GET", "/org")] = lambda _call: envelope("INVALID_TOKEN", "invalid oauth token", 401)
    client, _ = make(fake, mint_guard=MintGuard(limit=3, clock=fake.clock))
    for _ in range(2):
        with pytest.raises(AuthenticationError):
            client.org()
    with pytest.raises(TokenMintLimited, match="already minted 3 access tokens"):
        client.org()
    assert len(fake.minted) == 3
    fake.clock.advance(601)
    fake.handlers[("GET", "/org")] = lambda _call: ORG
    client.org()
    assert len(fake.minted) == 4


def test_transient_grant_failures_are_retried(fake: FakeZoho) -> None:
    fake.grants = [reply(b"<html>502</html>", 502), requests.ConnectionError("reset")]
    client, _ = make(fake)
    client.org()
    assert len(fake.grant_calls()) == 3
    assert len(fake.minted) == 1


def test_grant_errors_never_carry_the_secrets(fake: FakeZoho) -> None:
    echo = {"error": "invalid_client", "error_description": f"bad {CLIENT_SECRET} for {REFRESH_TOKEN}"}
    fake.grants = [reply(echo), reply(echo, 401)]
    client, _ = make(fake)
    for _ in range(2):
        with pytest.raises(ZohoError) as caught:
            client.org()
        text = f"{caught.value} {caught.value.detail} {caught.value!r}"
        assert CLIENT_SECRET not in text
        assert REFRESH_TOKEN not in text
        assert "REDACTED" in text
    assert CLIENT_SECRET not in repr(credentials())
    assert REFRESH_TOKEN not in repr(credentials())


def test_an_api_error_echoing_the_access_token_is_scrubbed(fake: FakeZoho) -> None:
    client, _ = make(fake)
    client.org()
    token = fake.minted[0]
    fake.faults = [envelope("INVALID_DATA", f"bad header Zoho-oauthtoken {token}", 400)]
    with pytest.raises(ZohoError) as caught:
        client.org()
    assert token not in str(caught.value)


def test_an_api_domain_outside_zoho_is_refused_before_any_token_is_sent(fake: FakeZoho) -> None:
    fake.api_domain = "https://www.zohoapis.eu.evil.example"
    cache = InMemoryTokenCache()
    client, _ = make(fake, cache)
    with pytest.raises(ConfigurationError, match=r"'https://www\.zohoapis\.eu\.evil\.example' is not a Zoho API host"):
        client.org()
    assert fake.api_calls() == []  # the minted token went nowhere
    assert cache.get(token_cache_key(credentials())) is None
    assert len(fake.grant_calls()) == 1  # not retried


@pytest.mark.parametrize(
    "domain",
    ["http://www.zohoapis.eu", "https://www.zohoapis.eu:8443", "https://www.zohoapis.eu/crm", "https://zohoapis.eu"],
)
def test_near_misses_of_zoho_api_hosts_are_refused(fake: FakeZoho, domain: str) -> None:
    fake.api_domain = domain
    with pytest.raises(ConfigurationError):
        make(fake)[0].org()
    assert fake.api_calls() == []


def test_a_cached_token_whose_api_domain_is_not_zohos_is_never_used(fake: FakeZoho) -> None:
    cache = InMemoryTokenCache()
    cache.put(
        token_cache_key(credentials()), AccessToken("1000.tampered", fake.clock(), fake.clock() + HOUR, "https://x.io")
    )
    with pytest.raises(ConfigurationError, match=r"'https://x\.io' is not a Zoho API host"):
        make(fake, cache)[0].org()
    assert fake.calls == []


def test_a_grant_without_api_domain_keeps_the_last_one_else_the_data_centres(fake: FakeZoho) -> None:
    fake.api_domain = "https://sandbox.zohoapis.eu"
    client, _ = make(fake)
    client.org()
    fake.api_domain = None
    client.token(renew=True)
    client.org()
    assert [c.host for c in fake.api_calls()] == ["sandbox.zohoapis.eu"] * 2
    other, _ = make(fake)
    fake.handlers[("GET", "/org")] = lambda _call: ORG
    other.org()
    assert fake.api_calls()[-1].host == "www.zohoapis.eu"


def test_a_sandbox_api_domain_needs_the_deployments_allow_list(fake: FakeZoho) -> None:
    fake.api_domain = "http://127.0.0.1:8123"
    with pytest.raises(ConfigurationError, match=r"127\.0\.0\.1"):
        make(fake)[0].org()
    allowed = credentials(allowed_sandbox_hosts=("127.0.0.1",))
    client, _ = make(fake, creds=allowed)
    client.org()
    assert fake.api_calls()[-1].request.url == "http://127.0.0.1:8123/crm/v8/org"


def test_the_cache_key_names_the_refresh_token_without_holding_it() -> None:
    key = token_cache_key(credentials())
    assert key.startswith("zoho-token:")
    assert REFRESH_TOKEN not in key
    assert CLIENT_SECRET not in key
    assert token_cache_key(credentials(refresh_token="1000.other.token")) != key
    assert token_cache_key(credentials(data_centre="US")) != key


def test_a_grant_that_keeps_failing_stops_the_call_and_names_no_secret(fake: FakeZoho) -> None:
    fake.grants = [requests.ConnectionError(f"https://accounts.zoho.eu/oauth/v2/token?client_secret={CLIENT_SECRET}")]
    client, _ = make(fake, max_attempts=1)
    with pytest.raises(AccountsUnavailable, match=r"accounts.zoho.eu is unavailable \(.*ConnectionError") as caught:
        client.org()
    assert len(fake.grant_calls()) == 1  # the API call does not retry the grant's retries
    assert CLIENT_SECRET not in str(caught.value)
