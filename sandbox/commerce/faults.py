"""Commerce fault kinds (on top of the generic ones in sandbox.core.faults)."""

from __future__ import annotations

from enum import StrEnum


class CommerceFault(StrEnum):
    UNAUTHORIZED = "unauthorized"  # 401 "consumer isn't authorized" (e.g. a revoked integration)
    EXPIRE_TOKENS = "expire_tokens"  # every IMS token expires first, so a SaaS call answers 401
    INTERNAL_ERROR = "internal_error"  # 500 "Internal Error ... Report ID: webapi-..." (nothing processed)


COMMERCE_FAULT_KINDS = frozenset(kind.value for kind in CommerceFault)
