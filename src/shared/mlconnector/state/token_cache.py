"""OAuth access tokens (Marketo, Commerce IMS) cached in DynamoDB, so every Lambda container reuses one token."""

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


class StoredTokenCache[T: Token]:
    """A client's TokenCache protocol over the connection's TokenStore; `build` makes the client's token type."""

    def __init__(self, tokens: TokenStore, system: str, build: Callable[[str, float, float], T]) -> None:
        self._tokens = tokens
        self._system = system
        self._build = build

    def get(self, key: str) -> T | None:
        stored = self._tokens.get(self._system, key)
        return None if stored is None else self._build(stored.token, stored.created_at, stored.expires_at)

    def put(self, key: str, token: T) -> None:
        self._tokens.put(self._system, key, StoredToken(token.token, None, token.created_at, token.expires_at))

    def delete(self, key: str) -> None:
        self._tokens.delete(self._system, key)
