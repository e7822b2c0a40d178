"""Mailchimp Marketing API v3 client.

Modules: endpoint (data centre, API and archive hosts), credentials (API key or OAuth token, audience id), auth
(Basic or Bearer, OAuth metadata), problem (problem+json bodies), classify (status and refusal tables -> typed
errors), errors, members (subscriber hash, merge fields, batch subscribe outcomes), batches (batch operations and
their result archive), client (ties them together; `call_budget`: 10 connections at once), ping, spec.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from mlconnector.systems.lazy import lazy_exports

if TYPE_CHECKING:
    from mlconnector.systems.mailchimp.batches import BatchStatus, Operation, OperationOutcome, PollPolicy
    from mlconnector.systems.mailchimp.classify import HTTP_STATUS, RECORD_RULES
    from mlconnector.systems.mailchimp.client import MAX_IN_FLIGHT, MailchimpClient, call_budget
    from mlconnector.systems.mailchimp.credentials import MailchimpCredentials
    from mlconnector.systems.mailchimp.errors import (
        AlreadyExists,
        AuthenticationError,
        ConfigurationError,
        FieldError,
        MailchimpError,
        NotFound,
        ParseError,
        PermissionDenied,
        RateLimited,
        RecordError,
        TransientError,
    )
    from mlconnector.systems.mailchimp.members import MAX_BATCH_SUBSCRIBE, MemberOutcome, MergeField, subscriber_hash

# Every name below is imported from its module on first use, so importing the package (for its spec) stays cheap.
_EXPORTS = {
    "BatchStatus": "batches",
    "Operation": "batches",
    "OperationOutcome": "batches",
    "PollPolicy": "batches",
    "HTTP_STATUS": "classify",
    "RECORD_RULES": "classify",
    "MAX_IN_FLIGHT": "client",
    "MailchimpClient": "client",
    "call_budget": "client",
    "MailchimpCredentials": "credentials",
    "AlreadyExists": "errors",
    "AuthenticationError": "errors",
    "ConfigurationError": "errors",
    "FieldError": "errors",
    "MailchimpError": "errors",
    "NotFound": "errors",
    "ParseError": "errors",
    "PermissionDenied": "errors",
    "RateLimited": "errors",
    "RecordError": "errors",
    "TransientError": "errors",
    "MAX_BATCH_SUBSCRIBE": "members",
    "MemberOutcome": "members",
    "MergeField": "members",
    "subscriber_hash": "members",
}
__getattr__ = lazy_exports(__name__, _EXPORTS)

__all__ = [
    "HTTP_STATUS",
    "MAX_BATCH_SUBSCRIBE",
    "MAX_IN_FLIGHT",
    "RECORD_RULES",
    "AlreadyExists",
    "AuthenticationError",
    "BatchStatus",
    "ConfigurationError",
    "FieldError",
    "MailchimpClient",
    "MailchimpCredentials",
    "MailchimpError",
    "MemberOutcome",
    "MergeField",
    "NotFound",
    "Operation",
    "OperationOutcome",
    "ParseError",
    "PermissionDenied",
    "PollPolicy",
    "RateLimited",
    "RecordError",
    "TransientError",
    "call_budget",
    "subscriber_hash",
]
