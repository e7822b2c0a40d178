"""A fake Marketo for the client's unit tests: identity with Marketo's token reuse, Bearer checks
(601/602), REST handlers keyed by method and path, and scripted faults."""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import parse_qsl, urlsplit

from mlconnector.systems.marketo.credentials import MarketoCredentials
from mlconnector.systems.marketo.transport import HttpReply, HttpRequest
from tests.conftest import FakeClock

MUNCHKIN = "123-ABC-456"
BASE = "https://123-ABC-456.mktorest.com"
CLIENT_ID = "client-id-0001"
CLIENT_SECRET = "cl1ent-S3cret-value"
JSON = "application/json;charset=UTF-8"


def credentials(**overrides: Any) -> MarketoCredentials:
    values: dict[str, Any] = {"munchkin_id": MUNCHKIN, "client_id": CLIENT_ID, "client_secret": CLIENT_SECRET}
    values.update(overrides)
    return MarketoCredentials(**values)


def reply(body: Any, status: int = 200, headers: dict[str, str] | None = None, content_type: str = JSON) -> HttpReply:
    raw = body if isinstance(body, bytes) else json.dumps(body).encode()
    return HttpReply(status=status, content_type=content_type, body=raw, headers=headers or {})


def ok(result: list[dict[str, Any]] | None = None, **extra: Any) -> dict[str, Any]:
    return {"requestId": "a1b2#c3d4", "success": True, "result": result or [], **extra}


def failed(code: str, message: str = "") -> dict[str, Any]:
    return {"requestId": "a1b2#c3d4", "success": False, "errors": [{"code": code, "message": message}]}


@dataclass
class Call:
    """One REST request as the fake saw it: query and form parameters merged, JSON body decoded."""

    request: HttpRequest
    method: str
    path: str
    params: dict[str, str]
    json: Any

    @property
    def authorization(self) -> str | None:
        return self.request.headers.get("Authorization")


Handler = Callable[[Call], dict[str, Any]]


@dataclass
class FakeMarketo:
    clock: FakeClock = field(default_factory=FakeClock)
    token_lifetime: float = 3600.0
    handlers: dict[tuple[str, str], Handler] = field(default_factory=dict)
    faults: list[HttpReply | dict[str, Any] | Exception] = field(default_factory=list)
    """Answers (or raises) for the next REST requests, one each, before any token check or handler."""
    identity_faults: list[HttpReply | Exception] = field(default_factory=list)
    refuse_tokens: int = 0
    """Upcoming REST requests to answer with 602 whatever the token."""
    identity_calls: int = 0
    issued: dict[str, float] = field(default_factory=dict)
    current: str | None = None
    requests: list[HttpRequest] = field(default_factory=list)
    calls: list[Call] = field(default_factory=list)
    timeouts: list[tuple[float, float]] = field(default_factory=list)

    def send(self, request: HttpRequest, *, timeout: tuple[float, float]) -> HttpReply:
        assert timeout[0] > 0
        assert timeout[1] > 0
        self.timeouts.append(timeout)
        self.requests.append(request)
        parts = urlsplit(request.url)
        if parts.path == "/identity/oauth/token":
            return self._identity(request)
        params = dict(request.params)
        if request.body is not None and request.headers.get("Content-Type", "").startswith("application/x-www-form"):
            params.update(parse_qsl(request.body.decode()))
        body_json = None
        if request.body is not None and request.headers.get("Content-Type") == "application/json":
            body_json = json.loads(request.body)
        method = params.pop("_method", request.method)
        call = Call(request, method, parts.path, params, body_json)
        self.calls.append(call)
        if self.faults:
            fault = self.faults.pop(0)
            if isinstance(fault, Exception):
                raise fault
            return fault if isinstance(fault, HttpReply) else reply(fault)
        auth = call.authorization or ""
        token = auth.removeprefix("Bearer ")
        if not auth.startswith("Bearer ") or token not in self.issued:
            return reply(failed("601", "Access token invalid"))
        if self.refuse_tokens > 0 or self.clock() >= self.issued[token]:
            self.refuse_tokens = max(0, self.refuse_tokens - 1)
            return reply(failed("602", "Access token expired"))
        handler = self.handlers.get((method, parts.path))
        assert handler is not None, f"no handler for {method} {parts.path}"
        return reply(handler(call))

    def _identity(self, request: HttpRequest) -> HttpReply:
        self.identity_calls += 1
        if self.identity_faults:
            fault = self.identity_faults.pop(0)
            if isinstance(fault, Exception):
                raise fault
            return fault
        params = dict(request.params)
        if request.body is not None:
            params.update(parse_qsl(request.body.decode()))
        if params.get("client_id") != CLIENT_ID or params.get("client_secret") != CLIENT_SECRET:
            return reply({"error": "invalid_client", "error_description": "Bad client credentials"}, status=401)
        now = self.clock()
        # Marketo's reuse: the same token, with its remaining lifetime, until it expires.
        if self.current is None or now >= self.issued[self.current]:
            self.current = f"tok-{len(self.issued) + 1:04d}:ab"
            self.issued[self.current] = now + self.token_lifetime
        left = int(self.issued[self.current] - now)
        return reply({"access_token": self.current, "token_type": "bearer", "expires_in": left, "scope": "api@x.test"})

    def rest_calls(self, path: str | None = None) -> list[Call]:
        return [c for c in self.calls if path is None or c.path == path]


class SleepRecorder:
    """Injected sleep: records the waits and moves the fake clock instead of sleeping."""

    def __init__(self, clock: FakeClock) -> None:
        self.waits: list[float] = []
        self.clock = clock

    def __call__(self, seconds: float) -> None:
        self.waits.append(seconds)
        self.clock.advance(seconds)


COMPANY_DESCRIBE = ok(
    [
        {
            "name": "Company",
            "idField": "id",
            "dedupeFields": ["externalCompanyId"],
            "searchableFields": [["externalCompanyId"], ["id"], ["company"]],
            "fields": [
                {"name": "externalCompanyId", "dataType": "string", "length": 100, "updateable": False},
                {"name": "id", "dataType": "integer", "updateable": False},
                {"name": "company", "dataType": "string", "length": 255, "updateable": True},
                {"name": "annualRevenue", "dataType": "currency", "updateable": True},
            ],
        }
    ]
)

LEAD_DESCRIBE = ok(
    [
        {
            "id": 1,
            "displayName": "Email",
            "dataType": "email",
            "length": 255,
            "rest": {"name": "email", "readOnly": False},
        },
        {"id": 2, "displayName": "Id", "dataType": "integer", "rest": {"name": "id", "readOnly": True}},
        {"id": 3, "displayName": "SOAP only", "dataType": "string", "soap": {"name": "Legacy", "readOnly": False}},
    ]
)


def describe_handlers() -> dict[tuple[str, str], Handler]:
    return {
        ("GET", "/rest/v1/companies/describe.json"): lambda _call: COMPANY_DESCRIBE,
        ("GET", "/rest/v1/leads/describe.json"): lambda _call: LEAD_DESCRIBE,
    }
