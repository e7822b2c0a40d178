"""OAuth access tokens (Marketo, Adobe IMS, Zoho, ...) behind one small cache protocol, shared by every client.

The DynamoDB implementation is state/token_cache.py (every Lambda container reuses one token); the in-memory
one here serves tests and single processes. Each client keeps its own cache-key function: which ids name a token.
`CachedTokens` is the reuse and renewal every client whose issuer mints a new token per request shares (Adobe IMS,
Zoho); Marketo's identity, which hands back the same token near its end, keeps its own (marketo/auth.py).
"""

from __future__ import annotations

import json
import threading
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any, Protocol

from mlconnector.errors import scrub


@dataclass(frozen=True)
class AccessToken:
    token: str = field(repr=False)
    created_at: float
    """When we received it (our clock)."""
    expires_at: float
    """created_at + the issuer's `expires_in` (remaining seconds), so clock skew does not matter."""
    endpoint: str | None = None
    """Where the issuer said to use the token (Zoho's `api_domain`), kept with it; None when it names none."""

    def seconds_left(self, now: float) -> float:
        return self.expires_at - now


class TokenCache(Protocol):
    def get(self, key: str) -> AccessToken | None: ...

    def put(self, key: str, token: AccessToken) -> None: ...

    def delete(self, key: str) -> None: ...


class InMemoryTokenCache:
    def __init__(self) -> None:
        self._items: dict[str, AccessToken] = {}

    def get(self, key: str) -> AccessToken | None:
        return self._items.get(key)

    def put(self, key: str, token: AccessToken) -> None:
        self._items[key] = token

    def delete(self, key: str) -> None:
        self._items.pop(key, None)


MAX_ERROR_TEXT = 300


def oauth_error_text(body: bytes, secrets: Sequence[str]) -> str:
    """`error: error_description` of an OAuth error body (RFC 6749 §5.2), scrubbed; "" when there is none."""
    try:
        data = json.loads(body)
    except (ValueError, UnicodeDecodeError):
        return ""
    if not isinstance(data, dict):
        return ""
    parts = [str(data[k]) for k in ("error", "error_description") if data.get(k)]
    return scrub(": ".join(parts), secrets)[:MAX_ERROR_TEXT]


def token_from_reply(
    body: bytes,
    *,
    now: float,
    secrets: Sequence[str],
    reply: str,
    refused: Callable[[str], Exception],
    unreadable: Callable[[str], Exception],
    zero_lifetime_ok: bool = False,
    lifetime_fields: Sequence[str] = ("expires_in",),
    endpoint_field: str | None = None,
    default_lifetime: float | None = None,
) -> AccessToken:
    """The AccessToken in a 2xx token reply (`access_token`, `expires_in`). An OAuth error body is
    `refused(detail)` (scrubbed); anything unreadable is `unreadable(message)`, which the caller's kinds retry.
    `reply` names the reply in messages ("Marketo identity reply").

    `lifetime_fields`: the first of them present holds the lifetime in seconds (Zoho's older replies carry
    `expires_in_sec` with `expires_in` in milliseconds). `endpoint_field`: a text field kept as the token's
    `endpoint`, unchecked (the caller checks it before any token goes there). `default_lifetime`: the lifetime when
    the reply names none (else such a reply is unreadable)."""
    try:
        data = json.loads(body)
    except (ValueError, UnicodeDecodeError):
        raise unreadable(f"{reply} is not JSON") from None
    if not isinstance(data, dict):
        raise unreadable(f"{reply} is not a JSON object")
    if data.get("error"):
        raise refused(scrub(f"{data.get('error')}: {data.get('error_description', '')}", secrets)[:MAX_ERROR_TEXT])
    token = data.get("access_token")
    expires_in = next((data[name] for name in lifetime_fields if name in data), default_lifetime)
    if not isinstance(token, str) or not token:
        raise unreadable(f"{reply} has no access_token")
    if not isinstance(expires_in, int | float) or isinstance(expires_in, bool):
        raise unreadable(f"{reply} has no valid expires_in")
    if expires_in < 0 or (expires_in == 0 and not zero_lifetime_ok):
        raise unreadable(f"{reply} has no valid expires_in")
    endpoint = data.get(endpoint_field) if endpoint_field is not None else None
    return AccessToken(
        token=token,
        created_at=now,
        expires_at=now + float(expires_in),
        endpoint=endpoint if isinstance(endpoint, str) and endpoint else None,
    )


def rotated_tokens_from_reply(
    body: bytes, *, reply: str, unreadable: Callable[[str], Exception], **options: Any
) -> tuple[AccessToken, str | None]:
    """The AccessToken (read by `token_from_reply`, with the same `options`) and the new `refresh_token` of a refresh
    grant's 2xx reply from an issuer that rotates the pair (Zendesk); None when the reply carries none (the old
    refresh token then stays valid)."""
    token = token_from_reply(body, reply=reply, unreadable=unreadable, **options)
    refresh = json.loads(body).get("refresh_token")  # a JSON object: token_from_reply read it
    if refresh is not None and (not isinstance(refresh, str) or not refresh):
        raise unreadable(f"{reply} has an unreadable refresh_token")
    return token, refresh


class CachedTokens:
    """The token of one credential: a per-process copy in front of the shared cache, and renewal.

    A token is used until less than `refresh_margin_seconds` of it is left (a short-lived one, a simulator's, for
    half its life), then `fetch` mints a new one (with the caller's retries). Every container and every run reads
    the shared cache before minting, so a token is minted once per lifetime, not once per container or run; within
    a process one lock keeps threads from minting twice. (Two containers missing the cache at the same instant may
    both mint: the cache has no lock across containers.)"""

    def __init__(
        self,
        key: str,
        cache: TokenCache,
        fetch: Callable[[], AccessToken],
        *,
        clock: Callable[[], float],
        refresh_margin_seconds: float,
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
        """Forget `token` after the API refused it; the shared entry is dropped only if it is still that token
        (another container may have stored a fresh one meanwhile, which the next `current` then reuses)."""
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
