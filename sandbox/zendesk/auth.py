"""Who is calling: ``Authorization: Bearer <access token>`` or Basic ``{email}/token:{api_token}`` (reference §1);
anything else is 401 ``{"error": "Couldn't authenticate you"}``. And the OAuth token endpoint ``POST /oauth/tokens``
(JSON or form body; grant_type refresh_token or client_credentials)."""

from __future__ import annotations

import base64
import binascii
import json
from typing import Any
from urllib.parse import parse_qs

from sandbox.core.messages import SimRequest
from sandbox.zendesk.config import ZendeskSimConfig
from sandbox.zendesk.errors import ApiError, invalid_token, not_authenticated
from sandbox.zendesk.tokens import TokenRegistry, TokenState

MIN_EXPIRES_IN, MAX_EXPIRES_IN = 300, 172_800  # exclusive bounds of the requested expires_in (reference §1.2)


def authenticate(request: SimRequest, tokens: TokenRegistry, config: ZendeskSimConfig) -> str:
    """ "oauth" or "api_token"; ApiError 401 otherwise."""
    header = request.header("authorization")
    scheme, _, value = header.partition(" ")
    if scheme.lower() == "bearer" and value.strip():
        state = tokens.check(value.strip())
        if state is TokenState.VALID:
            return "oauth"
        raise invalid_token(config.expired_token_error)
    if scheme.lower() == "basic" and config.api_token_enabled:
        try:
            user, _, secret = base64.b64decode(value.strip(), validate=True).decode().partition(":")
        except (binascii.Error, UnicodeDecodeError) as exc:
            raise not_authenticated() from exc
        email, _, marker = user.rpartition("/")
        if marker == "token" and email.lower() == config.email.lower() and secret == config.api_token:
            return "api_token"
    raise not_authenticated()


def _form(request: SimRequest) -> dict[str, Any]:
    if "json" in request.header("content-type").lower():
        try:
            body = json.loads(request.body or b"{}")
        except ValueError:
            return {}
        return body if isinstance(body, dict) else {}
    return {key: values[-1] for key, values in parse_qs(request.body.decode(errors="replace")).items()}


def _oauth_error(status: int, error: str, description: str) -> ApiError:
    return ApiError(status, {"error": error, "error_description": description})


def token_endpoint(request: SimRequest, tokens: TokenRegistry, config: ZendeskSimConfig) -> dict[str, Any]:
    """The grant-type tokens API: the token response, or ApiError with an OAuth error."""
    form = _form(request)
    grant_type = str(form.get("grant_type", ""))
    if grant_type not in ("refresh_token", "client_credentials"):
        raise _oauth_error(400, "unsupported_grant_type", "The authorization grant type is not supported.")
    if form.get("client_id") != config.client_id or form.get("client_secret") != config.client_secret:
        raise _oauth_error(401, "invalid_client", "Client authentication failed.")
    expires_in = _expires_in(form.get("expires_in"))
    if grant_type == "client_credentials":
        access = tokens.client_credentials(expires_in)
        return {
            "access_token": access.value,
            "token_type": "bearer",
            "scope": access.scope,
            "expires_in": round(expires_in or config.access_token_lifetime_s),
        }
    pair = tokens.refresh(str(form.get("refresh_token", "")), expires_in)
    if pair is None or pair.refresh is None:
        raise _oauth_error(
            400,
            "invalid_grant",
            "The provided authorization grant is invalid, expired, revoked, or was issued to another client.",
        )
    return {
        "access_token": pair.access.value,
        "refresh_token": pair.refresh.value,
        "token_type": "bearer",
        "scope": pair.access.scope,
        "expires_in": round(expires_in or config.access_token_lifetime_s),
        "refresh_token_expires_in": round(config.refresh_token_lifetime_s),
    }


def _expires_in(value: object) -> float | None:
    if value in (None, ""):
        return None
    try:
        seconds = float(str(value))
    except ValueError as exc:
        raise _oauth_error(400, "invalid_request", "expires_in must be a number of seconds.") from exc
    if not MIN_EXPIRES_IN < seconds < MAX_EXPIRES_IN:
        raise _oauth_error(400, "invalid_request", "expires_in must be more than 300 and less than 172800.")
    return seconds
