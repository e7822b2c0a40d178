"""Intacct-specific fault kinds (on top of the generic ones in sandbox.core.faults)."""

from __future__ import annotations

from enum import StrEnum


class IntacctFault(StrEnum):
    RATE_LIMIT = "rate_limit"  # HTTP 429 + control failure GW-0010; nothing processed
    INVALID_REQUEST = "invalid_request"  # HTTP 400 + control failure GW-0011; nothing processed
    INVALIDATE_SESSION = "invalidate_session"  # the request's session dies first -> "Invalid session"
    TRY_AGAIN_LATER = "try_again_later"  # every function fails, correction "Please Try Again Later"
    OFFLINE = "offline"  # every function fails, "The Service is Temporarily Off-line"


INTACCT_FAULT_KINDS = frozenset(kind.value for kind in IntacctFault)
