"""Shared pieces of every simulator: HTTP server, simulator base class, faults, calls, clock."""

from sandbox.core.calls import CallLog, CallRecord
from sandbox.core.clock import SimClock
from sandbox.core.credentials import Credentials
from sandbox.core.faults import FaultKind, FaultPlan, FaultRule, RequestInfo
from sandbox.core.messages import SimRequest, SimResponse
from sandbox.core.server import LoopbackServer
from sandbox.core.simulator import Simulator

__all__ = [
    "CallLog",
    "CallRecord",
    "Credentials",
    "FaultKind",
    "FaultPlan",
    "FaultRule",
    "LoopbackServer",
    "RequestInfo",
    "SimClock",
    "SimRequest",
    "SimResponse",
    "Simulator",
]
