"""The Identity service: ``GET|POST /identity/oauth/token?grant_type=client_credentials&client_id=
&client_secret=`` (reference §2.1). Errors are Spring-style OAuth bodies, not the Marketo envelope."""

from __future__ import annotations

import hmac
from urllib.parse import parse_qs

from sandbox.core.messages import SimRequest, SimResponse
from sandbox.marketo.config import MarketoSimConfig
from sandbox.marketo.envelope import json_response
from sandbox.marketo.params import FORM, media_type
from sandbox.marketo.tokens import TokenRegistry

_NO_CACHE = {"Cache-Control": "no-store", "Pragma": "no-cache"}


def issue_token(request: SimRequest, config: MarketoSimConfig, tokens: TokenRegistry) -> SimResponse:
    params = _params(request)
    grant = params.get("grant_type")
    # UNVERIFIED: the answers to a missing or other grant type (Spring Security OAuth defaults).
    if not grant:
        return _oauth_error(400, "invalid_request", "Missing grant type")
    if grant != "client_credentials":
        return _oauth_error(400, "unsupported_grant_type", f"Unsupported grant type: {grant[:40]}")
    client_id, secret = params.get("client_id", ""), params.get("client_secret", "")
    expected = config.clients().get(client_id)
    if expected is None:
        return _oauth_error(401, "unauthorized", f"No client with requested id: {client_id[:80]}")
    if not hmac.compare_digest(secret.encode(), expected.encode()):
        return _oauth_error(401, "invalid_client", "Bad client credentials")
    token, seconds_left = tokens.issue(client_id)
    payload = {
        "access_token": token.value,
        "token_type": "bearer",
        "expires_in": seconds_left,
        "scope": config.api_user,
    }
    return json_response(payload, headers=_NO_CACHE)


def _params(request: SimRequest) -> dict[str, str]:
    """Query parameters; a form body is accepted too (UNVERIFIED, the reference suggests both)."""
    params = {key: values[0] for key, values in request.query.items() if values}
    if request.method.upper() == "POST" and media_type(request) == FORM:
        form = parse_qs(request.body.decode(errors="replace"), keep_blank_values=True)
        params.update({key: values[0] for key, values in form.items() if values})
    return params


def _oauth_error(status: int, error: str, description: str) -> SimResponse:
    return json_response({"error": error, "error_description": description}, status=status, headers=_NO_CACHE)
