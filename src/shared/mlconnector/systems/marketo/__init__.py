"""Marketo REST client (Adobe Marketo Engage).

Modules: endpoint (Munchkin id, base URL allow-list), credentials, token_cache (AccessToken, TokenCache),
auth (identity call, token reuse and renewal), budget (100 calls / 20 s and 10 in flight, shared),
transport (HTTP), envelope (JSON reply), classify (error codes -> typed errors and retries), errors,
records (per-record results, 1018), describe, payload (1 MB bodies), client (ties them together).
"""

from mlconnector.systems.marketo.auth import IdentityStyle, TokenPolicy
from mlconnector.systems.marketo.budget import CallBudget
from mlconnector.systems.marketo.classify import DEFAULT_RULES, ErrorRules
from mlconnector.systems.marketo.client import MAX_BATCH, MarketoClient
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

__all__ = [
    "CRM_MANAGED",
    "DEFAULT_RULES",
    "MAX_BATCH",
    "AccessToken",
    "AuthenticationError",
    "CallBudget",
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
    "is_crm_managed",
    "token_cache_key",
]
