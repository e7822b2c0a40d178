"""A fake Adobe Commerce for the client's unit tests: OAuth 1.0a checked by oauthlib's server-side endpoint,
Bearer, an IMS token endpoint, a searchCriteria engine over in-memory rows (with the legacy "out-of-range page
repeats the last page" behaviour), error envelopes, and scripted faults."""

from __future__ import annotations

import json
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import partial
from typing import Any
from urllib.parse import parse_qsl, urlsplit

from oauthlib.oauth1 import RequestValidator, SignatureOnlyEndpoint

from mlconnector.http import HttpReply, HttpRequest
from mlconnector.systems.commerce import CommerceCredentials
from tests.conftest import FakeClock

PAAS_URL = "https://shop.example.com/rest/default"
SAAS_URL = "https://na1.api.commerce.adobe.com/TenantA1"
IMS_URL = "https://ims-na1.adobelogin.com/ims/token/v3"
CONSUMER_KEY = "ck-0001-consumer"
CONSUMER_SECRET = "cs-S3cret-consumer-value"
ACCESS_TOKEN = "at-S3cret-access-token"
ACCESS_TOKEN_SECRET = "ats-S3cret-token-secret"
IMS_CLIENT_ID = "ims-client-0001"
IMS_CLIENT_SECRET = "ims-S3cret-client-value"
IMS_ORG = "ABC123@AdobeOrg"
JSON = "application/json; charset=utf-8"
UNAUTHORIZED = {
    "message": "The consumer isn't authorized to access %resources.",
    "parameters": {"resources": "Magento_Sales::actions_view"},
}
NO_ROUTE = {"message": "Request does not match any route."}


def paas(**overrides: Any) -> CommerceCredentials:
    values: dict[str, Any] = {
        "base_url": PAAS_URL,
        "consumer_key": CONSUMER_KEY,
        "consumer_secret": CONSUMER_SECRET,
        "access_token": ACCESS_TOKEN,
        "access_token_secret": ACCESS_TOKEN_SECRET,
    }
    values.update(overrides)
    return CommerceCredentials.from_secret(values)


def saas(**overrides: Any) -> CommerceCredentials:
    values: dict[str, Any] = {
        "base_url": SAAS_URL,
        "ims_client_id": IMS_CLIENT_ID,
        "ims_client_secret": IMS_CLIENT_SECRET,
        "ims_org_id": IMS_ORG,
    }
    values.update(overrides)
    return CommerceCredentials.from_secret(values)


def reply(body: Any, status: int = 200, headers: dict[str, str] | None = None) -> HttpReply:
    raw = body if isinstance(body, bytes) else json.dumps(body).encode()
    return HttpReply(status=status, content_type=JSON, body=raw, headers=headers or {})


class _Validator(RequestValidator):
    """Knows exactly one integration; nonces may be used once."""

    def __init__(self) -> None:
        super().__init__()
        self.nonces: set[tuple[str, str]] = set()

    @property
    def enforce_ssl(self) -> bool:
        return True

    @property
    def allowed_signature_methods(self) -> tuple[str, ...]:
        return ("HMAC-SHA256",)

    def check_client_key(self, client_key: str) -> bool:
        return bool(client_key)

    def check_access_token(self, request_token: str) -> bool:
        return bool(request_token)

    def check_nonce(self, nonce: str) -> bool:
        return bool(nonce)

    @property
    def dummy_client(self) -> str:
        return "dummy-client"

    @property
    def dummy_access_token(self) -> str:
        return "dummy-token"

    def validate_client_key(self, client_key: str, request: object) -> bool:
        return client_key == CONSUMER_KEY

    def validate_access_token(self, client_key: str, token: str, request: object) -> bool:
        return token == ACCESS_TOKEN

    def get_client_secret(self, client_key: str, request: object) -> str:
        return CONSUMER_SECRET if client_key == CONSUMER_KEY else "dummy"

    def get_access_token_secret(self, client_key: str, token: str, request: object) -> str:
        return ACCESS_TOKEN_SECRET if token == ACCESS_TOKEN else "dummy"

    def validate_timestamp_and_nonce(
        self,
        client_key: str,
        timestamp: str,
        nonce: str,
        request: object,
        request_token: str | None = None,
        access_token: str | None = None,
    ) -> bool:
        if (timestamp, nonce) in self.nonces:
            return False
        self.nonces.add((timestamp, nonce))
        return True

    def validate_realms(self, *args: object, **kwargs: object) -> bool:
        return True


@dataclass
class Call:
    request: HttpRequest
    method: str
    path: str
    params: dict[str, str]
    json: Any


Handler = Callable[[Call], HttpReply | Any]


@dataclass
class FakeCommerce:
    clock: FakeClock = field(default_factory=FakeClock)
    auth: str = "oauth1"
    """oauth1, bearer or ims: what the fake accepts."""
    token_lifetime: float = 86399.0
    handlers: dict[tuple[str, str], Handler] = field(default_factory=dict)
    faults: list[HttpReply | Exception] = field(default_factory=list)
    """Answers (or raises) for the next REST requests, one each, before any auth check."""
    ims_faults: list[HttpReply | Exception] = field(default_factory=list)
    refuse: int = 0
    """Upcoming REST requests to answer 401 whatever the credentials."""
    issued: dict[str, float] = field(default_factory=dict)
    ims_calls: int = 0
    calls: list[Call] = field(default_factory=list)
    requests: list[HttpRequest] = field(default_factory=list)
    validator: _Validator = field(default_factory=_Validator)

    def send(self, request: HttpRequest, *, timeout: tuple[float, float]) -> HttpReply:
        assert timeout[0] > 0
        assert timeout[1] > 0
        assert request.params == (), "the query must already be in the URL, encoded as signed"
        self.requests.append(request)
        parts = urlsplit(request.url)
        if request.url.split("?")[0] == IMS_URL:
            return self._ims(request)
        body = json.loads(request.body) if request.body else None
        call = Call(request, request.method, parts.path, dict(parse_qsl(parts.query)), body)
        self.calls.append(call)
        if self.faults:
            fault = self.faults.pop(0)
            if isinstance(fault, Exception):
                raise fault
            return fault
        if self.refuse > 0 or not self._authorized(request):
            self.refuse = max(0, self.refuse - 1)
            return reply(UNAUTHORIZED, 401)
        handler = self.handlers.get((call.method, call.path))
        if handler is None:
            return reply(NO_ROUTE, 404)
        result = handler(call)
        return result if isinstance(result, HttpReply) else reply(result)

    def _authorized(self, request: HttpRequest) -> bool:
        auth = request.headers.get("Authorization", "")
        if self.auth == "oauth1":
            if not auth.startswith("OAuth "):
                return False
            endpoint = SignatureOnlyEndpoint(self.validator)
            valid, _ = endpoint.validate_request(request.url, request.method, None, {"Authorization": auth})
            return bool(valid)
        if self.auth == "bearer":
            return auth == f"Bearer {ACCESS_TOKEN}"
        token = auth.removeprefix("Bearer ")
        return (
            auth.startswith("Bearer ")
            and token in self.issued
            and self.clock() < self.issued[token]
            and request.headers.get("x-api-key") == IMS_CLIENT_ID
            and request.headers.get("x-gw-ims-org-id") == IMS_ORG
        )

    def _ims(self, request: HttpRequest) -> HttpReply:
        self.ims_calls += 1
        if self.ims_faults:
            fault = self.ims_faults.pop(0)
            if isinstance(fault, Exception):
                raise fault
            return fault
        form = dict(parse_qsl((request.body or b"").decode()))
        if form.get("client_id") != IMS_CLIENT_ID or form.get("client_secret") != IMS_CLIENT_SECRET:
            return reply({"error": "invalid_client", "error_description": "invalid client_secret parameter"}, 401)
        if "commerce.accs" not in form.get("scope", "").split(","):
            return reply({"error": "invalid_scope"}, 400)
        token = f"ims-token-{len(self.issued) + 1:04d}"
        self.issued[token] = self.clock() + self.token_lifetime
        return reply({"access_token": token, "token_type": "bearer", "expires_in": int(self.token_lifetime)})

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


# ----------------------------------------------------------------- a small searchCriteria engine


def _matches(row: dict[str, Any], field_name: str, value: str, condition: str) -> bool:
    have = row.get(field_name)
    if have is None:
        return False
    numeric = isinstance(have, int)
    left: Any = have
    right: Any = int(value) if numeric and condition not in ("in", "nin") else value
    if condition == "eq":
        return bool(left == right)
    if condition == "gt":
        return bool(left > right)
    if condition == "gteq":
        return bool(left >= right)
    if condition == "lt":
        return bool(left < right)
    if condition == "in":
        return str(have) in value.split(",")
    raise AssertionError(f"fake does not know condition {condition}")


def criteria_of(params: dict[str, str]) -> tuple[list[list[tuple[str, str, str]]], list[tuple[str, bool]], int, int]:
    groups: dict[int, dict[int, dict[str, str]]] = {}
    sorts: dict[int, dict[str, str]] = {}
    for key, value in params.items():
        parts = key.replace("]", "").split("[")
        if parts[:2] == ["searchCriteria", "filter_groups"]:
            groups.setdefault(int(parts[2]), {}).setdefault(int(parts[4]), {})[parts[5]] = value
        elif parts[:2] == ["searchCriteria", "sortOrders"]:
            sorts.setdefault(int(parts[2]), {})[parts[3]] = value
    filters = [
        [(f["field"], f["value"], f.get("condition_type", "eq")) for _, f in sorted(g.items())]
        for _, g in sorted(groups.items())
    ]
    order = [(s["field"], s.get("direction", "DESC") == "ASC") for _, s in sorted(sorts.items())]
    size = int(params.get("searchCriteria[pageSize]", "20"))
    page = int(params.get("searchCriteria[currentPage]", "1"))
    return filters, order, size, page


def search_handler(
    rows: list[dict[str, Any]], *, id_key: str = "entity_id", repeat_last_page: bool = True, max_size: int = 300
) -> Handler:
    """searchCriteria over `rows`; the sort field `entity_id` reads the item's `id_key`. Past the last page the
    last page comes back again when `repeat_last_page` (the legacy behaviour)."""

    def handle(call: Call) -> HttpReply | dict[str, Any]:
        groups, order, size, page = criteria_of(call.params)
        if size > max_size:
            return reply({"message": "Maximum SearchCriteria pageSize is %1", "parameters": [max_size]}, 400)

        def value(row: dict[str, Any], *, name: str) -> Any:
            return row.get(id_key if name == "entity_id" else name)

        found = [
            r
            for r in rows
            if all(any(_matches({**r, "entity_id": r.get(id_key)}, f, v, c) for f, v, c in group) for group in groups)
        ]
        for name, ascending in reversed(order):
            found.sort(key=partial(value, name=name), reverse=not ascending)
        last_page = max(1, -(-len(found) // size))
        shown = min(page, last_page) if repeat_last_page else page
        items = found[(shown - 1) * size : shown * size]
        return {
            "items": items,
            "search_criteria": {"page_size": size, "current_page": page},
            "total_count": len(found),
        }

    return handle


def orders(count: int, *, start: float = 1_704_067_200.0, step: int = 60) -> list[dict[str, Any]]:
    """Orders 1..count, updated `step` seconds apart from 2024-01-01 00:00:00 UTC (some share a second)."""
    rows = []
    for n in range(1, count + 1):
        when = time.strftime("%Y-%m-%d %H:%M:%S", time.gmtime(start + (n // 2) * step))
        rows.append({"entity_id": n, "increment_id": f"{n:09d}", "updated_at": when, "grand_total": n * 10.0})
    return rows
