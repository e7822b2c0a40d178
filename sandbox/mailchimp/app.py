"""The Mailchimp Marketing API v3 simulator. Per request: the concurrency gate (429 beyond 10 in flight per
account), then auth (401/403), injected Mailchimp faults, the route (404/405) and its operation; problem+json
for every refusal, ``X-Request-Id`` on every answer.

Besides ``/3.0/...`` the one listener serves ``/oauth2/metadata`` (login.mailchimp.com's, there is no such host
locally) and ``/batch-results/<id>.tar.gz`` (the batch archives, unauthenticated like the real pre-signed URLs).
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator, Mapping
from contextlib import AbstractContextManager, contextmanager
from dataclasses import dataclass
from typing import Any, ClassVar

from sandbox.core.admin import AdminRouter
from sandbox.core.clock import SimClock
from sandbox.core.credentials import Credentials
from sandbox.core.faults import FaultRule, RequestInfo
from sandbox.core.messages import SimRequest, SimResponse
from sandbox.core.simulator import Simulator
from sandbox.mailchimp import auth, batches
from sandbox.mailchimp.config import MailchimpSimConfig
from sandbox.mailchimp.context import ApiContext
from sandbox.mailchimp.dispatch import API_PREFIX, execute, run_operation
from sandbox.mailchimp.errors import (
    BAD_OVERRIDE,
    TOO_MANY_CONNECTIONS,
    ApiError,
    internal_error,
    not_found,
    too_many_signups,
)
from sandbox.mailchimp.faults import MAILCHIMP_FAULT_KINDS, MailchimpFault, MailchimpFaultPlan
from sandbox.mailchimp.limits import Connections
from sandbox.mailchimp.responses import (
    empty_response,
    json_response,
    no_content,
    problem_response,
    request_id,
)
from sandbox.mailchimp.routes import Op, Route, resolve
from sandbox.mailchimp.seed import seed_database
from sandbox.mailchimp.state import SimState
from sandbox.mailchimp.store import Database

API_LISTENER = "api"
_ARCHIVE = re.compile(r"/batch-results/([0-9a-f]+)\.tar\.gz")
_EXPIRED_ARCHIVE = (
    '<?xml version="1.0" encoding="UTF-8"?>\n<Error><Code>AccessDenied</Code>'
    "<Message>Request has expired</Message></Error>"
)  # UNVERIFIED: what an expired pre-signed object-store link answers


@dataclass(frozen=True)
class Parsed:
    """describe()'s verdict, carried to admit() and handle()."""

    kind: str  # "api", "metadata", "archive", "unknown"
    route: Route | None = None
    method: str = "GET"
    bad_override: bool = False
    batch_id: str = ""


class MailchimpSimulator(SimState, Simulator):
    name: ClassVar[str] = "mailchimp"
    listener_names: ClassVar[tuple[str, ...]] = (API_LISTENER,)
    custom_fault_kinds: ClassVar[frozenset[str]] = MAILCHIMP_FAULT_KINDS

    def __init__(
        self,
        *,
        seed: int = 0,
        config: MailchimpSimConfig | None = None,
        clock: SimClock | None = None,
        latency: float = 0.0,
    ) -> None:
        self.config = config if config is not None else MailchimpSimConfig()
        self.db = Database()
        super().__init__(seed=seed, clock=clock, latency=latency)
        self.faults = MailchimpFaultPlan(seed, self.faults.kinds)
        self.connections = Connections()
        self.list_id = seed_database(self.db, self.config, seed, self.clock.now()).id

    # ------------------------------------------------------------------ URLs and credentials
    @property
    def base_url(self) -> str:
        """``http://127.0.0.1:<port>``: the local stand-in for ``https://<dc>.api.mailchimp.com``."""
        return self.url

    @property
    def api_url(self) -> str:
        """The API root the official SDK calls ``host``: ``<base_url>/3.0``."""
        return self.base_url + API_PREFIX

    @property
    def credentials(self) -> Credentials:
        return self.config.credentials(self.base_url, self.list_id)

    def context(self) -> ApiContext:
        """What an operation sees, now (also used by the state helpers and admin endpoints)."""
        return ApiContext(
            self.config, self.db, self.clock.now(), self.api_url, self.base_url, runner=self._run_batch_operation
        )

    def _run_batch_operation(self, method: str, path: str, query: Mapping[str, str], body: bytes) -> tuple[int, str]:
        return run_operation(self.context(), method, path, query, body)

    # ------------------------------------------------------------------ the simulator protocol
    def describe(self, request: SimRequest) -> RequestInfo:
        if request.path == auth.METADATA_PATH:
            return RequestInfo((Op.OAUTH_METADATA.value,), False, None, Parsed("metadata"))
        archive = _ARCHIVE.fullmatch(request.path)
        if archive is not None:
            return RequestInfo((Op.BATCHES_ARCHIVE.value,), False, None, Parsed("archive", batch_id=archive.group(1)))
        if request.path != API_PREFIX and not request.path.startswith(API_PREFIX + "/"):
            return RequestInfo((), False, None, Parsed("unknown"))
        method = request.method.upper()
        override = request.header("x-http-method-override").strip().upper()
        bad_override = bool(override) and method != "POST"
        if override and method == "POST":
            method = override
        found = resolve(method, request.path.removeprefix(API_PREFIX) or "/", product_put=self.config.product_put)
        operations = (found.op.value,) if found.op is not None else ()
        tenant = auth.account_of(request, self.config)
        return RequestInfo(operations, found.write, tenant, Parsed("api", found, method, bad_override))

    def admit(self, request: SimRequest, info: RequestInfo) -> AbstractContextManager[SimResponse | None]:
        del request
        return self._gate(info)

    @contextmanager
    def _gate(self, info: RequestInfo) -> Iterator[SimResponse | None]:
        """A connection slot of the caller's account for the whole call (latency included)."""
        parsed = info.parsed
        if not isinstance(parsed, Parsed) or parsed.kind != "api" or info.tenant is None:
            yield None
            return
        limit = self.config.max_connections
        if not self.connections.enter(info.tenant, limit):
            yield self._throttled(self.config.throttle_style)
            return
        try:
            yield None
        finally:
            self.connections.leave(info.tenant)

    def _throttled(self, style: str) -> SimResponse:
        rid = request_id()
        if style == "empty_429":
            return empty_response(429, rid)
        if style == "empty_403":
            return empty_response(403, rid)
        limit = self.config.max_connections
        return self._problem(ApiError(429, "Too Many Requests", TOO_MANY_CONNECTIONS.format(limit=limit)), rid)

    def handle(self, request: SimRequest, info: RequestInfo, fault: FaultRule | None) -> SimResponse:
        parsed = info.parsed
        assert isinstance(parsed, Parsed)
        rid = request_id()
        if parsed.kind == "metadata":
            return json_response(auth.metadata(request, self.config, self.base_url), rid)
        if parsed.kind == "archive":
            return self._archive(parsed.batch_id, rid)
        if parsed.kind != "api" or parsed.route is None:
            return self._problem(not_found(), rid)
        try:
            return self._api(request, parsed, parsed.route, fault, rid)
        except ApiError as error:
            return self._problem(error, rid)

    def _api(self, request: SimRequest, parsed: Parsed, route: Route, fault: FaultRule | None, rid: str) -> SimResponse:
        kind = fault.kind if fault is not None else None
        if kind in (MailchimpFault.EMPTY_429, MailchimpFault.EMPTY_403):
            return self._throttled(str(kind))
        if kind == MailchimpFault.TOO_MANY_REQUESTS:
            return self._throttled("problem")
        refused = auth.refusal(request, self.config)
        if refused is not None:
            raise refused
        if parsed.bad_override:
            raise ApiError(422, "Invalid Method Override", BAD_OVERRIDE)
        if kind == MailchimpFault.INTERNAL_ERROR:
            raise internal_error()
        if kind == MailchimpFault.TOO_MANY_SIGNUPS:
            raise too_many_signups(_email_in(request.body))
        query = {key: values[-1] for key, values in request.query.items()}
        reply = execute(self.context(), parsed.method, route, query, request.body)
        return no_content(rid) if reply.payload is None else json_response(reply.payload, rid, reply.status)

    def _archive(self, batch_id: str, rid: str) -> SimResponse:
        data = batches.archive(self.context(), batch_id)
        if data is None:
            return SimResponse(
                status=403,
                headers={"Content-Type": "application/xml"},
                body=_EXPIRED_ARCHIVE.encode(),
                reason="Forbidden",
            )
        headers = {"Content-Type": "application/x-gzip", "X-Request-Id": rid}
        return SimResponse(status=200, headers=headers, body=data)

    def _problem(self, error: ApiError, rid: str) -> SimResponse:
        return problem_response(error, rid, dc=self.config.dc, with_type=self.config.problem_type)

    def register_admin_routes(self, router: AdminRouter) -> None:
        super().register_admin_routes(router)
        from sandbox.mailchimp.admin import register_mailchimp_routes  # noqa: PLC0415 - admin imports this module

        register_mailchimp_routes(router, self)


def _email_in(body: bytes) -> str:
    """The address a member write names (for the too_many_signups fault)."""
    try:
        payload: Any = json.loads(body or b"{}")
    except ValueError:
        return ""
    if isinstance(payload, dict) and isinstance(payload.get("members"), list) and payload["members"]:
        payload = payload["members"][0]
    return str(payload.get("email_address", "")) if isinstance(payload, dict) else ""
