"""Sage Intacct XML gateway client.

Modules: xml (strip-then-escape, elements), request (envelope), functions/ (one object per API
function), response (defusedxml parsing, failure levels), classify (retry matrix), errors,
transport (HTTP), endpoint (host allow-list), session (cache and renewal), credentials,
controlids, incremental (WHENMODIFIED cursor), redact (log redaction), client (ties them together).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from mlconnector.systems.lazy import lazy_exports

if TYPE_CHECKING:
    from mlconnector.systems.intacct.client import IntacctClient, QueryPage, WriteOutcome
    from mlconnector.systems.intacct.controlids import deterministic_controlid
    from mlconnector.systems.intacct.credentials import IntacctCredentials
    from mlconnector.systems.intacct.errors import (
        AuthenticationError,
        ConfigurationError,
        DuplicateControlId,
        ErrorDetail,
        IntacctError,
        ParseError,
        RateLimited,
        RequestSlotsBusy,
        ResultError,
        SessionExpired,
        TransientError,
        UnknownOutcome,
    )
    from mlconnector.systems.intacct.functions import (
        ApAdjustmentLine,
        CreateApAdjustment,
        CreatePoTransaction,
        PoTransactionLine,
        po_document_number,
    )
    from mlconnector.systems.intacct.incremental import max_timestamp, whenmodified_filter
    from mlconnector.systems.intacct.redact import redact_xml
    from mlconnector.systems.intacct.response import Result
    from mlconnector.systems.intacct.session import (
        CachedSession,
        InMemorySessionCache,
        SessionCache,
        SessionPolicy,
        session_cache_key,
    )

# Every name below is imported from its module on first use, so importing the package (for its spec) stays cheap.
_EXPORTS = {
    "IntacctClient": "client",
    "QueryPage": "client",
    "WriteOutcome": "client",
    "deterministic_controlid": "controlids",
    "IntacctCredentials": "credentials",
    "AuthenticationError": "errors",
    "ConfigurationError": "errors",
    "DuplicateControlId": "errors",
    "ErrorDetail": "errors",
    "IntacctError": "errors",
    "ParseError": "errors",
    "RateLimited": "errors",
    "RequestSlotsBusy": "errors",
    "ResultError": "errors",
    "SessionExpired": "errors",
    "TransientError": "errors",
    "UnknownOutcome": "errors",
    "ApAdjustmentLine": "functions",
    "CreateApAdjustment": "functions",
    "CreatePoTransaction": "functions",
    "PoTransactionLine": "functions",
    "po_document_number": "functions",
    "max_timestamp": "incremental",
    "whenmodified_filter": "incremental",
    "redact_xml": "redact",
    "Result": "response",
    "CachedSession": "session",
    "InMemorySessionCache": "session",
    "SessionCache": "session",
    "SessionPolicy": "session",
    "session_cache_key": "session",
}
__getattr__ = lazy_exports(__name__, _EXPORTS)

__all__ = [
    "ApAdjustmentLine",
    "AuthenticationError",
    "CachedSession",
    "ConfigurationError",
    "CreateApAdjustment",
    "CreatePoTransaction",
    "DuplicateControlId",
    "ErrorDetail",
    "InMemorySessionCache",
    "IntacctClient",
    "IntacctCredentials",
    "IntacctError",
    "ParseError",
    "PoTransactionLine",
    "QueryPage",
    "RateLimited",
    "RequestSlotsBusy",
    "Result",
    "ResultError",
    "SessionCache",
    "SessionExpired",
    "SessionPolicy",
    "TransientError",
    "UnknownOutcome",
    "WriteOutcome",
    "deterministic_controlid",
    "max_timestamp",
    "po_document_number",
    "redact_xml",
    "session_cache_key",
    "whenmodified_filter",
]
