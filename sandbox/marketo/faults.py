"""Marketo fault kinds (on top of the generic ones in sandbox.core.faults).

Each error kind answers one response-level error instead of running the call (nothing is executed
or charged). ``api_error`` takes its code from the rule's ``body`` (default 611). A Marketo rule
added without ``path`` and ``match`` applies to ``/rest/*`` only, so an identity call never uses it up.
"""

from __future__ import annotations

from enum import StrEnum
from typing import Any

from sandbox.core.faults import FaultPlan, FaultRule


class MarketoFault(StrEnum):
    ACCESS_DENIED = "access_denied"  # 603
    REQUEST_TIMEOUT = "request_timeout"  # 604
    RATE_LIMIT = "rate_limit"  # 606
    QUOTA_EXCEEDED = "quota_exceeded"  # 607
    UNAVAILABLE = "unavailable"  # 608
    SYSTEM_ERROR = "system_error"  # 611
    CONCURRENCY_LIMIT = "concurrency_limit"  # 615
    TRANSIENT_ERROR = "transient_error"  # 713
    API_ERROR = "api_error"  # the code in ``body``
    EXPIRE_TOKENS = "expire_tokens"  # every token expires first, so the call answers 602


FAULT_CODES: dict[str, str] = {
    MarketoFault.ACCESS_DENIED: "603",
    MarketoFault.REQUEST_TIMEOUT: "604",
    MarketoFault.RATE_LIMIT: "606",
    MarketoFault.QUOTA_EXCEEDED: "607",
    MarketoFault.UNAVAILABLE: "608",
    MarketoFault.SYSTEM_ERROR: "611",
    MarketoFault.CONCURRENCY_LIMIT: "615",
    MarketoFault.TRANSIENT_ERROR: "713",
}
MARKETO_FAULT_KINDS = frozenset(kind.value for kind in MarketoFault)
REST_PATHS = "/rest/*"


def forced_code(rule: FaultRule) -> str | None:
    """The response-level code a Marketo rule forces, if it is an error kind."""
    if rule.kind == MarketoFault.API_ERROR:
        return (rule.body or "611").strip()
    return FAULT_CODES.get(rule.kind)


class MarketoFaultPlan(FaultPlan):
    def add(self, rule: FaultRule | str, **options: Any) -> FaultRule:
        new = rule if isinstance(rule, FaultRule) else FaultRule(kind=rule, **options)
        if new.kind in MARKETO_FAULT_KINDS and new.path is None and new.match is None:
            new.path = REST_PATHS
        return super().add(new)
