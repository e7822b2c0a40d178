"""The Intacct XML gateway simulator: HTTP checks, envelope, sender, operations, faults."""

from __future__ import annotations

import secrets
from collections.abc import Iterator
from contextlib import AbstractContextManager, contextmanager
from typing import ClassVar

from sandbox.core.admin import AdminRouter
from sandbox.core.clock import SimClock
from sandbox.core.credentials import Credentials
from sandbox.core.faults import FaultRule, RequestInfo
from sandbox.core.messages import SimRequest, SimResponse
from sandbox.core.pages import html_error_page
from sandbox.core.simulator import Simulator
from sandbox.intacct import errors
from sandbox.intacct.admin import register_intacct_routes
from sandbox.intacct.authentication import authenticate, sender_valid
from sandbox.intacct.catalogue import store_definitions
from sandbox.intacct.concurrency import CompanyGate
from sandbox.intacct.config import GATEWAY_PATH, LOGIN_LISTENER, SESSION_LISTENER, IntacctSimConfig
from sandbox.intacct.context import FunctionContext
from sandbox.intacct.custom_objects import custom_definition
from sandbox.intacct.envelope import ControlEcho, EnvelopeError, GatewayRequest, LoginAuth, parse_request
from sandbox.intacct.faults import INTACCT_FAULT_KINDS, IntacctFault
from sandbox.intacct.idempotency import CompletedControlIds
from sandbox.intacct.operations import OperationRunner
from sandbox.intacct.records import add_record, edit_record, find_record, remove_record
from sandbox.intacct.responses import control_failure, operation_xml, success
from sandbox.intacct.result_sets import ResultSetCache
from sandbox.intacct.seed import SeedVolumes, seed_store
from sandbox.intacct.sessions import SessionRegistry
from sandbox.intacct.store import Record, RecordStore
from sandbox.intacct.supdoc_records import Supdoc, all_supdocs, find_supdoc
from sandbox.intacct.values import format_timestamp, zone
from sandbox.intacct.write import WRITE_FUNCTIONS

# UNVERIFIED how the real gateway answers other content types; the sandbox refuses them.
ACCEPTED_CONTENT_TYPES = frozenset({"application/xml", "text/xml"})
_OUTAGES = {
    IntacctFault.TRY_AGAIN_LATER: errors.try_again_later,
    IntacctFault.OFFLINE: errors.service_offline,
}


def _is_write(name: str) -> bool:
    return name in WRITE_FUNCTIONS or name == "installApp" or name.startswith(("create_", "update_", "delete_"))


class IntacctSimulator(Simulator):
    name: ClassVar[str] = "intacct"
    listener_names: ClassVar[tuple[str, ...]] = (LOGIN_LISTENER, SESSION_LISTENER)
    custom_fault_kinds: ClassVar[frozenset[str]] = INTACCT_FAULT_KINDS

    def __init__(
        self,
        *,
        seed: int = 0,
        size: int = 100,
        config: IntacctSimConfig | None = None,
        clock: SimClock | None = None,
        latency: float = 0.0,
        volumes: SeedVolumes | None = None,
    ) -> None:
        self.config = config if config is not None else IntacctSimConfig()
        self.size = size
        self.store = RecordStore(store_definitions())
        seed_store(self.store, seed=seed, size=size, volumes=volumes)
        super().__init__(seed=seed, clock=clock, latency=latency)
        self.sessions = SessionRegistry(self.clock, lambda: self.config.session_lifetime_s)
        self.result_sets = ResultSetCache()
        self.completed = CompletedControlIds()
        self._gate = CompanyGate()

    # ------------------------------------------------------------------ URLs and credentials
    @property
    def gateway_url(self) -> str:
        """Where clients log in (the ``endpoint_url`` of the credentials)."""
        return self.urls[LOGIN_LISTENER] + GATEWAY_PATH

    @property
    def session_gateway_url(self) -> str:
        """What getAPISession returns as ``endpoint``, where its session is accepted: the login URL by
        default, the second listener (another port) with ``session_endpoint_mode="session"``."""
        return self.urls[self.config.session_listener] + GATEWAY_PATH

    @property
    def second_listener_url(self) -> str:
        """The gateway URL on the second ("session") listener, whatever the mode."""
        return self.urls[SESSION_LISTENER] + GATEWAY_PATH

    @property
    def credentials(self) -> Credentials:
        return self.config.credentials(self.gateway_url)

    # ------------------------------------------------------------------ state helpers for tests
    def now_stamp(self) -> str:
        return format_timestamp(self.clock.now(), zone(self.config.timezone))

    def get_record(self, object_name: str, key: str) -> Record | None:
        """A copy of the record with this natural key (or RECORDNO)."""
        record = find_record(self.store, object_name, key)
        return dict(record) if record is not None else None

    def update_record(self, object_name: str, key: str, fields: dict[str, object]) -> Record:
        """Change fields like a UI edit: WHENMODIFIED moves to the simulator's now."""
        return edit_record(self.store, object_name, key, fields, self.now_stamp())

    def insert_record(self, object_name: str, fields: dict[str, object]) -> Record:
        return add_record(self.store, object_name, fields, self.now_stamp())

    def delete_record(self, object_name: str, key: str) -> Record:
        return remove_record(self.store, object_name, key)

    def custom_records(self, integration_name: str) -> list[Record]:
        """Copies of every record of a custom object (``zendesk_ticket``), by id, installed or not."""
        obj = custom_definition(integration_name)
        if obj is None:
            raise KeyError(f"unknown custom object {integration_name!r}")
        return [dict(record) for record in self.store.all(obj.name)]

    def supdocs(self) -> list[Supdoc]:
        """Every attachment with its files (data decoded), in creation order."""
        return all_supdocs(self.store)

    def supdoc(self, supdoc_id: str) -> Supdoc | None:
        return find_supdoc(self.store, supdoc_id)

    def expire_sessions(self) -> int:
        return self.sessions.expire_all()

    def in_flight(self, company_id: str | None = None) -> int:
        """Requests of the company currently inside the concurrency gate (counted with or without a limit)."""
        return self._gate.in_flight((company_id or self.config.company_id).upper())

    def peak_in_flight(self, company_id: str | None = None) -> int:
        """The most requests of the company in flight at once since the start or `reset_peak_in_flight` (a request
        refused for the limit counts too: it arrived while the others ran). Tests check a client's own limit with it."""
        return self._gate.peak((company_id or self.config.company_id).upper())

    def refused_for_concurrency(self, company_id: str | None = None) -> int:
        """Requests of the company refused with 429 GW-0010 for the concurrency limit."""
        return self._gate.refused((company_id or self.config.company_id).upper())

    def reset_peak_in_flight(self) -> None:
        self._gate.reset_peak()

    # ------------------------------------------------------------------ the simulator protocol
    def describe(self, request: SimRequest) -> RequestInfo:
        if request.path != GATEWAY_PATH or request.method != "POST":
            return RequestInfo()
        try:
            parsed = parse_request(request.body)
        except EnvelopeError as exc:
            return RequestInfo(parsed=exc)
        names = parsed.function_names
        return RequestInfo(names, any(_is_write(n) for n in names), self._tenant(parsed), parsed)

    def _tenant(self, parsed: GatewayRequest) -> str | None:
        auth = parsed.operations[0].auth
        if isinstance(auth, LoginAuth):
            return auth.companyid.upper()
        session = self.sessions.peek(auth.sessionid)
        return session.company_id.upper() if session else None

    @contextmanager
    def _admission(self, info: RequestInfo) -> Iterator[SimResponse | None]:
        tenant, limit = info.tenant, self.config.concurrency_limit
        if tenant is None:
            yield None
            return
        if not self._gate.enter(tenant, limit):
            yield control_failure(_echo(info.parsed), [errors.rate_limited()], status=429)
            return
        try:
            yield None
        finally:
            self._gate.leave(tenant)

    def admit(self, request: SimRequest, info: RequestInfo) -> AbstractContextManager[SimResponse | None]:
        del request
        return self._admission(info)

    def handle(self, request: SimRequest, info: RequestInfo, fault: FaultRule | None) -> SimResponse:
        refusal = self._check_http(request, info) or self._refuse_request(info, fault)
        if refusal is not None:
            return refusal
        assert isinstance(info.parsed, GatewayRequest)  # _refuse_request answered everything else
        return self._operations(info.parsed, request.listener, fault)

    def _refuse_request(self, info: RequestInfo, fault: FaultRule | None) -> SimResponse | None:
        """Control-level answers: injected 429/400, unreadable envelope, wrong sender."""
        echo, parsed = _echo(info.parsed), info.parsed
        if fault is not None and fault.kind in (IntacctFault.RATE_LIMIT, IntacctFault.INVALID_REQUEST):
            return _injected_refusal(echo, fault)
        if isinstance(parsed, EnvelopeError):
            return control_failure(parsed.echo, [errors.xml_parse_error(parsed.message)])
        if not isinstance(parsed, GatewayRequest):
            return control_failure(echo, [errors.xml_parse_error("Empty request.")])
        if sender_valid(parsed.control, self.config):
            return None
        if self.config.auth_failure_mode == "http401":
            return control_failure(echo, [errors.sign_in_http401()], status=401)
        return control_failure(echo, [errors.sender_invalid()])

    def _check_http(self, request: SimRequest, info: RequestInfo) -> SimResponse | None:
        if request.path != GATEWAY_PATH:
            return SimResponse.text(html_error_page(404), status=404, content_type="text/html; charset=UTF-8")
        if request.method != "POST":
            # GET is blocked since 15 Jan 2023; the exact answer is UNVERIFIED.
            error = errors.IntacctError("SIM-METHOD-NOT-ALLOWED", description2="Only POST requests are accepted.")
            return control_failure(ControlEcho(), [error], status=405)
        content_type = request.header("content-type").split(";")[0].strip().lower()
        if content_type not in ACCEPTED_CONTENT_TYPES:
            message = f"Unsupported Content-Type {content_type or '(none)'}; send application/xml."
            return control_failure(_echo(info.parsed), [errors.xml_parse_error(message)])
        return None

    def _operations(self, parsed: GatewayRequest, listener: str, fault: FaultRule | None) -> SimResponse:
        kind = fault.kind if fault is not None else None
        outage_factory = _OUTAGES.get(IntacctFault(kind)) if kind in INTACCT_FAULT_KINDS else None
        sole = len(parsed.operations) == 1 and len(parsed.operations[0].functions) == 1
        rendered: list[str] = []
        for operation in parsed.operations:
            if kind == IntacctFault.INVALIDATE_SESSION and not isinstance(operation.auth, LoginAuth):
                self.sessions.invalidate(operation.auth.sessionid)
            outcome = authenticate(
                operation.auth,
                config=self.config,
                store=self.store,
                sessions=self.sessions,
                clock=self.clock,
                listener=listener,
            )
            if outcome.identity is None:
                if outcome.bad_credentials and self.config.auth_failure_mode == "http401":
                    return control_failure(parsed.control.echo, [errors.sign_in_http401()], status=401)
                rendered.append(operation_xml(outcome.block, [], outcome.errors))
                continue
            ctx = FunctionContext(
                config=self.config,
                store=self.store,
                clock=self.clock,
                sessions=self.sessions,
                result_sets=self.result_sets,
                identity=outcome.identity,
                session_endpoint=self.session_gateway_url,
                sole_function=sole,
            )
            runner = OperationRunner(ctx, self.completed, uniqueid=parsed.control.uniqueid)
            results = runner.run(operation, outage_factory() if outage_factory else None)
            rendered.append(operation_xml(outcome.block, results))
        return success(parsed.control.echo, rendered)

    def register_admin_routes(self, router: AdminRouter) -> None:
        super().register_admin_routes(router)
        register_intacct_routes(router, self)


def _echo(parsed: object) -> ControlEcho:
    if isinstance(parsed, GatewayRequest):
        return parsed.control.echo
    if isinstance(parsed, EnvelopeError):
        return parsed.echo
    return ControlEcho()


def _injected_refusal(echo: ControlEcho, fault: FaultRule) -> SimResponse:
    """429 GW-0010 or 400 GW-0011, with any extra headers of the rule (e.g. Retry-After)."""
    if fault.kind == IntacctFault.RATE_LIMIT:
        response = control_failure(echo, [errors.rate_limited()], status=fault.status or 429)
    else:
        response = control_failure(echo, [errors.invalid_request(secrets.token_hex(8))], status=fault.status or 400)
    return SimResponse(response.status, {**response.headers, **fault.headers}, response.body, response.reason)
