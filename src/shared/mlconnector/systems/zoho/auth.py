"""The refresh-token grant and how a request carries its token (reference §1.2-1.3, verified §2.3).

- `POST {accounts}/oauth/v2/token` with a form body (`grant_type=refresh_token`, refresh_token, client_id,
  client_secret), so no secret lands in a URL or an access log; redirects are never followed (the transport's rule).
- Failures come back as **HTTP 200** with `{"error": "invalid_code" | "invalid_client" | ...}` and no access_token
  (verified captures); the mint limit's answer (`Access Denied`, "too many requests continuously") is UNVERIFIED in
  text and status (200 or 400): either is read from the body.
- `expires_in` is seconds; older replies carried `expires_in_sec` with `expires_in` in milliseconds (both read). A
  token lives one hour: a longer lifetime read from a reply is cut to that, so a unit mix-up never keeps a dead token.
- `api_domain` is where the token is used; a reply may omit it (the last one known is kept). It is checked against
  Zoho's API hosts before the token is cached or sent anywhere.
- Requests carry `Authorization: Zoho-oauthtoken <token>` (Bearer is UNVERIFIED for CRM: not used).

Zoho mints at most 10 access tokens per refresh token in any 10 minutes. Tokens are shared through the DynamoDB cache
(one mint per hour for every container and run); a `MintGuard` stops this client itself from asking again and again
when something keeps refusing the tokens it gets.
"""

from __future__ import annotations

import threading
import time
from collections import deque
from collections.abc import Callable
from dataclasses import replace
from urllib.parse import urlencode

from mlconnector import oauth_tokens
from mlconnector.http import HttpReply, HttpRequest, retry_after_from
from mlconnector.oauth_tokens import AccessToken
from mlconnector.systems.zoho.credentials import ZohoCredentials
from mlconnector.systems.zoho.endpoint import check_api_domain, token_url
from mlconnector.systems.zoho.errors import (
    AuthenticationError,
    ConfigurationError,
    ParseError,
    TokenMintLimited,
    TransientError,
    ZohoError,
)

SCHEME = "Zoho-oauthtoken"
FORM_TYPE = "application/x-www-form-urlencoded"
TOKEN_SECONDS = 3600.0
"""An access token's life (reference §1.2)."""
MINT_WINDOW_SECONDS = 600.0
MINT_LIMIT = 10
"""Zoho's limit: 10 access tokens per refresh token in any 10 minutes."""

_FIXES = {
    "invalid_code": (
        "the refresh token is wrong, revoked, or was a one-time grant code: generate a refresh token for this client "
        "again and store it as refresh_token"
    ),
    "invalid_client": (
        "client_id or client_secret is wrong, or the client belongs to another data centre than {dc}: check them "
        "and data_centre in the Zoho secret"
    ),
}


def authorization(token: AccessToken) -> str:
    return f"{SCHEME} {token.token}"


def grant_request(credentials: ZohoCredentials) -> HttpRequest:
    form = (
        ("grant_type", "refresh_token"),
        ("client_id", credentials.client_id),
        ("client_secret", credentials.client_secret),
        ("refresh_token", credentials.refresh_token),
    )
    return HttpRequest(
        "POST", token_url(credentials.accounts_url), body=urlencode(form).encode(), headers={"Content-Type": FORM_TYPE}
    )


def token_from_grant(
    reply: HttpReply, *, now: float, credentials: ZohoCredentials, last_api_domain: str | None
) -> AccessToken:
    """The access token of a grant reply, its api_domain checked (ConfigurationError naming a host outside Zoho);
    else the grant's error: refused credentials fail fast, the mint limit stops the run, 5xx is retried."""
    secrets = credentials.secrets()
    if reply.status >= 500 or reply.status == 408:
        raise TransientError(f"Zoho token grant: HTTP {reply.status}", status=reply.status)
    refused = _refused(credentials, reply.status)
    if not 200 <= reply.status < 300:
        detail = oauth_tokens.oauth_error_text(reply.body, secrets)
        if detail:
            raise refused(detail)
        if reply.status == 429:
            wait = retry_after_from(reply.headers, now=now)
            raise _mint_limited("HTTP 429", wait)
        raise ConfigurationError(
            f"Zoho token grant: HTTP {reply.status} from {credentials.accounts_url}; check accounts_url and "
            "data_centre",
            status=reply.status,
        )
    token = oauth_tokens.token_from_reply(
        reply.body,
        now=now,
        secrets=secrets,
        reply="Zoho token grant reply",
        refused=refused,
        unreadable=lambda message: ParseError(message, status=reply.status, max_attempts=2),
        lifetime_fields=("expires_in_sec", "expires_in"),
        endpoint_field="api_domain",
    )
    domain = token.endpoint or last_api_domain or credentials.default_api_domain
    checked = check_api_domain(domain, credentials.allowed_sandbox_hosts)
    return replace(token, expires_at=min(token.expires_at, now + TOKEN_SECONDS), endpoint=checked)


def _refused(credentials: ZohoCredentials, status: int) -> Callable[[str], ZohoError]:
    """What a grant's error body (`error: error_description`, scrubbed) means."""

    def refused(detail: str) -> ZohoError:
        code = detail.split(":", 1)[0].strip()
        if "too many requests" in detail.lower() or code.lower() == "access denied":
            return _mint_limited(detail, None)
        fix = _FIXES.get(code, "check client_id, client_secret and refresh_token in the Zoho secret").format(
            dc=f"{credentials.data_centre or 'this'} ({credentials.accounts_url})"
        )
        return AuthenticationError(
            f"Zoho token grant refused: {fix}", status=status, code=code, detail=detail.partition(":")[2].strip()
        )

    return refused


def _mint_limited(detail: str, wait: float | None) -> TokenMintLimited:
    return TokenMintLimited(
        "Zoho mints no more access tokens for this refresh token for now (at most 10 in any 10 minutes): wait about "
        "10 minutes, the next run resumes; if it recurs, make sure no other system uses this refresh token",
        retry_after=wait if wait is not None else MINT_WINDOW_SECONDS,
        detail=detail,
    )


class MintGuard:
    """At most `limit` tokens minted by this client in any `window_seconds`: beyond, something keeps refusing the
    tokens it gets (a wrong data centre, a revoked client), and asking Zoho again would only use up the refresh
    token's own allowance (10 in 10 minutes) for every container. Raises TokenMintLimited instead of asking."""

    def __init__(
        self,
        limit: int = 4,
        window_seconds: float = MINT_WINDOW_SECONDS,
        *,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        if not 1 <= limit <= MINT_LIMIT:
            raise ValueError(f"MintGuard needs 1 <= limit <= {MINT_LIMIT}")
        self.limit = limit
        self.window_seconds = window_seconds
        self._clock = clock
        self._minted: deque[float] = deque()
        self._lock = threading.Lock()

    def check(self) -> None:
        with self._lock:
            now = self._clock()
            while self._minted and self._minted[0] <= now - self.window_seconds:
                self._minted.popleft()
            if len(self._minted) >= self.limit:
                wait = self._minted[0] + self.window_seconds - now
                raise TokenMintLimited(
                    f"Zoho token grant: this client already minted {len(self._minted)} access tokens in "
                    f"{self.window_seconds / 60:.0f} minutes and Zoho refused them; not asking again for {wait:.0f} s "
                    "(check data_centre: a token of one data centre is refused by another's API host)",
                    retry_after=wait,
                )

    def minted(self) -> None:
        with self._lock:
            self._minted.append(self._clock())

    @property
    def count(self) -> int:
        with self._lock:
            return len(self._minted)
