"""Zoho CRM v8 client.

Modules: endpoint (data centres, accounts servers, api_domain checks), credentials (client, refresh token, data
centre), auth (the refresh-token grant, the Zoho-oauthtoken header, the mint guard), token_cache (the key of the
shared token), envelope (JSON with ids as text, the error envelope), classify (codes and statuses -> typed errors),
errors, records (per-record upsert results), metadata (modules and fields), criteria (search criteria), limits (the
edition's calls at once, heavy calls), client (ties them together), ping, spec.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from mlconnector.systems.lazy import lazy_exports

if TYPE_CHECKING:
    from mlconnector.systems.zoho.auth import MintGuard
    from mlconnector.systems.zoho.classify import CODES, HTTP_STATUS
    from mlconnector.systems.zoho.client import MAX_UPSERT, ZohoClient
    from mlconnector.systems.zoho.credentials import ZohoCredentials
    from mlconnector.systems.zoho.errors import (
        AccountsUnavailable,
        AuthenticationError,
        ConfigurationError,
        CreditsExhausted,
        ModuleUnavailable,
        ParseError,
        PermissionDenied,
        QuotaExceeded,
        RateLimited,
        RequestError,
        ScopeMissing,
        TokenMintLimited,
        TokenRejected,
        TransientError,
        ZohoError,
    )
    from mlconnector.systems.zoho.limits import call_budget, heavy_budget, max_concurrent
    from mlconnector.systems.zoho.metadata import FieldInfo, ModuleInfo
    from mlconnector.systems.zoho.records import UpsertResult

# Every name below is imported from its module on first use, so importing the package (for its spec) stays cheap.
_EXPORTS = {
    "MintGuard": "auth",
    "CODES": "classify",
    "HTTP_STATUS": "classify",
    "MAX_UPSERT": "client",
    "ZohoClient": "client",
    "ZohoCredentials": "credentials",
    "AccountsUnavailable": "errors",
    "AuthenticationError": "errors",
    "ConfigurationError": "errors",
    "CreditsExhausted": "errors",
    "ModuleUnavailable": "errors",
    "ParseError": "errors",
    "PermissionDenied": "errors",
    "QuotaExceeded": "errors",
    "RateLimited": "errors",
    "RequestError": "errors",
    "ScopeMissing": "errors",
    "TokenMintLimited": "errors",
    "TokenRejected": "errors",
    "TransientError": "errors",
    "ZohoError": "errors",
    "call_budget": "limits",
    "heavy_budget": "limits",
    "max_concurrent": "limits",
    "FieldInfo": "metadata",
    "ModuleInfo": "metadata",
    "UpsertResult": "records",
}
__getattr__ = lazy_exports(__name__, _EXPORTS)

__all__ = [
    "CODES",
    "HTTP_STATUS",
    "MAX_UPSERT",
    "AccountsUnavailable",
    "AuthenticationError",
    "ConfigurationError",
    "CreditsExhausted",
    "FieldInfo",
    "MintGuard",
    "ModuleInfo",
    "ModuleUnavailable",
    "ParseError",
    "PermissionDenied",
    "QuotaExceeded",
    "RateLimited",
    "RequestError",
    "ScopeMissing",
    "TokenMintLimited",
    "TokenRejected",
    "TransientError",
    "UpsertResult",
    "ZohoClient",
    "ZohoCredentials",
    "ZohoError",
    "call_budget",
    "heavy_budget",
    "max_concurrent",
]
