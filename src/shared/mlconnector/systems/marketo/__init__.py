"""Marketo REST client (Adobe Marketo Engage).

Modules: endpoint (Munchkin id, base URL allow-list), credentials, token_cache (AccessToken, TokenCache),
auth (identity call, token reuse and renewal), transport (HTTP), envelope (JSON reply), classify (error codes ->
typed errors and retries), errors, records (per-record results, 1018), describe, payload (1 MB bodies), client (ties
them together; `call_budget`: Marketo's 100 calls / 20 s and 10 in flight on the shared mlconnector.call_budget).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from mlconnector.systems.lazy import lazy_exports

if TYPE_CHECKING:
    from mlconnector.systems.marketo.auth import IdentityStyle, TokenPolicy
    from mlconnector.systems.marketo.classify import DEFAULT_RULES, ErrorRules
    from mlconnector.systems.marketo.client import MAX_BATCH, MarketoClient, call_budget
    from mlconnector.systems.marketo.credentials import MarketoCredentials
    from mlconnector.systems.marketo.describe import Describe, FieldInfo
    from mlconnector.systems.marketo.errors import (
        AuthenticationError,
        ConfigurationError,
        ErrorDetail,
        IdentityUnavailable,
        MarketoError,
        ParseError,
        PermissionDenied,
        QuotaExceeded,
        RateLimited,
        RequestError,
        TokenRejected,
        TransientError,
    )
    from mlconnector.systems.marketo.records import CRM_MANAGED, RecordResult, is_crm_managed
    from mlconnector.systems.marketo.token_cache import AccessToken, InMemoryTokenCache, TokenCache, token_cache_key

# Every name below is imported from its module on first use, so importing the package (for its spec) stays cheap.
_EXPORTS = {
    "IdentityStyle": "auth",
    "TokenPolicy": "auth",
    "DEFAULT_RULES": "classify",
    "ErrorRules": "classify",
    "MAX_BATCH": "client",
    "MarketoClient": "client",
    "call_budget": "client",
    "MarketoCredentials": "credentials",
    "Describe": "describe",
    "FieldInfo": "describe",
    "AuthenticationError": "errors",
    "ConfigurationError": "errors",
    "ErrorDetail": "errors",
    "IdentityUnavailable": "errors",
    "MarketoError": "errors",
    "ParseError": "errors",
    "PermissionDenied": "errors",
    "QuotaExceeded": "errors",
    "RateLimited": "errors",
    "RequestError": "errors",
    "TokenRejected": "errors",
    "TransientError": "errors",
    "CRM_MANAGED": "records",
    "RecordResult": "records",
    "is_crm_managed": "records",
    "AccessToken": "token_cache",
    "InMemoryTokenCache": "token_cache",
    "TokenCache": "token_cache",
    "token_cache_key": "token_cache",
}
__getattr__ = lazy_exports(__name__, _EXPORTS)

__all__ = [
    "CRM_MANAGED",
    "DEFAULT_RULES",
    "MAX_BATCH",
    "AccessToken",
    "AuthenticationError",
    "ConfigurationError",
    "Describe",
    "ErrorDetail",
    "ErrorRules",
    "FieldInfo",
    "IdentityStyle",
    "IdentityUnavailable",
    "InMemoryTokenCache",
    "MarketoClient",
    "MarketoCredentials",
    "MarketoError",
    "ParseError",
    "PermissionDenied",
    "QuotaExceeded",
    "RateLimited",
    "RecordResult",
    "RequestError",
    "TokenCache",
    "TokenPolicy",
    "TokenRejected",
    "TransientError",
    "call_budget",
    "is_crm_managed",
    "token_cache_key",
]
