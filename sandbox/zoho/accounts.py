"""The accounts server: ``POST /oauth/v2/token`` with the refresh-token grant (parameters in a form body or the query
string), ``POST /oauth/v2/token/revoke?token=<refresh token>``. Failures come back as HTTP 200 with
``{"error": ...}`` (verified captures), never as an HTTP error status.

This simulator's origin is its own data centre's accounts server; ``/dc/<code>/oauth/v2/token`` stands in for
another data centre's (``accounts.zoho.eu`` ...), which does not know this DC's client unless the config says the
client is multi-DC.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from urllib.parse import parse_qs

from sandbox.core.messages import SimRequest, SimResponse
from sandbox.zoho.config import DATA_CENTRES, ZohoSimConfig
from sandbox.zoho.responses import json_response
from sandbox.zoho.tokens import MintError, MintRequest, TokenRegistry

TOKEN_PATH = "/oauth/v2/token"  # noqa: S105 - a path, not a secret
REVOKE_PATH = "/oauth/v2/token/revoke"
_ACCOUNTS_PATH = re.compile(r"(?:/dc/(?P<dc>[A-Za-z]{2}))?(?P<tail>/oauth/v2/token(?:/revoke)?)/?")
ACCESS_DENIED_TEXT = "You have made too many requests continuously. Please try again after some time."


@dataclass(frozen=True)
class AccountsCall:
    data_centre: str
    revoke: bool


def accounts_call(path: str, home: str) -> AccountsCall | None:
    """The accounts-server call a path names, with the data centre it stands for; None for other paths."""
    match = _ACCOUNTS_PATH.fullmatch(path)
    if match is None:
        return None
    dc = (match.group("dc") or home).upper()
    if dc not in DATA_CENTRES:
        return None
    return AccountsCall(dc, match.group("tail") == REVOKE_PATH)


def _params(request: SimRequest) -> dict[str, str]:
    """Query parameters, then form-body parameters over them (the SDK sends a form body)."""
    merged = {key: values[-1] for key, values in request.query.items()}
    if request.body:
        form = parse_qs(request.body.decode("utf-8", "replace"), keep_blank_values=True)
        merged.update({key: values[-1] for key, values in form.items()})
    return merged


def token(
    request: SimRequest, call: AccountsCall, registry: TokenRegistry, config: ZohoSimConfig, origin: str
) -> SimResponse:
    if request.method.upper() != "POST":
        return SimResponse(status=405, headers={"Allow": "POST"}, reason="Method Not Allowed")  # UNVERIFIED
    params = _params(request)
    result = registry.mint(
        MintRequest(
            params.get("grant_type", ""),
            params.get("client_id", ""),
            params.get("client_secret", ""),
            params.get("refresh_token", ""),
            call.data_centre,
        )
    )
    if result is MintError.ACCESS_DENIED:
        return access_denied(config)
    if isinstance(result, MintError):
        return json_response({"error": str(result)}, config.token_error_status)
    lifetime = round(config.token_lifetime_s)
    payload: dict[str, object] = {"access_token": result.value, "scope": " ".join(result.scopes)}
    if config.api_domain_in_token_response:
        payload["api_domain"] = config.api_domain or origin
    payload["token_type"] = "Bearer"  # noqa: S105 - the token type, not a secret
    if config.legacy_expires_in_ms:
        payload.update(expires_in_sec=lifetime, expires_in=lifetime * 1000)
    else:
        payload["expires_in"] = lifetime
    return json_response(payload)


def access_denied(config: ZohoSimConfig) -> SimResponse:
    """The mint limit's answer (reference §1.2; exact text UNVERIFIED)."""
    body = {"error": str(MintError.ACCESS_DENIED), "error_description": ACCESS_DENIED_TEXT, "status": "failure"}
    return json_response(body, config.mint_limit_status)


def revoke(request: SimRequest, registry: TokenRegistry) -> SimResponse:
    refresh_token = _params(request).get("token", "")
    if registry.revoke(refresh_token):
        return json_response({"status": "success"})
    return json_response({"error": str(MintError.INVALID_CODE)})  # UNVERIFIED answer for an unknown token
