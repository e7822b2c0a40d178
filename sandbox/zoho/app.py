"""The Zoho CRM v8 simulator: one listener plays this data centre's accounts server (``/oauth/v2/token``, and
``/dc/<code>/oauth/v2/token`` for the others) and its API host (``/crm/v8/...``).

Per API request: the concurrency gate (429 beyond the edition's limit), injected faults, the route (404/400), the
token (401), the module (400 INVALID_MODULE, or the edition's refusal for Vendors), the scope (401), credits (429),
then the operation. Errors use Zoho's envelope; the token endpoint answers its errors with HTTP 200.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from contextlib import AbstractContextManager, contextmanager
from dataclasses import dataclass
from typing import Any, ClassVar

from sandbox.core.admin import AdminRouter
from sandbox.core.clock import SimClock
from sandbox.core.credentials import Credentials
from sandbox.core.faults import FaultRule, RequestInfo
from sandbox.core.messages import SimRequest, SimResponse
from sandbox.core.simulator import Simulator
from sandbox.zoho import accounts
from sandbox.zoho.accounts import AccountsCall, accounts_call
from sandbox.zoho.auth import authenticate, known_token, require
from sandbox.zoho.config import ZohoSimConfig
from sandbox.zoho.context import ApiContext, Call
from sandbox.zoho.credits import CreditLedger
from sandbox.zoho.errors import (
    CREDITS,
    ApiError,
    internal_error,
    invalid_method,
    invalid_token,
    invalid_url,
    too_many_requests,
)
from sandbox.zoho.faults import ZOHO_FAULT_KINDS, ZohoFault, ZohoFaultPlan
from sandbox.zoho.journal import RequestJournal
from sandbox.zoho.limits import ConcurrencyGate
from sandbox.zoho.metadata import checked_module
from sandbox.zoho.operations import OPERATIONS, needs
from sandbox.zoho.responses import empty_response, error_response, json_response
from sandbox.zoho.routes import API_PREFIX, RECORD_OPS, Op, Route, resolve
from sandbox.zoho.seed import seed_database
from sandbox.zoho.state import SimState
from sandbox.zoho.tokens import TokenRegistry
from sandbox.zoho.upsert import record_count, upsert_cost

API_LISTENER = "api"
HEAVY_UPSERT = 10  # an upsert of more records than this counts against the sub-concurrency limit
CREDITS_HEADER = "X-API-CREDITS-REMAINING"


@dataclass(frozen=True)
class Parsed:
    """describe()'s verdict, carried to admit() and handle()."""

    kind: str  # "accounts", "api", "unknown"
    accounts: AccountsCall | None = None
    route: Route | None = None
    body: Any = None
    heavy: bool = False
    cost: int = 1


class ZohoSimulator(SimState, Simulator):
    name: ClassVar[str] = "zoho"
    listener_names: ClassVar[tuple[str, ...]] = (API_LISTENER,)
    custom_fault_kinds: ClassVar[frozenset[str]] = ZOHO_FAULT_KINDS

    def __init__(
        self,
        *,
        seed: int = 0,
        config: ZohoSimConfig | None = None,
        clock: SimClock | None = None,
        latency: float = 0.0,
    ) -> None:
        self.config = config if config is not None else ZohoSimConfig()
        self.db = seed_database(self.config, seed)
        super().__init__(seed=seed, clock=clock, latency=latency)
        self.faults = ZohoFaultPlan(seed, self.faults.kinds)
        self.tokens = TokenRegistry(self.clock, self.config)
        self.credits = CreditLedger(self.clock, lambda: self.config.credit_allowance)
        self.gate = ConcurrencyGate()
        self.journal = RequestJournal()

    # ------------------------------------------------------------------ URLs and credentials
    @property
    def base_url(self) -> str:
        """``http://127.0.0.1:<port>``: this data centre's accounts server and API host (``api_domain``)."""
        return self.url

    @property
    def accounts_url(self) -> str:
        return self.base_url

    def accounts_url_for(self, data_centre: str) -> str:
        """Another data centre's accounts server (the stand-in for accounts.zoho.eu ...)."""
        if data_centre.upper() == self.config.data_centre:
            return self.base_url
        return f"{self.base_url}/dc/{data_centre.lower()}"

    @property
    def api_url(self) -> str:
        """The API root the SDK builds paths on: ``<base_url>/crm/v8``."""
        return self.base_url + API_PREFIX

    @property
    def credentials(self) -> Credentials:
        return self.config.credentials(self.accounts_url)

    def context(self) -> ApiContext:
        return ApiContext(self.config, self.db, self.clock.now())

    # ------------------------------------------------------------------ the simulator protocol
    def describe(self, request: SimRequest) -> RequestInfo:
        call = accounts_call(request.path, self.config.data_centre)
        self.journal.add(request, keep_body=call is None)
        if call is not None:
            op = Op.OAUTH_REVOKE if call.revoke else Op.OAUTH_TOKEN
            return RequestInfo((op.value,), True, None, Parsed("accounts", accounts=call))
        if request.path != API_PREFIX and not request.path.startswith(API_PREFIX + "/"):
            return RequestInfo((), False, None, Parsed("unknown"))
        route = resolve(request.method, request.path.removeprefix(API_PREFIX))
        body: Any = None
        if route.has_body:
            try:
                body = json.loads(request.body) if request.body.strip() else None
            except ValueError:
                body = None  # refused as INVALID_DATA by the operation
        query = request.query
        heavy = (
            route.op in (Op.RECORDS_SEARCH, Op.COQL)
            or (route.op is Op.RECORDS_UPSERT and record_count(body) > HEAVY_UPSERT)
            or (route.op is Op.RECORDS_LIST and ("sort_by" in query or "cvid" in query))
        )
        cost = upsert_cost(body) if route.op is Op.RECORDS_UPSERT else 1
        tenant = self.db.org_id if known_token(request, self.tokens, self.config) is not None else None
        operations = (route.op.value,) if route.op is not None else ()
        return RequestInfo(
            operations, route.write, tenant, Parsed("api", route=route, body=body, heavy=heavy, cost=cost)
        )

    def admit(self, request: SimRequest, info: RequestInfo) -> AbstractContextManager[SimResponse | None]:
        del request
        return self._gate(info)

    @contextmanager
    def _gate(self, info: RequestInfo) -> Iterator[SimResponse | None]:
        """A slot of the org for the whole call (latency included); only calls bearing one of its tokens count."""
        parsed = info.parsed
        if not isinstance(parsed, Parsed) or parsed.kind != "api" or info.tenant is None:
            yield None
            return
        if not self.gate.enter(self.config.max_concurrency, parsed.heavy, self.config.sub_concurrency_limit):
            yield error_response(too_many_requests())
            return
        try:
            yield None
        finally:
            self.gate.leave(parsed.heavy)

    def handle(self, request: SimRequest, info: RequestInfo, fault: FaultRule | None) -> SimResponse:
        parsed = info.parsed
        assert isinstance(parsed, Parsed)
        if parsed.kind == "accounts" and parsed.accounts is not None:
            return self._accounts(request, parsed.accounts, fault)
        if parsed.kind != "api" or parsed.route is None:
            return error_response(invalid_url())
        try:
            return self._api(request, parsed, parsed.route, fault)
        except ApiError as error:
            return error_response(error, self._credit_headers())

    def _accounts(self, request: SimRequest, call: AccountsCall, fault: FaultRule | None) -> SimResponse:
        kind = fault.kind if fault is not None else None
        if kind == ZohoFault.ACCESS_DENIED:
            return accounts.access_denied(self.config)
        if kind == ZohoFault.TOKEN_ERROR:
            error = fault.body if fault is not None and fault.body else "invalid_code"
            return json_response({"error": error}, self.config.token_error_status)
        if call.revoke:
            return accounts.revoke(request, self.tokens)
        return accounts.token(request, call, self.tokens, self.config, self.base_url)

    def _api(self, request: SimRequest, parsed: Parsed, route: Route, fault: FaultRule | None) -> SimResponse:
        self._api_fault(fault)
        if route.op is None:
            raise invalid_method() if route.known_path else invalid_url()
        token = authenticate(request, self.tokens, self.config)
        ctx = self.context()
        module = checked_module(ctx, route.module) if route.op in RECORD_OPS else route.module
        require(token, needs(route.op, module, self.config), self.config)
        if not self.credits.try_spend(parsed.cost):
            raise self._credits_exhausted()
        query = {key: values[-1] for key, values in request.query.items()}
        call = Call(module, route.record_id, query, parsed.body, request.headers, token.scopes)
        try:
            reply = OPERATIONS[route.op](ctx, call)
        except ApiError:
            self.credits.refund(parsed.cost)  # a call refused as a whole costs nothing (UNVERIFIED)
            raise
        headers = {**self._credit_headers(), **reply.headers}
        if reply.payload is None:
            return empty_response(reply.status, headers)
        return json_response(reply.payload, reply.status, headers)

    def _api_fault(self, fault: FaultRule | None) -> None:
        kind = fault.kind if fault is not None else None
        if kind == ZohoFault.TOO_MANY_REQUESTS:
            raise too_many_requests()
        if kind == ZohoFault.CREDITS_EXHAUSTED:
            raise self._credits_exhausted()
        if kind == ZohoFault.INTERNAL_ERROR:
            raise internal_error()
        if kind == ZohoFault.INVALID_TOKEN:
            raise invalid_token()
        if kind == ZohoFault.EXPIRE_TOKENS:
            self.tokens.expire_all()

    def _credits_exhausted(self) -> ApiError:
        return ApiError(self.config.credits_exhausted_status, self.config.credits_exhausted_code, CREDITS)

    def _credit_headers(self) -> dict[str, str]:
        """X-API-CREDITS-REMAINING once the configured share of the allowance is used (SECONDARY)."""
        threshold, allowance = self.config.credits_header_threshold, self.config.credit_allowance
        remaining = self.credits.remaining()
        if threshold is None or allowance is None or remaining is None or allowance - remaining < threshold * allowance:
            return {}
        return {CREDITS_HEADER: str(remaining)}

    def register_admin_routes(self, router: AdminRouter) -> None:
        super().register_admin_routes(router)
        from sandbox.zoho.admin import register_zoho_routes  # noqa: PLC0415 - admin imports this module

        register_zoho_routes(router, self)
