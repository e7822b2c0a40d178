"""OAuth access tokens (Marketo, Adobe IMS, ...) behind one small cache protocol, shared by every client.

The DynamoDB implementation is state/token_cache.py (every Lambda container reuses one token); the in-memory
one here serves tests and single processes. Each client keeps its own cache-key function: which ids name a token.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Protocol

from mlconnector.errors import scrub


@dataclass(frozen=True)
class AccessToken:
    token: str = field(repr=False)
    created_at: float
    """When we received it (our clock)."""
    expires_at: float
    """created_at + the issuer's `expires_in` (remaining seconds), so clock skew does not matter."""

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
) -> AccessToken:
    """The AccessToken in a 2xx client-credentials reply (`access_token`, `expires_in`). An OAuth error body is
    `refused(detail)` (scrubbed); anything unreadable is `unreadable(message)`, which the caller's kinds retry.
    `reply` names the reply in messages ("Marketo identity reply")."""
    try:
        data = json.loads(body)
    except (ValueError, UnicodeDecodeError):
        raise unreadable(f"{reply} is not JSON") from None
    if not isinstance(data, dict):
        raise unreadable(f"{reply} is not a JSON object")
    if data.get("error"):
        raise refused(scrub(f"{data.get('error')}: {data.get('error_description', '')}", secrets)[:MAX_ERROR_TEXT])
    token = data.get("access_token")
    expires_in = data.get("expires_in")
    if not isinstance(token, str) or not token:
        raise unreadable(f"{reply} has no access_token")
    if not isinstance(expires_in, int | float) or isinstance(expires_in, bool):
        raise unreadable(f"{reply} has no valid expires_in")
    if expires_in < 0 or (expires_in == 0 and not zero_lifetime_ok):
        raise unreadable(f"{reply} has no valid expires_in")
    return AccessToken(token=token, created_at=now, expires_at=now + float(expires_in))
