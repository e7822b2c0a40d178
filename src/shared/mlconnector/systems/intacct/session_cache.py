"""Intacct sessions cached in DynamoDB, so every Lambda container reuses one session per account."""

from __future__ import annotations

from mlconnector.state.tokens import StoredToken, TokenStore
from mlconnector.systems.intacct.session import CachedSession, InMemorySessionCache, SessionCache

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
        self._tokens.put(
            SYSTEM, key, StoredToken(session.session_id, session.endpoint, session.created_at, session.expires_at)
        )

    def delete(self, key: str) -> None:
        self._tokens.delete(SYSTEM, key)


class ReadOnlySessionCache:
    """For dry runs, which write nothing anywhere: reuse the shared session, keep a new one in memory only."""

    def __init__(self, shared: SessionCache) -> None:
        self._shared = shared
        self._local = InMemorySessionCache()
        self._dropped: set[str] = set()

    def get(self, key: str) -> CachedSession | None:
        local = self._local.get(key)
        if local is not None or key in self._dropped:
            return local
        return self._shared.get(key)

    def put(self, key: str, session: CachedSession) -> None:
        self._local.put(key, session)

    def delete(self, key: str) -> None:
        self._local.delete(key)
        self._dropped.add(key)
