"""Intacct sessions cached in DynamoDB, so every Lambda container reuses one session per account."""

from __future__ import annotations

from mlconnector.state.tokens import StoredToken, TokenStore
from mlconnector.systems.intacct.session import CachedSession

SYSTEM = "intacct"


class TokenStoreSessionCache:
    """The SessionCache protocol over the connection's TokenStore."""

    def __init__(self, tokens: TokenStore) -> None:
        self._tokens = tokens

    def get(self, key: str) -> CachedSession | None:
        token = self._tokens.get(SYSTEM, key)
        if token is None or token.endpoint is None:
            return None
        return CachedSession(token.token, token.endpoint, token.created_at, token.expires_at)

    def put(self, key: str, session: CachedSession) -> None:
        stored = StoredToken(session.session_id, session.endpoint, session.created_at, session.expires_at)
        self._tokens.put(SYSTEM, key, stored)

    def delete(self, key: str) -> None:
        self._tokens.delete(SYSTEM, key)
