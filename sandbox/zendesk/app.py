"""The Zendesk Support API simulator: one listener plays ``https://{subdomain}.zendesk.com`` — the OAuth token endpoint
(``/oauth/tokens``) and the API (``/api/v2/...``, ``.json`` optional).

Per API request: injected faults, the route (404), authentication (401), the account's per-minute budget and, for
incremental exports, their own 10 a minute (429 + Retry-After), then the operation. Every API answer carries
X-Rate-Limit and X-Rate-Limit-Remaining; ticketing endpoints also ratelimit-limit/-remaining/-reset.
"""

from __future__ import annotations

import json
import math
from dataclasses import dataclass
from typing import Any, ClassVar

from sandbox.core.admin import AdminRouter
from sandbox.core.clock import SimClock
from sandbox.core.credentials import Credentials
from sandbox.core.faults import FaultRule, RequestInfo
from sandbox.core.messages import SimRequest, SimResponse
from sandbox.core.simulator import Simulator
from sandbox.zendesk.auth import authenticate, token_endpoint
from sandbox.zendesk.config import ZendeskSimConfig
from sandbox.zendesk.context import ApiContext, Call
from sandbox.zendesk.errors import ApiError, conflict, no_route, rate_limited, server_error
from sandbox.zendesk.faults import ZENDESK_FAULT_KINDS, ZendeskFault, ZendeskFaultPlan
from sandbox.zendesk.limits import Budget, RateLimiter
from sandbox.zendesk.operations import OPERATIONS
from sandbox.zendesk.routes import TICKETING, Op, Route, resolve
from sandbox.zendesk.seed import seed_account
from sandbox.zendesk.state import SimState
from sandbox.zendesk.store import Database
from sandbox.zendesk.tokens import TokenRegistry
from sandbox.zendesk.webhooks import WebhookEmitter

ACCOUNT_BUCKET = "account"
INCREMENTAL_BUCKET = "incremental"


@dataclass(frozen=True)
class Parsed:
    """describe()'s verdict, carried to handle()."""

    route: Route
    body: Any = None


class ZendeskSimulator(SimState, Simulator):
    name: ClassVar[str] = "zendesk"
    custom_fault_kinds: ClassVar[frozenset[str]] = ZENDESK_FAULT_KINDS

    def __init__(
        self,
        *,
        seed: int = 0,
        size: int = 0,
        config: ZendeskSimConfig | None = None,
        clock: SimClock | None = None,
        latency: float = 0.0,
    ) -> None:
        self.config = config if config is not None else ZendeskSimConfig()
        self.db = Database(seed, name_case_insensitive=self.config.name_case_insensitive)
        super().__init__(seed=seed, clock=clock, latency=latency)
        self.faults = ZendeskFaultPlan(seed, self.faults.kinds)
        self.tokens = TokenRegistry(self.clock, self.config)
        self.limiter = RateLimiter(self.clock)
        self.webhooks = WebhookEmitter(self.config.account_id, self.config.webhook_id)
        seed_account(self.context(), seed, size)

    # ------------------------------------------------------------------ URLs and credentials
    @property
    def base_url(self) -> str:
        """``http://127.0.0.1:<port>``: the stand-in for ``https://{subdomain}.zendesk.com``."""
        return self.url

    @property
    def credentials(self) -> Credentials:
        """The secret a connection holds: subdomain and base_url, then the OAuth client with the current refresh token
        (each refresh rotates it) or, with ``auth_mode="api_token"``, email and api_token."""
        return self.config.credentials(self.base_url, self.tokens.latest_refresh_token)

    def context(self) -> ApiContext:
        return ApiContext(self.config, self.db, self.clock.now(), self.urls.get("main", ""))

    # ------------------------------------------------------------------ the simulator protocol
    def describe(self, request: SimRequest) -> RequestInfo:
        route = resolve(request.method, request.path)
        body: Any = None
        if route.op is not None and route.op is not Op.OAUTH_TOKEN and request.body.strip():
            try:
                body = json.loads(request.body)
            except ValueError:
                body = None  # refused by the operation
        operations = (route.op.value,) if route.op is not None else ()
        return RequestInfo(operations, route.write, self.config.subdomain, Parsed(route, body))

    def handle(self, request: SimRequest, info: RequestInfo, fault: FaultRule | None) -> SimResponse:
        parsed = info.parsed
        assert isinstance(parsed, Parsed)
        headers: dict[str, str] = {}
        try:
            if parsed.route.op is Op.OAUTH_TOKEN:
                return SimResponse.json(token_endpoint(request, self.tokens, self.config))
            self._fault(fault, request.path)
            return self._api(request, parsed, headers)
        except ApiError as error:
            response = (
                SimResponse.json(error.payload, status=error.status)
                if error.text is None
                else SimResponse.text(error.text, status=error.status)
            )
            response.headers.update({**headers, **error.headers})
            return response

    def _api(self, request: SimRequest, parsed: Parsed, headers: dict[str, str]) -> SimResponse:
        route = parsed.route
        if route.op is None:
            raise no_route()
        authenticate(request, self.tokens, self.config)
        self._limits(route.op, headers)
        query = {key: values[-1] for key, values in request.query.items()}
        reply = OPERATIONS[route.op](self.context(), Call(route.record_id, query, parsed.body))
        if reply.payload is None:
            return SimResponse(status=reply.status, headers={**headers, **reply.headers})
        response = SimResponse.json(reply.payload, status=reply.status)
        response.headers.update({**headers, **reply.headers})
        return response

    def _limits(self, op: Op, headers: dict[str, str]) -> None:
        """Take from the account's budget (and the incremental one); headers say what is left."""
        account = self.limiter.take(ACCOUNT_BUCKET, self.config.rate_limit_per_minute)
        headers.update({"X-Rate-Limit": str(account.limit), "X-Rate-Limit-Remaining": str(account.remaining)})
        if op in TICKETING and self.config.ticketing_headers:
            headers.update(_ticketing_headers(account))
        if not account.allowed:
            error = rate_limited(account.reset_s)
            if self.config.rate_limit_body == "text":
                error.text = "Rate limit exceeded. Retry later."
            raise error
        if op is Op.INCREMENTAL_TICKETS:
            incremental = self.limiter.take(INCREMENTAL_BUCKET, self.config.incremental_per_minute)
            if not incremental.allowed:
                raise rate_limited(incremental.reset_s, incremental=True)

    def _fault(self, fault: FaultRule | None, path: str) -> None:
        if fault is None:
            return
        kind = fault.kind
        if kind == ZendeskFault.RATE_LIMITED:
            seconds = math.ceil(fault.seconds) if fault.seconds > 0 else 1
            raise rate_limited(seconds, incremental="/incremental/" in path)
        if kind == ZendeskFault.CONFLICT:
            raise conflict()
        if kind == ZendeskFault.SERVER_ERROR:
            raise server_error(fault.status or 500)
        if kind == ZendeskFault.EXPIRE_TOKENS:
            self.tokens.expire_all()

    def register_admin_routes(self, router: AdminRouter) -> None:
        super().register_admin_routes(router)
        from sandbox.zendesk.admin import register_zendesk_routes  # noqa: PLC0415 - admin imports this module

        register_zendesk_routes(router, self)


def _ticketing_headers(budget: Budget) -> dict[str, str]:
    return {
        "ratelimit-limit": str(budget.limit),
        "ratelimit-remaining": str(budget.remaining),
        "ratelimit-reset": str(budget.reset_s),
    }
