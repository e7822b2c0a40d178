"""The API host's checks of ``Authorization: Zoho-oauthtoken <token>``: a missing or malformed header is 401
AUTHENTICATION_FAILURE; an unknown, revoked, expired or other-data-centre token is 401 INVALID_TOKEN; a token whose
grant lacks the operation's scope is 401 OAUTH_SCOPE_MISMATCH."""

from __future__ import annotations

from collections.abc import Iterable

from sandbox.core.messages import SimRequest
from sandbox.zoho.config import ZohoSimConfig
from sandbox.zoho.errors import ApiError, authentication_failure, invalid_token
from sandbox.zoho.scopes import Need, granted
from sandbox.zoho.tokens import AccessToken, TokenRegistry, TokenState

SCHEME = "zoho-oauthtoken"


def presented_token(request: SimRequest, config: ZohoSimConfig) -> str | None:
    """The token a request carries, or None when the header is missing or malformed. The scheme word is compared
    case-insensitively (UNVERIFIED); ``Bearer`` only with ``accept_bearer``."""
    scheme, _, value = request.header("authorization").strip().partition(" ")
    value = value.strip()
    if not value or " " in value:
        return None
    if scheme.lower() == SCHEME or (scheme.lower() == "bearer" and config.accept_bearer):
        return value
    return None


def known_token(request: SimRequest, registry: TokenRegistry, config: ZohoSimConfig) -> AccessToken | None:
    """The org's token a request carries, whatever its state (the concurrency gate counts by it)."""
    value = presented_token(request, config)
    return registry.check(value)[1] if value is not None else None


def authenticate(request: SimRequest, registry: TokenRegistry, config: ZohoSimConfig) -> AccessToken:
    value = presented_token(request, config)
    if value is None:
        raise authentication_failure()
    state, token = registry.check(value)
    if state is not TokenState.VALID or token is None or token.data_centre != config.data_centre:
        raise invalid_token()
    return token


def require(token: AccessToken, needs: Iterable[Need], config: ZohoSimConfig) -> None:
    """OAUTH_SCOPE_MISMATCH unless the token's grant covers every need."""
    if not granted(token.scopes, needs):
        raise ApiError(401, "OAUTH_SCOPE_MISMATCH", config.scope_mismatch_message)
