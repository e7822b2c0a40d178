"""Zoho fault kinds, on top of the generic ones in sandbox.core.faults (5xx pages, timeouts, drops ...). Each answers
instead of running the call; none changes any state except ``expire_tokens``."""

from __future__ import annotations

from enum import StrEnum
from typing import Any

from sandbox.core.faults import FaultPlan, FaultRule


class ZohoFault(StrEnum):
    TOO_MANY_REQUESTS = "too_many_requests"  # 429 TOO_MANY_REQUESTS (the concurrency refusal)
    CREDITS_EXHAUSTED = "credits_exhausted"  # the configured credits-exhausted answer
    INTERNAL_ERROR = "internal_error"  # 500 INTERNAL_ERROR
    INVALID_TOKEN = "invalid_token"  # noqa: S105 - 401 INVALID_TOKEN (the token stays valid)
    EXPIRE_TOKENS = "expire_tokens"  # every live token expires, then the call runs (-> 401 INVALID_TOKEN)
    ACCESS_DENIED = "access_denied"  # accounts server: the mint limit's "Access Denied"
    TOKEN_ERROR = "token_error"  # noqa: S105 - accounts server: HTTP 200 {"error": body or "invalid_code"}


ZOHO_FAULT_KINDS = frozenset(kind.value for kind in ZohoFault)
ACCOUNTS_FAULTS = frozenset({ZohoFault.ACCESS_DENIED, ZohoFault.TOKEN_ERROR})
API_PATHS = "/crm/*"
TOKEN_PATHS = "*/oauth/v2/token"  # noqa: S105 - a path glob


class ZohoFaultPlan(FaultPlan):
    """A Zoho rule added without ``path`` or ``match`` applies to the API (``/crm/*``), or for the accounts-server
    kinds to the token endpoint, so the other side never uses it up."""

    def add(self, rule: FaultRule | str, **options: Any) -> FaultRule:
        new = rule if isinstance(rule, FaultRule) else FaultRule(kind=rule, **options)
        if new.kind in ZOHO_FAULT_KINDS and new.path is None and new.match is None:
            new.path = TOKEN_PATHS if new.kind in ACCOUNTS_FAULTS else API_PATHS
        return super().add(new)
