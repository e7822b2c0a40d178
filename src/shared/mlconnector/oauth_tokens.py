"""OAuth access tokens (Marketo, Adobe IMS, ...) behind one small cache protocol, shared by every client.

The DynamoDB implementation is state/token_cache.py (every Lambda container reuses one token); the in-memory
one here serves tests and single processes. Each client keeps its own cache-key function: which ids name a token.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Protocol


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
