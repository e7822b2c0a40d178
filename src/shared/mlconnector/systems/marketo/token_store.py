"""Marketo access tokens cached in DynamoDB, so every Lambda container of a connection reuses one token."""

from __future__ import annotations

from mlconnector.state.tokens import StoredToken, TokenStore
from mlconnector.systems.marketo.token_cache import AccessToken

SYSTEM = "marketo"


class TokenStoreTokenCache:
    """The TokenCache protocol over the connection's TokenStore."""

    def __init__(self, tokens: TokenStore) -> None:
        self._tokens = tokens

    def get(self, key: str) -> AccessToken | None:
        stored = self._tokens.get(SYSTEM, key)
        return None if stored is None else AccessToken(stored.token, stored.created_at, stored.expires_at)

    def put(self, key: str, token: AccessToken) -> None:
        self._tokens.put(SYSTEM, key, StoredToken(token.token, None, token.created_at, token.expires_at))

    def delete(self, key: str) -> None:
        self._tokens.delete(SYSTEM, key)
