"""Adobe Commerce (Magento 2) REST client, PaaS and SaaS.

Modules: endpoint (flavour from the instance URL, host checks), credentials, token_cache (IMS tokens shared
across containers), auth (OAuth 1.0a signing via oauthlib, Bearer, IMS), envelope (error body, template filling),
classify (HTTP status -> typed errors and retries), errors, search (searchCriteria and result pages), entities
(routes), incremental (updated_at cursor and overlap), client, reader (engine Reader).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from mlconnector.systems.lazy import lazy_exports

if TYPE_CHECKING:
    from mlconnector.systems.commerce.client import CommerceClient, PingResult
    from mlconnector.systems.commerce.credentials import CommerceCredentials
    from mlconnector.systems.commerce.endpoint import Flavour, Instance, check_instance_url, detect_flavour
    from mlconnector.systems.commerce.entities import ENTITIES, Entity
    from mlconnector.systems.commerce.envelope import fill_template, parse_error_body
    from mlconnector.systems.commerce.errors import (
        AuthenticationError,
        B2BUnavailable,
        CommerceError,
        ConfigurationError,
        NotFound,
        ParseError,
        RequestError,
        TokenRejected,
        TransientError,
    )
    from mlconnector.systems.commerce.reader import CommerceReader
    from mlconnector.systems.commerce.search import MAX_PAGE_SIZE, Filter, SearchCriteria, SearchPage, Sort
    from mlconnector.systems.commerce.token_cache import AccessToken, InMemoryTokenCache, TokenCache, token_cache_key

# Every name below is imported from its module on first use, so importing the package (for its spec) stays cheap.
_EXPORTS = {
    "CommerceClient": "client",
    "PingResult": "client",
    "CommerceCredentials": "credentials",
    "Flavour": "endpoint",
    "Instance": "endpoint",
    "check_instance_url": "endpoint",
    "detect_flavour": "endpoint",
    "ENTITIES": "entities",
    "Entity": "entities",
    "fill_template": "envelope",
    "parse_error_body": "envelope",
    "AuthenticationError": "errors",
    "B2BUnavailable": "errors",
    "CommerceError": "errors",
    "ConfigurationError": "errors",
    "NotFound": "errors",
    "ParseError": "errors",
    "RequestError": "errors",
    "TokenRejected": "errors",
    "TransientError": "errors",
    "CommerceReader": "reader",
    "MAX_PAGE_SIZE": "search",
    "Filter": "search",
    "SearchCriteria": "search",
    "SearchPage": "search",
    "Sort": "search",
    "AccessToken": "token_cache",
    "InMemoryTokenCache": "token_cache",
    "TokenCache": "token_cache",
    "token_cache_key": "token_cache",
}
__getattr__ = lazy_exports(__name__, _EXPORTS)

__all__ = [
    "ENTITIES",
    "MAX_PAGE_SIZE",
    "AccessToken",
    "AuthenticationError",
    "B2BUnavailable",
    "CommerceClient",
    "CommerceCredentials",
    "CommerceError",
    "CommerceReader",
    "ConfigurationError",
    "Entity",
    "Filter",
    "Flavour",
    "InMemoryTokenCache",
    "Instance",
    "NotFound",
    "ParseError",
    "PingResult",
    "RequestError",
    "SearchCriteria",
    "SearchPage",
    "Sort",
    "TokenCache",
    "TokenRejected",
    "TransientError",
    "check_instance_url",
    "detect_flavour",
    "fill_template",
    "parse_error_body",
    "token_cache_key",
]
