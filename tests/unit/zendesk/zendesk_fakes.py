"""A tiny local Zendesk for the client's unit tests (until sandbox/zendesk is there): the OAuth refresh grant that
rotates the pair and kills the old one (a dead refresh token is `invalid_grant`), Bearer and Basic checks, API handlers
keyed by method and path relative to /api/v2, scripted faults, and a record of every request."""

from __future__ import annotations

import base64
import itertools
import json
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urlsplit

from mlconnector.http import HttpPolicy, HttpReply, HttpRequest, RetryPolicy
from mlconnector.rotating_tokens import InMemoryTokenPairs, TokenPairStore
from mlconnector.systems.zendesk.client import ZendeskClient
from mlconnector.systems.zendesk.credentials import ZendeskCredentials
from tests.conftest import FakeClock
from tests.unit.marketo.marketo_fakes import SleepRecorder

SUBDOMAIN = "acme"
ORIGIN = "https://acme.zendesk.com"
CLIENT_ID = "ml_connector_acme"
CLIENT_SECRET = "zd-client-secret-5f3a9c0e7b2d4f61a8c9"
REFRESH_TOKEN = "zd-refresh-0000-first-7e1c2b9a0d5f"
EMAIL = "admin@acme.example"
API_TOKEN = "zd-api-token-9b8c7d6e5f4a3b2c1d0e"
JSON = "application/json; charset=utf-8"


def secret(**overrides: Any) -> dict[str, Any]:
    values: dict[str, Any] = {
        "subdomain": SUBDOMAIN,
        "client_id": CLIENT_ID,
        "client_secret": CLIENT_SECRET,
        "refresh_token": REFRESH_TOKEN,
    }
    values.update(overrides)
    return {k: v for k, v in values.items() if v is not None}


def credentials(**overrides: Any) -> ZendeskCredentials:
    return ZendeskCredentials.from_secret(secret(**overrides))


def api_token_credentials() -> ZendeskCredentials:
    return ZendeskCredentials.from_secret({"subdomain": SUBDOMAIN, "email": EMAIL, "api_token": API_TOKEN})


def reply(body: Any = None, status: int = 200, headers: dict[str, str] | None = None) -> HttpReply:
    raw = body if isinstance(body, bytes) else b"" if body is None else json.dumps(body).encode()
    return HttpReply(status=status, content_type=JSON if raw else "", body=raw, headers=headers or {})


def error(status: int, error_word: Any, description: str = "", details: Any = None, **kw: Any) -> HttpReply:
    body: dict[str, Any] = {"error": error_word}
    if description:
        body["description"] = description
    if details is not None:
        body["details"] = details
    return reply(body, status, **kw)


@dataclass
class Call:
    request: HttpRequest
    method: str
    path: str
    """Relative to /api/v2 for API calls; /oauth/tokens for grants."""
    params: dict[str, str]
    json: Any
    at: float

    @property
    def authorization(self) -> str:
        return self.request.headers.get("Authorization", "")


Handler = Callable[[Call], HttpReply | Any]


@dataclass
class FakeZendesk:
    """One live pair at a time: a grant with the live refresh token answers a new pair and kills the old one."""

    clock: Callable[[], float] = field(default_factory=FakeClock)
    handlers: dict[tuple[str, str], Handler] = field(default_factory=dict)
    faults: list[HttpReply | Exception] = field(default_factory=list)
    """Answers (or raises) for the next API requests, one each, before any handler."""
    grant_faults: list[HttpReply | Exception] = field(default_factory=list)
    expires_in: int = 7200
    grant_delay: float = 0.0
    live_refresh: str = REFRESH_TOKEN
    live_access: set[str] = field(default_factory=set)
    grants: list[str] = field(default_factory=list)
    """The refresh token each accepted grant used."""
    refused_grants: int = 0
    calls: list[Call] = field(default_factory=list)
    _serial: itertools.count[int] = field(default_factory=lambda: itertools.count(1))
    _lock: threading.Lock = field(default_factory=threading.Lock)

    def send(self, request: HttpRequest, *, timeout: tuple[float, float]) -> HttpReply:
        assert timeout[0] > 0
        assert timeout[1] > 0
        parts = urlsplit(request.url)
        assert f"{parts.scheme}://{parts.netloc}" == ORIGIN, request.url
        body = json.loads(request.body) if request.body else None
        path = parts.path.removeprefix("/api/v2")
        call = Call(request, request.method, path, dict(request.params), body, self.clock())
        with self._lock:
            self.calls.append(call)
        if parts.path == "/oauth/tokens":
            return self._grant(call)
        return self._api(call)

    def _grant(self, call: Call) -> HttpReply:
        with self._lock:
            fault = self.grant_faults.pop(0) if self.grant_faults else None
        if isinstance(fault, Exception):
            raise fault
        if fault is not None:
            return fault
        if self.grant_delay:
            time.sleep(self.grant_delay)
        body = call.json or {}
        assert body.get("grant_type") == "refresh_token"
        if body.get("client_id") != CLIENT_ID or body.get("client_secret") != CLIENT_SECRET:
            return reply({"error": "invalid_client", "error_description": "Client authentication failed."}, 401)
        with self._lock:
            if body.get("refresh_token") != self.live_refresh:
                self.refused_grants += 1
                return reply({"error": "invalid_grant", "error_description": "The refresh token is invalid."}, 400)
            serial = next(self._serial)
            self.grants.append(self.live_refresh)
            access, refresh = f"zd-access-{serial:04d}", f"zd-refresh-{serial:04d}"
            self.live_access = {access}  # the old pair is deleted
            self.live_refresh = refresh
        return reply(
            {
                "access_token": access,
                "refresh_token": refresh,
                "token_type": "bearer",
                "scope": "read write",
                "expires_in": self.expires_in,
                "refresh_token_expires_in": 2592000,
            }
        )

    def _api(self, call: Call) -> HttpReply:
        with self._lock:
            fault = self.faults.pop(0) if self.faults else None
        if isinstance(fault, Exception):
            raise fault
        if fault is not None:
            return fault
        scheme, _, value = call.authorization.partition(" ")
        if scheme == "Bearer":
            with self._lock:
                ok = value in self.live_access
        elif scheme == "Basic":
            ok = base64.b64decode(value).decode() == f"{EMAIL}/token:{API_TOKEN}"
        else:
            ok = False
        if not ok:
            return error(401, "Couldn't authenticate you")
        handler = self.handlers.get((call.method, call.path))
        assert handler is not None, f"no handler for {call.method} {call.path}"
        answer = handler(call)
        return answer if isinstance(answer, HttpReply) else reply(answer)

    def advance(self, seconds: float) -> None:
        assert isinstance(self.clock, FakeClock)
        self.clock.advance(seconds)

    def api_calls(self, path: str | None = None) -> list[Call]:
        return [c for c in self.calls if c.path != "/oauth/tokens" and (path is None or c.path == path)]

    def grant_calls(self) -> list[Call]:
        return [c for c in self.calls if c.path == "/oauth/tokens"]


def make(
    fake: FakeZendesk,
    pairs: TokenPairStore | None = None,
    *,
    creds: ZendeskCredentials | None = None,
    max_attempts: int = 4,
    **kwargs: Any,
) -> tuple[ZendeskClient, SleepRecorder]:
    """A client on the fake's clock, jitter 0 (every wait asserted is a floor, a Retry-After or a poll pause)."""
    assert isinstance(fake.clock, FakeClock)
    sleep = SleepRecorder(fake.clock)
    options: dict[str, Any] = {
        "transport": fake,
        "clock": fake.clock,
        "monotonic": fake.clock,
        "sleep": sleep,
        "jitter": lambda: 0.0,
        "http": HttpPolicy(retry=RetryPolicy(base=1.0, cap=8.0, max_attempts=max_attempts)),
        **kwargs,
    }
    store = pairs if pairs is not None else InMemoryTokenPairs(fake.clock)
    client = ZendeskClient(creds or credentials(), store, **options)
    return client, sleep


def race(clients: list[ZendeskClient]) -> list[BaseException]:
    """Every client (a container each) asks for the current user at the same moment, in its own thread; what failed."""
    barrier = threading.Barrier(len(clients))
    failures: list[BaseException] = []

    def run(client: ZendeskClient) -> None:
        barrier.wait()
        try:
            client.me()
        except BaseException as exc:
            failures.append(exc)

    threads = [threading.Thread(target=run, args=(c,)) for c in clients]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(20)
    return failures


ME = {"user": {"id": 1001, "email": EMAIL, "role": "admin", "name": "Ada Admin"}}
