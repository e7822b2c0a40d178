"""Zendesk Support API client.

Modules: endpoint (the subdomain and its host, a sandbox base_url), credentials (OAuth, a fixed access token, the
legacy API token), auth (the Authorization header, the refresh grant that rotates the pair), classify (statuses and
error bodies -> typed errors), errors, jobs (job statuses, result items matched by index and id), organizations
(fields, look-ups, the name rule), export (the cursor-based ticket export and its 10-a-minute window), client (ties
them together), ping, spec. The rotating pair is shared through mlconnector.rotating_tokens and state/token_pairs.py.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from mlconnector.systems.lazy import lazy_exports

if TYPE_CHECKING:
    from mlconnector.systems.zendesk.client import MAX_JOBS, ZendeskClient
    from mlconnector.systems.zendesk.credentials import AuthMode, ZendeskCredentials
    from mlconnector.systems.zendesk.errors import (
        AuthenticationError,
        ConfigurationError,
        GrantUnanswered,
        NameTaken,
        ParseError,
        PermissionDenied,
        RateLimited,
        RequestError,
        RetryLater,
        TokenRefreshBusy,
        TokenRejected,
        TooManyJobs,
        TransientError,
        ZendeskError,
    )
    from mlconnector.systems.zendesk.export import TicketPage
    from mlconnector.systems.zendesk.jobs import JobItem, JobResult, JobStatus
    from mlconnector.systems.zendesk.organizations import OrganizationField

_EXPORTS = {
    "MAX_JOBS": "client",
    "ZendeskClient": "client",
    "AuthMode": "credentials",
    "ZendeskCredentials": "credentials",
    "AuthenticationError": "errors",
    "ConfigurationError": "errors",
    "GrantUnanswered": "errors",
    "NameTaken": "errors",
    "ParseError": "errors",
    "PermissionDenied": "errors",
    "RateLimited": "errors",
    "RequestError": "errors",
    "RetryLater": "errors",
    "TokenRefreshBusy": "errors",
    "TokenRejected": "errors",
    "TooManyJobs": "errors",
    "TransientError": "errors",
    "ZendeskError": "errors",
    "TicketPage": "export",
    "JobItem": "jobs",
    "JobResult": "jobs",
    "JobStatus": "jobs",
    "OrganizationField": "organizations",
}
__getattr__ = lazy_exports(__name__, _EXPORTS)

__all__ = [
    "MAX_JOBS",
    "AuthMode",
    "AuthenticationError",
    "ConfigurationError",
    "GrantUnanswered",
    "JobItem",
    "JobResult",
    "JobStatus",
    "NameTaken",
    "OrganizationField",
    "ParseError",
    "PermissionDenied",
    "RateLimited",
    "RequestError",
    "RetryLater",
    "TicketPage",
    "TokenRefreshBusy",
    "TokenRejected",
    "TooManyJobs",
    "TransientError",
    "ZendeskClient",
    "ZendeskCredentials",
    "ZendeskError",
]
