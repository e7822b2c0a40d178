"""Tokens: reuse, the expiry margin, Marketo's same-token reuse near expiry, 601/602 refresh-once, identity
failures, the cache key and how the identity call carries the credentials."""

from __future__ import annotations

from urllib.parse import parse_qsl

import pytest
import requests

from mlconnector.http import HttpPolicy, RetryPolicy
from mlconnector.systems.marketo.auth import IdentityStyle, TokenPolicy, Tokens, token_from_reply
from mlconnector.systems.marketo.client import MarketoClient
from mlconnector.systems.marketo.errors import AuthenticationError, IdentityUnavailable, ParseError
from mlconnector.systems.marketo.token_cache import AccessToken, InMemoryTokenCache, token_cache_key
from tests.conftest import FakeClock
from tests.unit.marketo.marketo_fakes import (
    CLIENT_SECRET,
    FakeMarketo,
    SleepRecorder,
    credentials,
    describe_handlers,
    reply,
)

HOUR = 3600.0


def make(
    fake: FakeMarketo,
    cache: InMemoryTokenCache | None = None,
    *,
    policy: TokenPolicy | None = None,
    identity_style: IdentityStyle = "query",
    max_attempts: int = 4,
    **creds: str,
) -> tuple[MarketoClient, InMemoryTokenCache, SleepRecorder]:
    fake.handlers.update(describe_handlers())
    cache = cache if cache is not None else InMemoryTokenCache()
    sleep = SleepRecorder(fake.clock)
    client = MarketoClient(
        credentials(**creds),
        cache,
        transport=fake,
        clock=fake.clock,
        sleep=sleep,
        jitter=lambda: 1.0,
        token_policy=policy,
        identity_style=identity_style,
        http=HttpPolicy(retry=RetryPolicy(base=1.0, cap=8.0, max_attempts=max_attempts)),
    )
    return client, cache, sleep


def bearer(fake: FakeMarketo) -> list[str | None]:
    return [c.authorization for c in fake.rest_calls()]


def test_token_is_reused_and_shared_through_the_cache(clock: FakeClock) -> None:
    fake = FakeMarketo(clock)
    client, cache, _ = make(fake)
    client.describe_companies()
    client.describe_leads()
    assert fake.identity_calls == 1
    assert bearer(fake) == ["Bearer tok-0001:ab"] * 2
    stored = cache.get(token_cache_key(credentials()))
    assert stored is not None
    assert stored.token == "tok-0001:ab"
    assert stored.expires_at == clock() + HOUR
    other_container, _, _ = make(fake, cache)
    other_container.describe_companies()
    assert fake.identity_calls == 1


def test_refreshed_inside_the_margin_only(clock: FakeClock) -> None:
    fake = FakeMarketo(clock)
    client, _, sleep = make(fake)
    client.describe_companies()
    clock.advance(HOUR - 61)
    client.describe_companies()
    assert fake.identity_calls == 1
    clock.advance(2)  # 59 s left: inside the default 60 s margin
    client.describe_companies()
    assert fake.identity_calls == 2
    assert sleep.waits == []


def test_margin_is_configurable(clock: FakeClock) -> None:
    fake = FakeMarketo(clock)
    client, _, _ = make(fake, policy=TokenPolicy(refresh_margin_seconds=600))
    client.describe_companies()
    clock.advance(HOUR - 599)
    client.describe_companies()
    assert fake.identity_calls == 2


def test_identity_reusing_the_old_token_is_used_to_its_end_then_replaced(clock: FakeClock) -> None:
    fake = FakeMarketo(clock)
    client, cache, sleep = make(fake)
    client.describe_companies()
    clock.advance(HOUR - 30)  # identity will hand back tok-0001 with 30 s left
    client.describe_companies()
    assert fake.identity_calls == 2
    clock.advance(20)  # 10 s left: still used, no identity call per request
    client.describe_companies()
    assert fake.identity_calls == 2
    assert bearer(fake) == ["Bearer tok-0001:ab"] * 3
    clock.advance(7)  # 3 s left: below min_usable, so wait it out (3 s + 1 s grace) and get a new one
    client.describe_companies()
    assert sleep.waits == [4.0]
    assert fake.identity_calls == 4
    assert bearer(fake)[-1] == "Bearer tok-0002:ab"
    stored = cache.get(token_cache_key(credentials()))
    assert stored is not None
    assert stored.token == "tok-0002:ab"


def test_an_expired_token_in_the_cache_is_not_used(clock: FakeClock) -> None:
    fake = FakeMarketo(clock)
    cache = InMemoryTokenCache()
    cache.put(token_cache_key(credentials()), AccessToken("old", clock() - HOUR, clock() - 1))
    client, _, _ = make(fake, cache)
    client.describe_companies()
    assert bearer(fake) == ["Bearer tok-0001:ab"]


def test_invalid_token_601_is_replaced_once_and_the_request_replayed(clock: FakeClock) -> None:
    fake = FakeMarketo(clock)
    cache = InMemoryTokenCache()
    key = token_cache_key(credentials())
    cache.put(key, AccessToken("revoked", clock(), clock() + HOUR))
    client, _, sleep = make(fake, cache)
    described = client.describe_companies()
    assert described.name == "Company"
    assert bearer(fake) == ["Bearer revoked", "Bearer tok-0001:ab"]
    assert fake.identity_calls == 1
    assert sleep.waits == []
    stored = cache.get(key)
    assert stored is not None
    assert stored.token == "tok-0001:ab"


def test_expired_token_602_is_refreshed_once(clock: FakeClock) -> None:
    fake = FakeMarketo(clock, refuse_tokens=1)
    client, _, _ = make(fake)
    client.describe_companies()
    assert fake.identity_calls == 2
    assert len(fake.rest_calls()) == 2
    assert client.calls == 4


def test_a_second_refusal_is_an_authentication_error(clock: FakeClock) -> None:
    fake = FakeMarketo(clock, refuse_tokens=5)
    client, _, sleep = make(fake)
    with pytest.raises(AuthenticationError, match="freshly issued token") as raised:
        client.describe_companies()
    assert raised.value.code == "602"
    assert fake.identity_calls == 2
    assert len(fake.rest_calls()) == 2
    assert sleep.waits == []
    assert "tok-0001" not in str(raised.value)


def test_bad_client_credentials_fail_fast(clock: FakeClock) -> None:
    fake = FakeMarketo(clock)
    client, _, sleep = make(fake, client_secret="wrong-secret-value")
    with pytest.raises(AuthenticationError, match="Bad client credentials") as raised:
        client.describe_companies()
    assert fake.identity_calls == 1
    assert fake.rest_calls() == []
    assert sleep.waits == []
    assert "wrong-secret-value" not in str(raised.value)


def test_identity_outages_are_retried_then_reported_without_nesting(clock: FakeClock) -> None:
    fake = FakeMarketo(clock)
    fake.identity_faults = [reply(b"busy", 503, content_type="text/plain"), requests.ConnectionError("reset")]
    client, _, sleep = make(fake)
    client.describe_companies()
    assert fake.identity_calls == 3
    assert sleep.waits == [1.0, 2.0]

    down = FakeMarketo(clock, identity_faults=[reply(b"", 502)] * 10)
    client, _, _ = make(down, max_attempts=3)
    with pytest.raises(IdentityUnavailable):
        client.describe_companies()
    assert down.identity_calls == 3  # the REST retrier does not retry the identity's retries again


def test_identity_call_shapes(clock: FakeClock) -> None:
    fake = FakeMarketo(clock)
    client, _, _ = make(fake)
    client.describe_companies()
    query_style = fake.requests[0]
    assert query_style.method == "GET"
    assert query_style.url == "https://123-ABC-456.mktorest.com/identity/oauth/token"
    assert dict(query_style.params)["grant_type"] == "client_credentials"
    assert CLIENT_SECRET not in repr(query_style)

    form_fake = FakeMarketo(clock)
    client, _, _ = make(form_fake, identity_style="form")
    client.describe_companies()
    form_style = form_fake.requests[0]
    assert form_style.method == "POST"
    assert CLIENT_SECRET not in form_style.full_url()
    assert form_style.body is not None
    assert dict(parse_qsl(form_style.body.decode()))["client_secret"] == CLIENT_SECRET


def test_rest_calls_use_the_bearer_header_never_a_query_token(clock: FakeClock) -> None:
    fake = FakeMarketo(clock)
    client, _, _ = make(fake)
    client.describe_companies()
    [call] = fake.rest_calls()
    assert call.authorization == "Bearer tok-0001:ab"
    assert "access_token" not in call.request.full_url()


def test_cache_key_is_hashed_stable_and_identity_scoped() -> None:
    key = token_cache_key(credentials())
    assert key.startswith("marketo-token:")
    assert key == token_cache_key(credentials(client_secret="another-secret"))  # the secret is not part of it
    assert CLIENT_SECRET not in key
    assert "client-id-0001" not in key
    assert key != token_cache_key(credentials(client_id="client-id-0002"))
    assert key != token_cache_key(credentials(munchkin_id="999-XYZ-999"))
    sandbox = credentials(base_url="http://127.0.0.1:1", allowed_sandbox_hosts=("127.0.0.1",))
    assert key != token_cache_key(sandbox)


def test_invalidate_keeps_a_token_another_container_stored(clock: FakeClock) -> None:
    cache = InMemoryTokenCache()
    fresh = AccessToken("fresh", clock(), clock() + HOUR)
    tokens = Tokens("k", cache, lambda: fresh, clock=clock, sleep=SleepRecorder(clock))
    cache.put("k", AccessToken("newer-from-elsewhere", clock(), clock() + HOUR))
    tokens.invalidate(AccessToken("refused", clock(), clock() + HOUR))
    assert cache.get("k") is not None
    tokens.invalidate(AccessToken("newer-from-elsewhere", clock(), clock() + HOUR))
    assert cache.get("k") is None


def test_token_reprs_hide_the_token(clock: FakeClock) -> None:
    token = AccessToken("tok-secret:ab", clock(), clock() + HOUR)
    assert "tok-secret" not in repr(token)


@pytest.mark.parametrize(
    ("body", "error"),
    [
        (b"not json", ParseError),
        (b"[]", ParseError),
        (b'{"expires_in": 3599}', ParseError),
        (b'{"access_token": "t", "expires_in": "soon"}', ParseError),
        (b'{"error": "unauthorized", "error_description": "No client with requested id: x"}', AuthenticationError),
    ],
)
def test_unusable_identity_replies(body: bytes, error: type[Exception]) -> None:
    with pytest.raises(error):
        token_from_reply(body, now=0.0, secrets=())


def test_token_lifetime_counts_from_receipt() -> None:
    token = token_from_reply(b'{"access_token": "t", "expires_in": 3599}', now=100.0, secrets=())
    assert (token.created_at, token.expires_at) == (100.0, 3699.0)


def test_invalid_policy() -> None:
    with pytest.raises(ValueError, match="min_usable"):
        TokenPolicy(refresh_margin_seconds=10, min_usable_seconds=20)
