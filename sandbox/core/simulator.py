"""The simulator base class: the request pipeline shared by every simulated API.

serve() = admin endpoints, else: describe the request, pick a fault, count the call, admit it
(simulators may refuse, e.g. a concurrency limit), apply the configured latency, then run the
request through the fault (fail before, fail after committing, or hand simulator-specific faults
to ``handle``).
"""

from __future__ import annotations

import re
import threading
from abc import ABC, abstractmethod
from collections.abc import Mapping
from contextlib import AbstractContextManager, nullcontext
from typing import ClassVar

from sandbox.core.admin import ADMIN_PREFIX, AdminError, AdminRouter, json_body, number
from sandbox.core.calls import CallLog
from sandbox.core.clock import SimClock
from sandbox.core.faults import GENERIC_KINDS, PROCESS_THEN_FAIL, FaultKind, FaultPlan, FaultRule, RequestInfo
from sandbox.core.messages import SimRequest, SimResponse


class Simulator(ABC):
    """Subclasses set ``name``, ``listener_names`` and ``custom_fault_kinds`` and implement
    ``describe`` and ``handle``. The first listener name is the primary one (``url``)."""

    name: ClassVar[str] = "simulator"
    listener_names: ClassVar[tuple[str, ...]] = ("main",)
    custom_fault_kinds: ClassVar[frozenset[str]] = frozenset()

    def __init__(self, *, seed: int = 0, clock: SimClock | None = None, latency: float = 0.0) -> None:
        self.seed = seed
        self.clock = clock if clock is not None else SimClock()
        self.faults = FaultPlan(seed, GENERIC_KINDS | self.custom_fault_kinds)
        self.calls = CallLog()
        self.latency = latency
        self.urls: dict[str, str] = {}
        self._wake = threading.Event()
        self._wake_lock = threading.Lock()
        self.admin = AdminRouter()
        self.register_admin_routes(self.admin)

    # ----------------------------------------------------------------- lifecycle (called by the server)
    def attach(self, urls: Mapping[str, str]) -> None:
        """Told the base URL of every listener once the server is listening."""
        self.urls = dict(urls)
        self._wake.clear()

    def wake(self) -> None:
        """Cut short the sleeps in progress (latency, delay faults); later sleeps are unaffected."""
        with self._wake_lock:
            self._wake.set()
            self._wake.clear()

    def detach(self) -> None:
        """Wakes every sleeping request (latency, delay faults) so the server can stop promptly."""
        self._wake.set()

    @property
    def url(self) -> str:
        """Base URL of the primary listener."""
        return self.urls[self.listener_names[0]]

    def sleep(self, seconds: float) -> None:
        if seconds > 0:
            self._wake.wait(seconds)

    def reset_calls(self) -> None:
        self.calls.reset()

    # ----------------------------------------------------------------- what subclasses implement
    @abstractmethod
    def describe(self, request: SimRequest) -> RequestInfo:
        """Operation names, write/read, tenant: used for fault matching and call counting."""

    @abstractmethod
    def handle(self, request: SimRequest, info: RequestInfo, fault: FaultRule | None) -> SimResponse:
        """Process the request. ``fault`` is set only for this simulator's own fault kinds."""

    def admit(self, request: SimRequest, info: RequestInfo) -> AbstractContextManager[SimResponse | None]:
        """Hold a slot while the request runs; yield a response to refuse it instead (e.g. 429)."""
        del request, info
        return nullcontext(None)

    def corrupt(self, body: bytes) -> bytes:
        """A body that no XML or JSON parser accepts (MALFORMED fault)."""
        middle = len(body) // 2
        return body[:middle] + b"<&\x00>" + body[middle:]

    # ----------------------------------------------------------------- the pipeline
    def serve(self, request: SimRequest) -> SimResponse:
        if request.path.startswith(ADMIN_PREFIX):
            return self.admin.dispatch(request)
        info = self.describe(request)
        fault = self.faults.pick(request.path, info)
        self.calls.record(
            listener=request.listener,
            path=request.path,
            operations=info.operations,
            tenant=info.tenant,
            fault=fault.kind if fault else None,
        )
        with self.admit(request, info) as refusal:
            if refusal is not None:
                return refusal
            self.sleep(self.latency)
            return self._run(request, info, fault)

    def _run(self, request: SimRequest, info: RequestInfo, fault: FaultRule | None) -> SimResponse:
        if fault is None or fault.kind not in GENERIC_KINDS:
            return self.handle(request, info, fault)
        if fault.kind in PROCESS_THEN_FAIL:
            return self._fail_after(self.handle(request, info, None), fault)
        if fault.kind == FaultKind.DROP_BEFORE:
            return SimResponse.dropped()
        if fault.kind == FaultKind.DELAY:
            self.sleep(fault.seconds)
            return self.handle(request, info, None)
        return fault.error_response()  # STATUS, CLOUDFLARE: nothing was processed

    def _fail_after(self, response: SimResponse, fault: FaultRule) -> SimResponse:
        """The request was processed (and committed); now fail to deliver the answer."""
        if fault.kind == FaultKind.STATUS_AFTER_COMMIT:
            return fault.error_response()
        if fault.kind == FaultKind.DROP_AFTER:
            return SimResponse.dropped()
        if fault.kind == FaultKind.TRUNCATE:
            return response.with_body(response.body[: len(response.body) // 2])
        return response.with_body(self.corrupt(response.body))

    # ----------------------------------------------------------------- admin endpoints
    def register_admin_routes(self, router: AdminRouter) -> None:
        """Generic admin endpoints; subclasses call super() and add their own."""
        router.add("GET", r"health", lambda _r, _m: SimResponse.json({"simulator": self.name, "urls": self.urls}))
        router.add("GET", r"calls", lambda _r, _m: SimResponse.json(self.calls.snapshot()))
        router.add("POST", r"calls/reset", self._admin_reset_calls)
        router.add("GET", r"faults", self._admin_list_faults)
        router.add("POST", r"faults", self._admin_add_faults)
        router.add("DELETE", r"faults", self._admin_clear_faults)
        router.add("DELETE", r"faults/(\d+)", self._admin_remove_fault)
        router.add("GET", r"clock", lambda _r, _m: SimResponse.json({"now": self.clock.now().isoformat()}))
        router.add("POST", r"clock/advance", self._admin_advance_clock)
        router.add("GET", r"latency", lambda _r, _m: SimResponse.json({"seconds": self.latency}))
        router.add("POST", r"latency", self._admin_set_latency)

    def _admin_reset_calls(self, _request: SimRequest, _match: re.Match[str]) -> SimResponse:
        self.reset_calls()
        return SimResponse.json(self.calls.snapshot())

    def _admin_list_faults(self, _request: SimRequest, _match: re.Match[str]) -> SimResponse:
        return SimResponse.json(
            {"rules": [rule.to_json() for rule in self.faults.rules], "kinds": sorted(self.faults.kinds)}
        )

    def _admin_add_faults(self, request: SimRequest, _match: re.Match[str]) -> SimResponse:
        try:
            payload = request.json()
        except ValueError as exc:
            raise AdminError(400, f"body is not JSON: {exc}") from exc
        rules = self.faults.add_json(payload)
        return SimResponse.json({"rules": [rule.to_json() for rule in rules]}, status=201)

    def _admin_clear_faults(self, _request: SimRequest, _match: re.Match[str]) -> SimResponse:
        self.faults.clear()
        return SimResponse.json({"rules": []})

    def _admin_remove_fault(self, _request: SimRequest, match: re.Match[str]) -> SimResponse:
        if not self.faults.remove(int(match.group(1))):
            raise AdminError(404, f"no fault rule {match.group(1)}")
        return SimResponse.json({"removed": int(match.group(1))})

    def _admin_advance_clock(self, request: SimRequest, _match: re.Match[str]) -> SimResponse:
        now = self.clock.advance(number(json_body(request), "seconds"))
        return SimResponse.json({"now": now.isoformat()})

    def _admin_set_latency(self, request: SimRequest, _match: re.Match[str]) -> SimResponse:
        seconds = number(json_body(request), "seconds")
        if seconds < 0:
            raise AdminError(400, "latency must be >= 0")
        self.latency = seconds
        return SimResponse.json({"seconds": self.latency})
