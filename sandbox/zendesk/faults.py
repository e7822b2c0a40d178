"""Zendesk fault kinds, on top of the generic ones in sandbox.core.faults (HTML 5xx pages, delays, drops ...). Each
answers instead of running the call; none changes any state except ``expire_tokens``."""

from __future__ import annotations

from enum import StrEnum
from typing import Any

from sandbox.core.faults import FaultPlan, FaultRule


class ZendeskFault(StrEnum):
    RATE_LIMITED = "rate_limited"  # 429 APIRateLimitExceeded + Retry-After (rule seconds, default 1)
    CONFLICT = "conflict"  # 409 on a concurrent write
    SERVER_ERROR = "server_error"  # JSON 5xx (rule status, default 500)
    EXPIRE_TOKENS = "expire_tokens"  # every live access token expires, then the call runs


ZENDESK_FAULT_KINDS = frozenset(kind.value for kind in ZendeskFault)
API_PATHS = "/api/v2/*"


class ZendeskFaultPlan(FaultPlan):
    """A Zendesk rule added without ``path`` or ``match`` applies to the API (``/api/v2/*``), not the token endpoint."""

    def add(self, rule: FaultRule | str, **options: Any) -> FaultRule:
        new = rule if isinstance(rule, FaultRule) else FaultRule(kind=rule, **options)
        if new.kind in ZENDESK_FAULT_KINDS and new.path is None and new.match is None:
            new.path = API_PATHS
        return super().add(new)
