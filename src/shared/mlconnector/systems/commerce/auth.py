"""Request authentication for both flavours.

PaaS OAuth 1.0a: every request is signed by oauthlib (RFC 5849, HMAC-SHA256, signature in the Authorization
header). The URL signed is the exact URL sent, query included (see `search.query_string`); JSON bodies are not
part of the base string. PaaS Bearer: the integration access token as is. SaaS: an Adobe IMS client-credentials
token plus `x-api-key` (the client id) and `x-gw-ims-org-id` (reference §2), and `Store` when a store view is set.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Sequence
from typing import Literal, cast
from urllib.parse import urlencode

from oauthlib.oauth1 import SIGNATURE_HMAC_SHA256, SIGNATURE_TYPE_AUTH_HEADER
from oauthlib.oauth1 import Client as OAuth1Client

from mlconnector import oauth_tokens
from mlconnector.http import HttpRequest
from mlconnector.systems.commerce.credentials import CommerceCredentials
from mlconnector.systems.commerce.errors import AuthenticationError, ParseError
from mlconnector.systems.commerce.token_cache import AccessToken, TokenCache

FORM_TYPE = "application/x-www-form-urlencoded"


def oauth1_authorization(credentials: CommerceCredentials, method: str, url: str) -> str:
    """The `Authorization: OAuth ...` value for this method and full URL (query string included)."""
    client = OAuth1Client(
        credentials.consumer_key,
        client_secret=credentials.consumer_secret,
        resource_owner_key=credentials.access_token,
        resource_owner_secret=credentials.access_token_secret,
        signature_method=SIGNATURE_HMAC_SHA256,
        signature_type=SIGNATURE_TYPE_AUTH_HEADER,
    )
    verb = cast(Literal["DELETE", "GET", "PATCH", "POST", "PUT"], method.upper())
    _, headers, _ = client.sign(url, http_method=verb, body=None, headers={})
    return str(headers["Authorization"])


def ims_headers(credentials: CommerceCredentials, token: AccessToken) -> dict[str, str]:
    headers = {
        "Authorization": f"Bearer {token.token}",
        "x-api-key": credentials.ims_client_id,
        "x-gw-ims-org-id": credentials.ims_org_id,
    }
    if credentials.store_view:
        headers["Store"] = credentials.store_view
    return headers


def ims_request(credentials: CommerceCredentials) -> HttpRequest:
    """POST form body (the secret never goes into a URL)."""
    form = (
        ("grant_type", "client_credentials"),
        ("client_id", credentials.ims_client_id),
        ("client_secret", credentials.ims_client_secret),
        ("scope", ",".join(credentials.ims_scopes)),
    )
    return HttpRequest(
        "POST", credentials.ims_token_url, body=urlencode(form).encode(), headers={"Content-Type": FORM_TYPE}
    )


def token_from_reply(body: bytes, *, now: float, secrets: Sequence[str]) -> AccessToken:
    """The AccessToken in a 2xx IMS reply; an OAuth error body is an AuthenticationError, anything unreadable a
    ParseError (retried)."""
    return oauth_tokens.token_from_reply(
        body,
        now=now,
        secrets=secrets,
        reply="Adobe IMS token reply",
        refused=lambda detail: AuthenticationError("Adobe IMS refused the client credentials", detail=detail),
        unreadable=ParseError,
    )


class ImsTokens:
    """The IMS token of one credential: a per-process copy in front of the shared cache, and renewal.

    IMS tokens live about 24 h and client credentials have no refresh token: a token is re-minted once less than
    `refresh_margin_seconds` is left, or when Commerce refuses it. `fetch` performs the IMS call (with retries)."""

    def __init__(
        self,
        key: str,
        cache: TokenCache,
        fetch: Callable[[], AccessToken],
        *,
        clock: Callable[[], float],
        refresh_margin_seconds: float = 3600.0,
    ) -> None:
        self.key = key
        self._cache = cache
        self._fetch = fetch
        self._clock = clock
        self._margin = refresh_margin_seconds
        self._local: AccessToken | None = None
        self._lock = threading.RLock()

    def current(self) -> AccessToken:
        with self._lock:
            now = self._clock()
            if self._local is not None and self._fresh(self._local, now):
                return self._local
            cached = self._cache.get(self.key)
            if cached is not None and self._fresh(cached, now):
                self._local = cached
                return cached
            return self.renew()

    def renew(self) -> AccessToken:
        with self._lock:
            token = self._fetch()
            self._cache.put(self.key, token)
            self._local = token
            return token

    def invalidate(self, token: AccessToken) -> None:
        """Forget `token` after Commerce refused it; the shared entry is dropped only if it is still that token
        (another container may have stored a fresh one meanwhile)."""
        with self._lock:
            if self._local is not None and self._local.token == token.token:
                self._local = None
            cached = self._cache.get(self.key)
            if cached is not None and cached.token == token.token:
                self._cache.delete(self.key)

    def _fresh(self, token: AccessToken, now: float) -> bool:
        """Enough life left; a short-lived token (a simulator's) is used for half its life, not re-minted per call."""
        margin = min(self._margin, (token.expires_at - token.created_at) / 2)
        return token.seconds_left(now) > margin
