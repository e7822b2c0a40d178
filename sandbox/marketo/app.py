"""The Marketo REST API simulator: Identity, then for every REST call HTTP limits (413/414), auth
(600/601/602), injected errors, method (605), rate window and quota (606/607), the operation."""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping
from contextlib import AbstractContextManager, contextmanager
from dataclasses import dataclass
from typing import ClassVar

from sandbox.core.admin import AdminRouter
from sandbox.core.clock import SimClock
from sandbox.core.credentials import Credentials
from sandbox.core.faults import GENERIC_KINDS, FaultRule, RequestInfo
from sandbox.core.messages import SimRequest, SimResponse
from sandbox.core.simulator import Simulator
from sandbox.marketo import seed as seed_data
from sandbox.marketo.admin import register_marketo_routes
from sandbox.marketo.codes import (
    RESPONSE_MESSAGES,
    ApiFailure,
    Problem,
    api_error,
    concurrency_limited,
    rate_limited,
)
from sandbox.marketo.config import MarketoSimConfig
from sandbox.marketo.context import ApiContext
from sandbox.marketo.envelope import failed, http_error, json_response, request_id, succeeded
from sandbox.marketo.faults import FAULT_CODES, MARKETO_FAULT_KINDS, MarketoFault, MarketoFaultPlan, forced_code
from sandbox.marketo.identity import issue_token
from sandbox.marketo.limits import CallBudget, InFlight
from sandbox.marketo.operations import OPERATIONS
from sandbox.marketo.params import bearer_token, query_token, request_params
from sandbox.marketo.routes import Op, Route, route
from sandbox.marketo.store import Database, Record
from sandbox.marketo.tokens import TokenRegistry, TokenState
from sandbox.marketo.values import stamp

API_LISTENER = "api"


@dataclass(frozen=True)
class Classified:
    """describe()'s verdict, carried to admit() and handle() so the request is parsed once."""

    route: Route | None
    http_status: int | None = None  # answered before the API: 404 (not an API path), 413, 414


class MarketoSimulator(Simulator):
    name: ClassVar[str] = "marketo"
    listener_names: ClassVar[tuple[str, ...]] = (API_LISTENER,)
    custom_fault_kinds: ClassVar[frozenset[str]] = MARKETO_FAULT_KINDS

    def __init__(
        self,
        *,
        seed: int = 0,
        config: MarketoSimConfig | None = None,
        clock: SimClock | None = None,
        latency: float = 0.0,
    ) -> None:
        self.config = config if config is not None else MarketoSimConfig()
        self.db = Database()
        super().__init__(seed=seed, clock=clock, latency=latency)
        self.faults = MarketoFaultPlan(seed, GENERIC_KINDS | self.custom_fault_kinds)
        self.tokens = TokenRegistry(self.clock, lambda: self.config.token_lifetime_s, lambda: self.config.pod_tag)
        self.budget = CallBudget()
        self.in_flight = InFlight()

    # ------------------------------------------------------------------ URLs and credentials
    @property
    def base_url(self) -> str:
        """``http://127.0.0.1:<port>``: the local stand-in for ``https://<munchkin>.mktorest.com``."""
        return self.url

    @property
    def credentials(self) -> Credentials:
        return self.config.credentials(self.base_url)

    # ------------------------------------------------------------------ state helpers for tests
    def now_stamp(self) -> str:
        return stamp(self.clock.now())

    @property
    def companies(self) -> dict[str, Record]:
        """Copies of every company, by externalCompanyId."""
        return seed_data.companies_by_external_id(self.db)

    @property
    def leads(self) -> dict[str, Record]:
        """Copies of every lead with an email, by lower-case email (inherited company fields shown)."""
        return seed_data.leads_by_email(self.db, self.config)

    def seed_companies(self, rows: Iterable[Mapping[str, object]]) -> list[Record]:
        return seed_data.seed_companies(self.db, self.config, rows, self.now_stamp())

    def seed_leads(self, rows: Iterable[Mapping[str, object]]) -> list[Record]:
        return seed_data.seed_leads(self.db, self.config, rows, self.now_stamp())

    def update_company(self, external_id: str, fields: Mapping[str, object]) -> Record:
        return seed_data.edit_company(self.db, self.config, external_id, fields, self.now_stamp())

    def update_lead(self, email: str, fields: Mapping[str, object]) -> Record:
        return seed_data.edit_lead(self.db, self.config, email, fields, self.now_stamp())

    def expire_tokens(self) -> int:
        return self.tokens.expire_all()

    def inject_error(self, code: str, *, times: int | None = 1, match: str | None = None) -> FaultRule:
        """Answer the response-level error ``code`` (e.g. "606") to the next ``times`` REST calls."""
        kinds = {value: kind for kind, value in FAULT_CODES.items()}
        kind = kinds.get(code, MarketoFault.API_ERROR)
        body = code if kind == MarketoFault.API_ERROR else None
        return self.faults.add(kind, times=times, match=match, body=body)

    def usage(self) -> dict[str, int]:
        """Calls in the rate window, charged today, and in flight right now."""
        now = self.clock.now()
        return {
            "window": self.budget.in_window(now, self.config),
            "today": self.budget.used_today(now, self.config),
            "in_flight": self.in_flight.count,
        }

    def reset_limits(self) -> None:
        self.budget.reset()

    # ------------------------------------------------------------------ the simulator protocol
    def describe(self, request: SimRequest) -> RequestInfo:
        found = route(request.method, request.path, request_params(request))
        if found is None:
            return RequestInfo(parsed=Classified(None, 404))
        status = None
        if len(request.path) + 1 + len(request.query_string) > self.config.max_uri_bytes:
            status = 414
        elif len(request.body) > self.config.max_body_bytes:
            status = 413
        operations = (found.op.value,) if found.op is not None else ()
        return RequestInfo(operations, found.write, None, Classified(found, status))

    def admit(self, request: SimRequest, info: RequestInfo) -> AbstractContextManager[SimResponse | None]:
        del request
        return self._admission(info.parsed)

    @contextmanager
    def _admission(self, parsed: object) -> Iterator[SimResponse | None]:
        """A slot among the concurrent calls of the instance (615 beyond the limit)."""
        counted = (
            isinstance(parsed, Classified)
            and parsed.http_status is None
            and parsed.route is not None
            and parsed.route.op is not None
            and parsed.route.limited
        )
        if not counted:
            yield None
            return
        limit = self.config.concurrency_limit
        if not self.in_flight.enter(limit):
            yield failed(self._request_id(), [concurrency_limited(limit)])
            return
        try:
            yield None
        finally:
            self.in_flight.leave()

    def handle(self, request: SimRequest, info: RequestInfo, fault: FaultRule | None) -> SimResponse:
        parsed = info.parsed
        assert isinstance(parsed, Classified)
        if parsed.http_status is not None or parsed.route is None:
            return http_error(parsed.http_status or 404)
        if parsed.route.op is Op.IDENTITY:
            return self._identity(request, parsed.route)
        return self._rest(request, parsed.route, fault)

    def _identity(self, request: SimRequest, found: Route) -> SimResponse:
        if not found.method_ok:  # UNVERIFIED: Spring's answer to other methods
            return json_response({"error": "method_not_allowed", "error_description": "Use GET or POST"}, 405)
        return issue_token(request, self.config, self.tokens)

    def _rest(self, request: SimRequest, found: Route, fault: FaultRule | None) -> SimResponse:
        rid = self._request_id()
        if found.op is None:
            return failed(rid, [api_error("610")])
        if fault is not None and fault.kind == MarketoFault.EXPIRE_TOKENS:
            self.tokens.expire_all()
        refusal = (
            self._authenticate(request)
            or self._forced(fault)
            or (None if found.method_ok else api_error("605"))
            or self.budget.charge(self.clock.now(), self.config)
        )
        if refusal is not None:
            return failed(rid, [refusal])
        context = ApiContext(self.config, self.db, self.now_stamp())
        try:
            reply = OPERATIONS[found.op](context, request, found)
        except ApiFailure as exc:
            return failed(rid, [exc.problem])
        return succeeded(rid, reply.result, reply.more)

    def _authenticate(self, request: SimRequest) -> Problem | None:
        legacy = query_token(request)
        if legacy is not None and not self.config.accept_query_token:
            return api_error("601")  # the query-parameter transport is refused, whatever the token
        token = bearer_token(request) or legacy
        if not token:
            code = self.config.empty_auth_code
            return Problem(code, RESPONSE_MESSAGES.get(code, "Empty access token"))
        state = self.tokens.check(token)
        if state is TokenState.EXPIRED:
            return api_error("602")
        return api_error("601") if state is TokenState.UNKNOWN else None

    def _forced(self, fault: FaultRule | None) -> Problem | None:
        code = forced_code(fault) if fault is not None else None
        if code == "606":
            return rate_limited(self.config.rate_limit_calls, self.config.rate_limit_window_s)
        if code == "615":
            return concurrency_limited(self.config.concurrency_limit)
        return None if code is None else api_error(code)

    def _request_id(self) -> str:
        return request_id(self.clock.now())

    def register_admin_routes(self, router: AdminRouter) -> None:
        super().register_admin_routes(router)
        register_marketo_routes(router, self)
