"""Session cache: key, reuse, renewal, expiry, and the re-authenticate-once rule."""

from __future__ import annotations

import pytest

from mlconnector.systems.intacct.client import IntacctClient
from mlconnector.systems.intacct.errors import AuthenticationError, ConfigurationError
from mlconnector.systems.intacct.response import AuthenticationInfo
from mlconnector.systems.intacct.session import (
    CachedSession,
    InMemorySessionCache,
    SessionPolicy,
    Sessions,
    is_usable,
    server_seconds_left,
    session_cache_key,
)
from tests.unit.intacct.intacct_fakes import (
    LOGIN_URL,
    SESSION_URL,
    USER_PASSWORD,
    FakeClock,
    FakeGateway,
    SleepRecorder,
    credentials,
    records_xml,
    result_xml,
)

MINUTE = 60.0


def lookup_handler(_element: object, controlid: str) -> str:
    return result_xml(
        "lookup", controlid, data=f'<data listtype="All" count="1">{records_xml("Type", [{"Name": "VENDOR"}])}</data>'
    )


def make(
    gateway: FakeGateway,
    clock: FakeClock,
    cache: InMemorySessionCache | None = None,
    session_policy: SessionPolicy | None = None,
) -> tuple[IntacctClient, InMemorySessionCache]:
    gateway.handlers.setdefault("lookup", lookup_handler)
    cache = cache if cache is not None else InMemorySessionCache()
    client = IntacctClient(
        credentials(),
        cache,
        transport=gateway,
        clock=clock,
        sleep=SleepRecorder(clock),
        jitter=lambda: 1.0,
        session_policy=session_policy,
    )
    return client, cache


def test_cache_key_is_hashed_stable_and_identity_scoped() -> None:
    key = session_cache_key(credentials())
    assert key == session_cache_key(credentials())
    assert key.startswith("intacct-session:")
    for clear in ("SENDER", "ACME", "WS_USER"):
        assert clear not in key
    assert session_cache_key(credentials(user_password="other", sender_password="other")) == key
    variants = [
        credentials(sender_id="S2"),
        credentials(company_id="ACME2"),
        credentials(user_id="U2"),
        credentials(entity_id="E1"),
        credentials(endpoint_url="http://127.0.0.1:1/ia/xml/xmlgw.phtml", allowed_sandbox_hosts=("127.0.0.1",)),
    ]
    assert len({session_cache_key(v) for v in variants} | {key}) == 6


def test_cached_session_repr_hides_the_session_id() -> None:
    session = CachedSession("SESSION-SECRET", SESSION_URL, 1.0, 2.0)
    assert "SESSION-SECRET" not in repr(session)
    assert SESSION_URL in repr(session)


def test_server_lifetime_uses_the_servers_own_clock() -> None:
    auth = AuthenticationInfo("success", "U", "C", "", "2024-10-04T01:38:10-07:00", "2024-10-04T07:38:10-07:00")
    assert server_seconds_left(auth) == 6 * 3600
    assert server_seconds_left(AuthenticationInfo("success", "U", "C", "", None, "2024-10-04T07:38:10+00:00")) is None
    assert server_seconds_left(AuthenticationInfo("success", "U", "C", "", "garbage", "2024-10-04T07:38:10")) is None


def test_usable_window() -> None:
    policy = SessionPolicy()
    session = CachedSession("s", SESSION_URL, created_at=0.0, expires_at=50 * MINUTE)
    assert is_usable(session, 44.9 * MINUTE, policy)
    assert not is_usable(session, 45 * MINUTE, policy)
    short = CachedSession("s", SESSION_URL, created_at=0.0, expires_at=8 * MINUTE)
    assert not is_usable(short, 8 * MINUTE, policy)
    with pytest.raises(ValueError):
        SessionPolicy(reuse_seconds=60 * MINUTE, lifetime_seconds=50 * MINUTE)


def test_first_call_logs_in_then_reuses_the_session_at_its_endpoint() -> None:
    gateway, clock = FakeGateway(), FakeClock()
    client, cache = make(gateway, clock)
    client.lookup("VENDOR")
    clock.advance(44 * MINUTE)
    client.lookup("VENDOR")
    assert gateway.logins == 1
    assert [url for url, _ in gateway.requests] == [LOGIN_URL, SESSION_URL, SESSION_URL]
    login = gateway.requests[0][1]
    assert login.findtext("operation/authentication/login/password") == USER_PASSWORD
    assert login.find("operation/content/function/getAPISession") is not None
    assert len(login.findall("operation/content/function")) == 1
    assert gateway.requests[1][1].findtext("operation/authentication/sessionid") == "SESSION-1"
    cached = cache.get(session_cache_key(credentials()))
    assert cached is not None
    assert (cached.session_id, cached.endpoint, cached.created_at) == ("SESSION-1", SESSION_URL, 1_700_000_000.0)
    assert cached.expires_at == 1_700_000_000.0 + 50 * MINUTE
    assert client.calls == 3


def test_session_is_renewed_after_the_reuse_window() -> None:
    gateway, clock = FakeGateway(), FakeClock()
    client, cache = make(gateway, clock)
    client.lookup("VENDOR")
    clock.advance(45 * MINUTE)
    client.lookup("VENDOR")
    assert gateway.logins == 2
    cached = cache.get(session_cache_key(credentials()))
    assert cached is not None
    assert cached.session_id == "SESSION-2"


def test_a_shorter_server_timeout_is_respected() -> None:
    gateway = FakeGateway(session_timestamp="2024-10-04T01:00:00+00:00", session_timeout="2024-10-04T01:10:00+00:00")
    clock = FakeClock()
    client, cache = make(gateway, clock)
    client.lookup("VENDOR")
    cached = cache.get(session_cache_key(credentials()))
    assert cached is not None
    assert cached.expires_at == clock.now + 8 * MINUTE
    clock.advance(7 * MINUTE)
    client.lookup("VENDOR")
    assert gateway.logins == 1
    clock.advance(1 * MINUTE)
    client.lookup("VENDOR")
    assert gateway.logins == 2


def test_policy_is_configurable() -> None:
    gateway, clock = FakeGateway(), FakeClock()
    client, _ = make(
        gateway, clock, session_policy=SessionPolicy(reuse_seconds=5 * MINUTE, lifetime_seconds=10 * MINUTE)
    )
    client.lookup("VENDOR")
    clock.advance(5 * MINUTE)
    client.lookup("VENDOR")
    assert gateway.logins == 2


def test_invalid_session_re_authenticates_once_and_replays() -> None:
    gateway, clock = FakeGateway(), FakeClock()
    cache = InMemorySessionCache()
    key = session_cache_key(credentials())
    cache.put(key, CachedSession("STALE", SESSION_URL, clock.now, clock.now + 50 * MINUTE))
    client, _ = make(gateway, clock, cache)
    assert client.lookup("VENDOR") == {"NAME": "VENDOR"}
    assert gateway.logins == 1
    cached = cache.get(key)
    assert cached is not None
    assert cached.session_id == "SESSION-1"
    sent_sessions = [r.findtext("operation/authentication/sessionid") for _, r in gateway.requests]
    assert sent_sessions == ["STALE", None, "SESSION-1"]


def test_invalid_session_twice_is_an_authentication_error_after_exactly_one_relogin() -> None:
    gateway, clock = FakeGateway(refuse_sessions=2), FakeClock()
    cache = InMemorySessionCache()
    cache.put(
        session_cache_key(credentials()), CachedSession("CACHED", SESSION_URL, clock.now, clock.now + 50 * MINUTE)
    )
    client, _ = make(gateway, clock, cache)
    with pytest.raises(AuthenticationError, match="again right after a fresh login") as caught:
        client.lookup("VENDOR")
    assert gateway.logins == 1
    assert len(gateway.requests) == 3
    assert client.calls == 3
    assert caught.value.errorno == "XL03000006"
    assert "CACHED" not in str(caught.value)
    assert "SESSION-1" not in str(caught.value)


def test_wrong_credentials_fail_fast_without_retries() -> None:
    gateway, clock = FakeGateway(login_error="Sign-in information is incorrect"), FakeClock()
    client, cache = make(gateway, clock)
    with pytest.raises(AuthenticationError) as caught:
        client.lookup("VENDOR")
    assert gateway.logins == 1
    assert len(gateway.requests) == 1
    assert "Sign-in information is incorrect" in str(caught.value)
    assert USER_PASSWORD not in str(caught.value)
    assert cache.get(session_cache_key(credentials())) is None


def test_endpoint_returned_by_login_must_be_allowed() -> None:
    gateway, clock = FakeGateway(session_endpoint="https://evil.example/ia/xml/xmlgw.phtml"), FakeClock()
    client, cache = make(gateway, clock)
    with pytest.raises(ConfigurationError, match=r"evil\.example"):
        client.lookup("VENDOR")
    assert len(gateway.requests) == 1  # the session id never went to the foreign host
    assert cache.get(session_cache_key(credentials())) is None


def test_invalidate_keeps_a_newer_session_from_another_container() -> None:
    cache = InMemorySessionCache()
    sessions = Sessions(
        credentials(),
        cache,
        lambda: CachedSession("NEW", SESSION_URL, 0.0, 3000.0),
        clock=lambda: 0.0,
        policy=SessionPolicy(),
    )
    old = CachedSession("OLD", SESSION_URL, 0.0, 3000.0)
    cache.put(sessions.key, CachedSession("OTHER", SESSION_URL, 0.0, 3000.0))
    sessions.invalidate(old)
    assert cache.get(sessions.key) is not None
    cache.put(sessions.key, old)
    sessions.invalidate(old)
    assert cache.get(sessions.key) is None
    assert sessions.current().session_id == "NEW"
    assert cache.get(sessions.key) is not None
