"""OAuth access tokens (Marketo, Commerce IMS, Zoho) cached in DynamoDB, so every Lambda container reuses one token,
with where to use it when the issuer said (Zoho's api_domain, in the item's endpoint)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Protocol

from mlconnector.state.tokens import StoredToken, TokenStore


class Token(Protocol):
    @property
    def token(self) -> str: ...

    @property
    def created_at(self) -> float: ...

    @property
    def expires_at(self) -> float: ...

    @property
    def endpoint(self) -> str | None: ...


class StoredTokenCache[T: Token]:
    """A client's TokenCache protocol over the connection's TokenStore; `build` makes the client's token type."""

    def __init__(self, tokens: TokenStore, system: str, build: Callable[[str, float, float, str | None], T]) -> None:
        self._tokens = tokens
        self._system = system
        self._build = build

    def get(self, key: str) -> T | None:
        stored = self._tokens.get(self._system, key)
        if stored is None:
            return None
        return self._build(stored.token, stored.created_at, stored.expires_at, stored.endpoint)

    def put(self, key: str, token: T) -> None:
        stored = StoredToken(token.token, token.endpoint, token.created_at, token.expires_at)
        self._tokens.put(self._system, key, stored)

    def delete(self, key: str) -> None:
        self._tokens.delete(self._system, key)
