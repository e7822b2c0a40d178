"""How a request carries its credentials, and the refresh-token grant (reference §1.1-1.3, verified §3.4).

- OAuth: `Authorization: Bearer {access_token}`. The grant is `POST https://{subdomain}.zendesk.com/oauth/tokens`
  with a JSON body (`grant_type=refresh_token`, refresh_token, client_id, client_secret), nothing secret in the URL.
  Its reply carries `access_token`, `refresh_token`, `expires_in` (and `refresh_token_expires_in`); field names beyond
  access_token are SECONDARY, so a reply without `expires_in` is taken as a token of DEFAULT_LIFETIME and one without
  `refresh_token` keeps the old refresh token.
- API token: `Authorization: Basic base64("{email}/token:{api_token}")`.
"""

from __future__ import annotations

import base64
import json

from mlconnector import oauth_tokens
from mlconnector.http import HttpReply, HttpRequest, retry_after_from
from mlconnector.rotating_tokens import Granted
from mlconnector.systems.zendesk.credentials import AuthMode, ZendeskCredentials
from mlconnector.systems.zendesk.endpoint import token_url
from mlconnector.systems.zendesk.errors import (
    AuthenticationError,
    ConfigurationError,
    ParseError,
    RateLimited,
    TransientError,
    ZendeskError,
)

JSON_TYPE = "application/json"
DEFAULT_LIFETIME = 1800.0
"""An access token's life when the grant's reply names none (the announced default for new clients: UNVERIFIED)."""
REAUTHORISE = (
    "the refresh token is invalid, expired or already used (a refresh rotates the pair): authorise the OAuth client "
    "again and put the new refresh_token in the Zendesk secret (a new one starts a new chain in the token store)"
)


def authorization(credentials: ZendeskCredentials, access_token: str | None = None) -> str:
    """The Authorization header: Bearer for OAuth (the current access token), Basic for an API token."""
    if credentials.mode is AuthMode.API_TOKEN:
        raw = f"{credentials.email}/token:{credentials.api_token}".encode()
        return "Basic " + base64.b64encode(raw).decode("ascii")
    token = access_token if credentials.mode is AuthMode.OAUTH else credentials.access_token
    if not token:
        raise ConfigurationError("Zendesk: no access token to send")  # a bug: the client passes one
    return f"Bearer {token}"


def grant_request(credentials: ZendeskCredentials, refresh_token: str) -> HttpRequest:
    body = {
        "grant_type": "refresh_token",
        "refresh_token": refresh_token,
        "client_id": credentials.client_id,
        "client_secret": credentials.client_secret,
    }
    return HttpRequest(
        "POST",
        token_url(credentials.origin),
        body=json.dumps(body, separators=(",", ":")).encode(),
        headers={"Content-Type": JSON_TYPE},
    )


def granted(reply: HttpReply, *, now: float, secrets: tuple[str, ...]) -> Granted:
    """The new pair of a grant reply; else the grant's error: refused credentials fail fast, 5xx and 429 retry."""
    if reply.status >= 500 or reply.status == 408:
        raise TransientError(f"Zendesk token grant: HTTP {reply.status}", status=reply.status)
    if reply.status == 429:
        wait = retry_after_from(reply.headers, now=now)
        raise RateLimited("Zendesk token grant: rate limited", retry_after=wait, min_wait=1.0, status=429)
    if not 200 <= reply.status < 300:
        detail = oauth_tokens.oauth_error_text(reply.body, secrets)
        code = detail.split(":", 1)[0].strip()
        raise AuthenticationError(
            f"Zendesk token grant refused: {REAUTHORISE} (or check client_id and client_secret)",
            status=reply.status,
            error=code,
            detail=detail.partition(":")[2].strip(),
        )
    token, refresh = oauth_tokens.rotated_tokens_from_reply(
        reply.body,
        now=now,
        secrets=secrets,
        reply="Zendesk token grant reply",
        refused=lambda detail: _refused(detail, reply.status),
        unreadable=lambda message: ParseError(message, status=reply.status, max_attempts=2),
        default_lifetime=DEFAULT_LIFETIME,
    )
    return Granted(token.token, token.expires_at - token.created_at, refresh)


def _refused(detail: str, status: int) -> ZendeskError:
    return AuthenticationError(
        f"Zendesk token grant refused: {REAUTHORISE}",
        status=status,
        error=detail.split(":", 1)[0].strip(),
        detail=detail.partition(":")[2].strip(),
    )
