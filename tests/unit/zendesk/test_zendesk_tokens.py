"""The rotating OAuth pair: the golden grant, the new pair stored before use and reused by every container, exactly
one refresh grant per expiry when several containers (threads, one client each, one shared store) need it at once,
the loser waiting for the winner's pair, the DynamoDB store's conditional claim, API tokens as Basic."""

from __future__ import annotations

import base64
import time

import pytest

from mlconnector.rotating_tokens import InMemoryTokenPairs, TokenPair
from mlconnector.state import ConnectionState
from mlconnector.state.token_pairs import TokenPairStore
from mlconnector.systems.zendesk.client import ZendeskClient
from mlconnector.systems.zendesk.errors import AuthenticationError, GrantUnanswered, TokenRefreshBusy
from tests.conftest import FakeClock
from tests.unit.zendesk.zendesk_fakes import (
    API_TOKEN,
    CLIENT_ID,
    CLIENT_SECRET,
    EMAIL,
    ME,
    ORIGIN,
    REFRESH_TOKEN,
    FakeZendesk,
    api_token_credentials,
    credentials,
    error,
    make,
    race,
)

HOUR = 3600.0


@pytest.fixture
def fake(clock: FakeClock) -> FakeZendesk:
    fake = FakeZendesk(clock)
    fake.handlers[("GET", "/users/me")] = lambda _call: ME
    return fake


def test_the_grant_is_a_json_post_to_the_subdomains_oauth_tokens_and_calls_carry_bearer(fake: FakeZendesk) -> None:
    client, _ = make(fake)
    assert client.me()["role"] == "admin"
    [grant] = fake.grant_calls()
    assert grant.request.method == "POST"
    assert grant.request.url == f"{ORIGIN}/oauth/tokens"
    assert grant.request.params == ()  # nothing secret in the URL
    assert grant.request.headers["Content-Type"] == "application/json"
    assert grant.json == {
        "grant_type": "refresh_token",
        "refresh_token": REFRESH_TOKEN,
        "client_id": CLIENT_ID,
        "client_secret": CLIENT_SECRET,
    }
    [api] = fake.api_calls()
    assert api.request.url == f"{ORIGIN}/api/v2/users/me"
    assert api.authorization == "Bearer zd-access-0001"
    assert client.calls == 2


def test_each_refresh_sends_the_rotated_refresh_token_never_the_secrets_dead_one(fake: FakeZendesk) -> None:
    pairs = InMemoryTokenPairs(fake.clock)
    client, _ = make(fake, pairs)
    client.me()
    fake.advance(2 * HOUR)  # the access token expired
    client.me()
    fake.advance(2 * HOUR)
    client.me()
    assert fake.grants == [REFRESH_TOKEN, "zd-refresh-0001", "zd-refresh-0002"]
    assert fake.refused_grants == 0
    stored = pairs.get(credentials().pair_key())
    assert stored is not None
    assert (stored.version, stored.refresh_token, stored.access_token) == (3, "zd-refresh-0003", "zd-access-0003")


def test_a_new_container_uses_the_stored_pair_and_after_expiry_refreshes_the_stored_refresh_token(
    fake: FakeZendesk,
) -> None:
    """The secret's refresh token is dead after the first refresh: a second container must never send it."""
    pairs = InMemoryTokenPairs(fake.clock)
    first, _ = make(fake, pairs)
    first.me()
    second, _ = make(fake, pairs)
    second.me()
    assert len(fake.grants) == 1  # reused
    fake.advance(2 * HOUR)
    second.me()
    first.me()
    assert fake.grants == [REFRESH_TOKEN, "zd-refresh-0001"]
    assert fake.refused_grants == 0


def test_a_refused_access_token_gets_the_next_pair_once_then_fails_fast(fake: FakeZendesk) -> None:
    client, _ = make(fake)
    client.me()
    fake.live_access.clear()  # revoked at Zendesk
    client.me()
    assert len(fake.grants) == 2
    fake.faults = [error(401, "invalid_token"), error(401, "invalid_token")]  # the new token refused too
    with pytest.raises(AuthenticationError, match="newly refreshed access token"):
        client.me()
    assert len(fake.grants) == 3  # one refresh for the refusal, none for the second


def test_a_dead_refresh_token_is_an_authentication_error_saying_to_authorise_again(fake: FakeZendesk) -> None:
    fake.live_refresh = "someone-else-rotated-it"
    client, _ = make(fake)
    with pytest.raises(AuthenticationError, match="authorise the OAuth client again") as caught:
        client.me()
    assert caught.value.error == "invalid_grant"
    assert len(fake.grant_calls()) == 1  # a refused grant is not repeated
    assert REFRESH_TOKEN not in str(caught.value)


def test_a_grant_whose_connection_broke_after_sending_is_not_repeated(fake: FakeZendesk) -> None:
    """A repeat would send a refresh token the first grant may already have killed."""
    import requests  # noqa: PLC0415

    fake.grant_faults.append(requests.ReadTimeout("read timed out"))
    client, _ = make(fake)
    with pytest.raises(GrantUnanswered, match="authorise the OAuth client again"):
        client.me()
    assert len(fake.grant_calls()) == 1


def test_concurrent_refreshes_across_containers_send_exactly_one_grant_per_expiry() -> None:
    """Eight containers (threads, a client each, one shared store) need a token at once, twice (a second expiry): one
    grant each time, nobody sends a dead refresh token, and every container ends with the live access token."""
    fake = FakeZendesk(time.time, grant_delay=0.2)
    fake.handlers[("GET", "/users/me")] = lambda _call: ME
    pairs = InMemoryTokenPairs(time.time)
    clients = [ZendeskClient(credentials(), pairs, transport=fake) for _ in range(8)]
    for expiry in (1, 2):
        assert race(clients) == []
        assert len(fake.grants) == expiry
        assert fake.refused_grants == 0
        assert {_access(c) for c in clients} == fake.live_access
        _expire(pairs, clients)
    assert sum(c.refreshes for c in clients) == 2


def _access(client: ZendeskClient) -> str | None:
    pair = client.token()
    return pair.access_token if pair is not None else None


def _expire(pairs: InMemoryTokenPairs, clients: list[ZendeskClient]) -> None:
    """Every container's pair and the stored one past their access token's life."""
    key = credentials().pair_key()
    stored = pairs.get(key)
    assert stored is not None
    pairs._pairs[key] = TokenPair(stored.access_token, stored.refresh_token, 0.0, 1.0, stored.version)
    for client in clients:
        client._tokens._local = None


def test_a_container_that_waits_in_vain_reports_a_busy_refresh_instead_of_refreshing(fake: FakeZendesk) -> None:
    pairs = InMemoryTokenPairs(fake.clock)
    key = credentials().pair_key()
    assert pairs.claim(key, version=0, owner="another container", seconds=60)
    client, sleep = make(fake, pairs, refresh_wait_seconds=2.0)
    with pytest.raises(TokenRefreshBusy):
        client.me()
    assert fake.grants == []
    assert sum(sleep.waits) >= 2.0


def test_the_dynamodb_store_claims_by_conditional_write_and_stores_the_next_version(
    state: ConnectionState, clock: FakeClock
) -> None:
    store = TokenPairStore(state.connection, "zendesk", clock)
    assert store.get("k") is None
    assert store.claim("k", version=0, owner="a", seconds=30)
    assert not store.claim("k", version=0, owner="b", seconds=30)  # a holds it
    pair = TokenPair("acc-1", "ref-1", clock(), clock() + 600, 1)
    assert store.store("k", pair, owner="a")
    assert not store.store("k", pair, owner="b")  # version 1 is taken
    assert store.get("k") == pair
    assert not store.claim("k", version=0, owner="b", seconds=30)  # the pair moved on
    assert store.claim("k", version=1, owner="b", seconds=30)
    store.release("k", owner="b")
    assert store.claim("k", version=1, owner="c", seconds=30)
    clock.advance(31)  # c died mid-refresh: its claim expires by itself
    assert store.claim("k", version=1, owner="d", seconds=30)


def test_two_clients_over_the_dynamodb_store_share_one_rotation(state: ConnectionState, fake: FakeZendesk) -> None:
    first, _ = make(fake, TokenPairStore(state.connection, "zendesk", fake.clock))
    second, _ = make(fake, TokenPairStore(state.connection, "zendesk", fake.clock))
    first.me()
    second.me()
    fake.advance(2 * HOUR)
    second.me()
    first.me()
    assert fake.grants == [REFRESH_TOKEN, "zd-refresh-0001"]


def test_an_api_token_is_basic_email_slash_token(fake: FakeZendesk) -> None:
    client, _ = make(fake, creds=api_token_credentials())
    client.me()
    [api] = fake.api_calls()
    expected = base64.b64encode(f"{EMAIL}/token:{API_TOKEN}".encode()).decode()
    assert api.authorization == f"Basic {expected}"
    assert fake.grant_calls() == []
    assert client.token() is None
