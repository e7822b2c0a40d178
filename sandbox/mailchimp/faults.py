"""Mailchimp fault kinds, on top of the generic ones in sandbox.core.faults (5xx pages, timeouts, drops ...).
Each answers instead of running the call; none changes any state."""

from __future__ import annotations

from enum import StrEnum
from typing import Any

from sandbox.core.faults import FaultPlan, FaultRule


class MailchimpFault(StrEnum):
    TOO_MANY_REQUESTS = "too_many_requests"  # 429 problem+json, the connection-limit text
    EMPTY_429 = "empty_429"  # 429 without a body (Mailchimp's edge at very high volume)
    EMPTY_403 = "empty_403"  # 403 without a body (the same; the vendor plugin treats it as a rate limit)
    INTERNAL_ERROR = "internal_error"  # 500 problem+json "Internal Server Error"
    TOO_MANY_SIGNUPS = "too_many_signups"  # 400 Invalid Resource "... signed up to a lot of lists very recently"


MAILCHIMP_FAULT_KINDS = frozenset(kind.value for kind in MailchimpFault)
API_PATHS = "/3.0/*"


class MailchimpFaultPlan(FaultPlan):
    """A Mailchimp rule added without ``path`` or ``match`` applies to ``/3.0/*`` only, so the OAuth metadata and
    the archive downloads never use it up."""

    def add(self, rule: FaultRule | str, **options: Any) -> FaultRule:
        new = rule if isinstance(rule, FaultRule) else FaultRule(kind=rule, **options)
        if new.kind in MAILCHIMP_FAULT_KINDS and new.path is None and new.match is None:
            new.path = API_PATHS
        return super().add(new)
