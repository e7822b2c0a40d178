"""Client-credentials tokens from Marketo's identity service, cached and refreshed ahead of expiry.

Identity facts (reference §2): the token lives 3600 s; asking again before it expires returns the SAME
token with its REMAINING lifetime. So a refresh inside the margin can hand back a token with little
life left: it is used until shortly before it expires (not re-fetched on every call), and one with
less than `min_usable_seconds` left is waited out (never past the deadline) before asking again.
Identity calls do not count against Marketo's rate limits or quota.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Literal
from urllib.parse import urlencode

from mlconnector import oauth_tokens
from mlconnector.http import Deadline, DeadlineExceeded, Sleep
from mlconnector.systems.marketo.credentials import MarketoCredentials
from mlconnector.systems.marketo.endpoint import identity_url
from mlconnector.systems.marketo.errors import AuthenticationError, ParseError
from mlconnector.systems.marketo.token_cache import AccessToken, TokenCache
from mlconnector.systems.marketo.transport import FORM_TYPE, HttpRequest

IdentityStyle = Literal["query", "form"]
"""How client id and secret reach the identity service. "query" (GET with query parameters) is the documented
form. "form" (POST with a form body, which keeps the secret out of URLs and access logs) is UNVERIFIED for
Marketo: the reference documents POST only with query parameters."""


@dataclass(frozen=True)
class TokenPolicy:
    refresh_margin_seconds: float = 60.0
    """A cached token is reused until this long before it expires; then the identity is asked again."""
    min_usable_seconds: float = 5.0
    """A token with less life than this is not used: we wait for it to expire and fetch a new one."""
    grace_seconds: float = 1.0
    """Extra wait past a token's expiry before asking the identity for a new one."""

    def __post_init__(self) -> None:
        if not 0 <= self.min_usable_seconds <= self.refresh_margin_seconds:
            raise ValueError("TokenPolicy needs 0 <= min_usable_seconds <= refresh_margin_seconds")


def identity_request(credentials: MarketoCredentials, style: IdentityStyle = "query") -> HttpRequest:
    params = (
        ("grant_type", "client_credentials"),
        ("client_id", credentials.client_id),
        ("client_secret", credentials.client_secret),
    )
    url = identity_url(credentials.base)
    if style == "form":
        return HttpRequest("POST", url, body=urlencode(params).encode(), headers={"Content-Type": FORM_TYPE})
    return HttpRequest("GET", url, params=params)


def token_from_reply(body: bytes, *, now: float, secrets: Sequence[str]) -> AccessToken:
    """The AccessToken in a 2xx identity reply. An OAuth error body is an AuthenticationError; a reply we
    cannot read is a ParseError (retried)."""
    return oauth_tokens.token_from_reply(
        body,
        now=now,
        secrets=secrets,
        reply="Marketo identity reply",
        refused=lambda detail: AuthenticationError(f"Marketo identity refused the client credentials - {detail}"),
        unreadable=ParseError,
        zero_lifetime_ok=True,
    )


class Tokens:
    """The token of one custom service: a per-process copy in front of the shared cache, and renewal.
    `fetch` performs the identity call (with its own retries)."""

    def __init__(
        self,
        key: str,
        cache: TokenCache,
        fetch: Callable[[], AccessToken],
        *,
        clock: Callable[[], float],
        sleep: Sleep,
        deadline: Deadline | None = None,
        policy: TokenPolicy | None = None,
    ) -> None:
        self.key = key
        self.policy = policy or TokenPolicy()
        self._cache = cache
        self._fetch = fetch
        self._clock = clock
        self._sleep = sleep
        self._deadline = deadline
        self._local: AccessToken | None = None
        self._local_until = 0.0
        self._lock = threading.RLock()

    def current(self) -> AccessToken:
        """A token good for the next request: this process's copy, the shared cache's, or a new one."""
        with self._lock:
            now = self._clock()
            if self._local is not None and now < self._local_until:
                return self._local
            cached = self._cache.get(self.key)
            if cached is not None and now < cached.expires_at - self.policy.refresh_margin_seconds:
                self._keep(cached, cached.expires_at - self.policy.refresh_margin_seconds)
                return cached
            return self.renew()

    def renew(self) -> AccessToken:
        """Ask the identity for a token (waiting out a nearly expired one), store it and return it."""
        with self._lock:
            token = self._fetch()
            left = token.seconds_left(self._clock())
            if left < self.policy.min_usable_seconds:
                self._wait(max(0.0, left) + self.policy.grace_seconds)
                token = self._fetch()
                left = token.seconds_left(self._clock())
                if left < self.policy.min_usable_seconds:
                    raise AuthenticationError("Marketo identity keeps returning a token that is about to expire")
            self._cache.put(self.key, token)
            margin = self.policy.refresh_margin_seconds
            # Within the margin the identity would only return this same token again: use it nearly to its end.
            usable_for = left - margin if left > margin else left - self.policy.min_usable_seconds
            self._keep(token, self._clock() + usable_for)
            return token

    def invalidate(self, token: AccessToken) -> None:
        """Forget `token` after Marketo refused it; the shared entry is dropped only if it is still that
        token (another container may have stored a fresh one meanwhile)."""
        with self._lock:
            if self._local is not None and self._local.token == token.token:
                self._local = None
                self._local_until = 0.0
            cached = self._cache.get(self.key)
            if cached is not None and cached.token == token.token:
                self._cache.delete(self.key)

    def _keep(self, token: AccessToken, until: float) -> None:
        self._local = token
        self._local_until = until

    def _wait(self, seconds: float) -> None:
        left = self._deadline() if self._deadline is not None else None
        if left is not None and seconds > left:
            raise DeadlineExceeded(f"the Marketo token expires in {seconds:.1f}s and a new one is only issued after")
        self._sleep(seconds)
