"""A fake Zoho for the client's unit tests: a transport with the accounts server's token grant (scripted answers,
a count of tokens minted, a check of the Authorization header) and API handlers keyed by method and path relative
to /crm/v8, scripted faults, and a count of the requests in flight at once."""

from __future__ import annotations

import itertools
import json
import threading
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import parse_qsl, urlsplit

from mlconnector.http import HttpPolicy, HttpReply, HttpRequest, RetryPolicy
from mlconnector.oauth_tokens import InMemoryTokenCache, TokenCache
from mlconnector.systems.zoho.auth import MintGuard
from mlconnector.systems.zoho.client import ZohoClient
from mlconnector.systems.zoho.credentials import ZohoCredentials
from tests.conftest import FakeClock
from tests.unit.marketo.marketo_fakes import SleepRecorder

CLIENT_ID = "1000.ABCDEFGHIJ0123456789KLMNOPQRST"
CLIENT_SECRET = "c0ffee5ecret0c0ffee5ecret0c0ffee5ecret0aa"
REFRESH_TOKEN = "1000.f00dfeedf00dfeedf00dfeedf00dfeed.0badc0de0badc0de0badc0de0badc0de"
ACCOUNTS = "accounts.zoho.eu"
API_HOST = "www.zohoapis.eu"
API_DOMAIN = f"https://{API_HOST}"
JSON = "application/json;charset=UTF-8"
BIG_ID = "4150868000003194003"
"""19 digits: far above 2**53 (a float would make it 4150868000003194000)."""


def credentials(**overrides: Any) -> ZohoCredentials:
    values: dict[str, Any] = {
        "client_id": CLIENT_ID,
        "client_secret": CLIENT_SECRET,
        "refresh_token": REFRESH_TOKEN,
        "data_centre": "EU",
    }
    values.update(overrides)
    return ZohoCredentials(**values)


def reply(body: Any = None, status: int = 200, headers: dict[str, str] | None = None) -> HttpReply:
    raw = body if isinstance(body, bytes) else b"" if body is None else json.dumps(body).encode()
    return HttpReply(status=status, content_type=JSON if raw else "", body=raw, headers=headers or {})


def envelope(code: str, message: str, status: int, details: Mapping[str, Any] | None = None, **kw: Any) -> HttpReply:
    """Zoho's request-level error envelope."""
    body = {"code": code, "details": dict(details or {}), "message": message, "status": "error"}
    return reply(body, status, **kw)


def success(record_id: str = BIG_ID, action: str = "insert", duplicate_field: str | None = None) -> dict[str, Any]:
    return {
        "code": "SUCCESS",
        "duplicate_field": duplicate_field,
        "action": action,
        "details": {"id": record_id, "Modified_Time": "2026-12-04T10:31:43+01:00"},
        "message": "record added" if action == "insert" else "record updated",
        "status": "success",
    }


def record_error(code: str, message: str, index: int | None = None, api_name: str | None = None) -> dict[str, Any]:
    details: dict[str, Any] = {}
    if api_name is not None:
        details["api_name"] = api_name
        if index is not None:
            details["json_path"] = f"$.data[{index}].{api_name}"
    return {"code": code, "details": details, "message": message, "status": "error"}


@dataclass
class Call:
    request: HttpRequest
    method: str
    path: str
    """Relative to /crm/v8 for API calls; the full path otherwise."""
    host: str
    params: dict[str, str]
    json: Any
    form: dict[str, str]

    @property
    def authorization(self) -> str | None:
        return self.request.headers.get("Authorization")


Handler = Callable[[Call], HttpReply | Any]


@dataclass
class FakeZoho:
    """`grants`: answers for the next token grants, one each (then every grant mints a token). API calls must carry
    a token minted here and not yet revoked, else 401 INVALID_TOKEN."""

    clock: FakeClock = field(default_factory=FakeClock)
    handlers: dict[tuple[str, str], Handler] = field(default_factory=dict)
    grants: list[HttpReply | Exception] = field(default_factory=list)
    faults: list[HttpReply | Exception] = field(default_factory=list)
    """Answers (or raises) for the next API requests, one each, before any handler."""
    api_domain: str | None = API_DOMAIN
    token_body: dict[str, Any] = field(default_factory=dict)
    """Extra keys of a minted token's reply (or overrides)."""
    delay: float = 0.0
    minted: list[str] = field(default_factory=list)
    revoked: set[str] = field(default_factory=set)
    calls: list[Call] = field(default_factory=list)
    in_flight: int = 0
    peak: int = 0
    _serial: itertools.count[int] = field(default_factory=lambda: itertools.count(1))
    _lock: threading.Lock = field(default_factory=threading.Lock)

    def send(self, request: HttpRequest, *, timeout: tuple[float, float]) -> HttpReply:
        assert timeout[0] > 0
        assert timeout[1] > 0
        parts = urlsplit(request.url)
        path = parts.path.removeprefix("/crm/v8")
        form = dict(parse_qsl(request.body.decode())) if request.body and b"=" in request.body[:40] else {}
        is_json = request.headers.get("Content-Type") == "application/json"
        body = json.loads(request.body) if request.body and is_json else None
        call = Call(request, request.method, path, parts.hostname or "", dict(request.params), body, form)
        with self._lock:
            self.calls.append(call)
            self.in_flight += 1
            self.peak = max(self.peak, self.in_flight)
        try:
            if self.delay:
                time.sleep(self.delay)
            if parts.path == "/oauth/v2/token":
                return self._grant(call)
            return self._api(call)
        finally:
            with self._lock:
                self.in_flight -= 1

    def _grant(self, call: Call) -> HttpReply:
        with self._lock:
            scripted = self.grants.pop(0) if self.grants else None
        if isinstance(scripted, Exception):
            raise scripted
        if scripted is not None:
            return scripted
        token = f"1000.tok{next(self._serial):04d}.abcdef"
        self.minted.append(token)
        body: dict[str, Any] = {"access_token": token, "scope": "ZohoCRM.modules.ALL", "token_type": "Bearer"}
        body["expires_in"] = 3600
        if self.api_domain is not None:
            body["api_domain"] = self.api_domain
        body.update(self.token_body)
        return reply(body)

    def _api(self, call: Call) -> HttpReply:
        with self._lock:
            fault = self.faults.pop(0) if self.faults else None
        if isinstance(fault, Exception):
            raise fault
        if fault is not None:
            return fault
        scheme, _, token = (call.authorization or "").partition(" ")
        if scheme != "Zoho-oauthtoken" or not token:
            return envelope("AUTHENTICATION_FAILURE", "Authentication failed", 401)
        if token not in self.minted or token in self.revoked:
            return envelope("INVALID_TOKEN", "invalid oauth token", 401)
        handler = self.handlers.get((call.method, call.path))
        assert handler is not None, f"no handler for {call.method} {call.path}"
        answer = handler(call)
        return answer if isinstance(answer, HttpReply) else reply(answer)

    def api_calls(self) -> list[Call]:
        return [c for c in self.calls if c.path != "/oauth/v2/token"]

    def grant_calls(self) -> list[Call]:
        return [c for c in self.calls if c.path == "/oauth/v2/token"]

    def revoke_all(self) -> None:
        self.revoked.update(self.minted)


def make(
    fake: FakeZoho,
    cache: TokenCache | None = None,
    *,
    creds: ZohoCredentials | None = None,
    max_attempts: int = 4,
    **kwargs: Any,
) -> tuple[ZohoClient, SleepRecorder]:
    """jitter 0: every wait asserted is a floor, a minimum wait or a Retry-After."""
    sleep = SleepRecorder(fake.clock)
    options: dict[str, Any] = {
        "transport": fake,
        "clock": fake.clock,
        "sleep": sleep,
        "jitter": lambda: 0.0,
        "http": HttpPolicy(retry=RetryPolicy(base=1.0, cap=8.0, max_attempts=max_attempts)),
        "mint_guard": MintGuard(clock=fake.clock),
        **kwargs,
    }
    client = ZohoClient(creds or credentials(), cache if cache is not None else InMemoryTokenCache(), **options)
    return client, sleep


ORG = {"org": [{"id": "4150868000000225013", "company_name": "Acme", "license_details": {"paid_type": "professional"}}]}
