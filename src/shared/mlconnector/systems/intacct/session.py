"""API sessions: cached (session id, endpoint, expiry) shared by every Lambda container.

Policy: reuse a session for up to `reuse_seconds` (45 min) after creation and never past
`expires_at`, which is at most `lifetime_seconds` (50 min) after creation, or earlier when the
server's own sessiontimeout (minus a margin) comes first. Intacct's timeout slides with every call,
so the fixed 45/50-minute window is conservative. The server's remaining lifetime is computed from
its own sessiontimestamp and sessiontimeout, so clock skew between Lambda and Intacct does not matter.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime
from typing import Protocol

from mlconnector.systems.intacct.credentials import IntacctCredentials
from mlconnector.systems.intacct.endpoint import check_endpoint
from mlconnector.systems.intacct.errors import AuthenticationError, ParseError
from mlconnector.systems.intacct.response import AuthenticationInfo, Result


@dataclass(frozen=True)
class CachedSession:
    session_id: str = field(repr=False)
    endpoint: str
    created_at: float
    expires_at: float


class SessionCache(Protocol):
    def get(self, key: str) -> CachedSession | None: ...

    def put(self, key: str, session: CachedSession) -> None: ...

    def delete(self, key: str) -> None: ...


class InMemorySessionCache:
    """For tests and single-process use; production uses the DynamoDB-backed cache in the state layer."""

    def __init__(self) -> None:
        self._items: dict[str, CachedSession] = {}

    def get(self, key: str) -> CachedSession | None:
        return self._items.get(key)

    def put(self, key: str, session: CachedSession) -> None:
        self._items[key] = session

    def delete(self, key: str) -> None:
        self._items.pop(key, None)


@dataclass(frozen=True)
class SessionPolicy:
    reuse_seconds: float = 45 * 60
    lifetime_seconds: float = 50 * 60
    server_margin_seconds: float = 120
    """Stop using a session this long before the server's reported sessiontimeout."""

    def __post_init__(self) -> None:
        if not 0 < self.reuse_seconds <= self.lifetime_seconds:
            raise ValueError("SessionPolicy needs 0 < reuse_seconds <= lifetime_seconds")


def session_cache_key(credentials: IntacctCredentials) -> str:
    """`intacct-session:<sha256>` over sender, company, user, entity and the login endpoint.

    Hashed so no id is stored in clear; no secret goes into it. The endpoint keeps a simulator's
    sessions apart from production ones that share the same ids."""
    parts = (
        credentials.sender_id,
        credentials.company_id,
        credentials.user_id,
        credentials.entity_id or "",
        credentials.endpoint_url,
    )
    material = "\x1f".join(f"{len(p)}:{p}" for p in parts)
    return "intacct-session:" + hashlib.sha256(material.encode()).hexdigest()


def server_seconds_left(auth: AuthenticationInfo) -> float | None:
    """sessiontimeout - sessiontimestamp, both from the server's clock; None when unknown."""
    timeout = _iso(auth.session_timeout)
    stamp = _iso(auth.session_timestamp)
    if timeout is None or stamp is None:
        return None
    return (timeout - stamp).total_seconds()


def session_from_login(
    result: Result,
    auth: AuthenticationInfo,
    *,
    now: float,
    policy: SessionPolicy,
    allowed_sandbox_hosts: tuple[str, ...],
) -> CachedSession:
    """Build the cache entry from a successful getAPISession; the endpoint must pass the allow-list."""
    result.raise_for_status()
    api = result.records[0] if result.records else {}
    session_id = str(api.get("SESSIONID") or "")
    endpoint = str(api.get("ENDPOINT") or "")
    if not session_id or not endpoint:
        raise ParseError("Intacct getAPISession returned no session id or no endpoint")
    check_endpoint(endpoint, allowed_sandbox_hosts)
    expires_at = now + policy.lifetime_seconds
    server_left = server_seconds_left(auth)
    if server_left is not None:
        expires_at = min(expires_at, now + server_left - policy.server_margin_seconds)
    return CachedSession(session_id=session_id, endpoint=endpoint, created_at=now, expires_at=expires_at)


def is_usable(session: CachedSession, now: float, policy: SessionPolicy) -> bool:
    return now < session.created_at + policy.reuse_seconds and now < session.expires_at


class Sessions:
    """The cache for one credential set, with renewal. `login` performs getAPISession."""

    def __init__(
        self,
        credentials: IntacctCredentials,
        cache: SessionCache,
        login: Callable[[], CachedSession],
        *,
        clock: Callable[[], float],
        policy: SessionPolicy,
    ) -> None:
        self.key = session_cache_key(credentials)
        self._cache = cache
        self._login = login
        self._clock = clock
        self.policy = policy

    def current(self) -> CachedSession:
        cached = self._cache.get(self.key)
        if cached is not None and is_usable(cached, self._clock(), self.policy):
            return cached
        return self.renew()

    def renew(self) -> CachedSession:
        session = self._login()
        if not is_usable(session, self._clock(), self.policy):
            raise AuthenticationError("Intacct returned a session that is already about to expire")
        self._cache.put(self.key, session)
        return session

    def invalidate(self, session: CachedSession) -> None:
        """Drop the cached session if it is still the one that failed (another container may have
        stored a fresh one meanwhile)."""
        cached = self._cache.get(self.key)
        if cached is not None and cached.session_id == session.session_id:
            self._cache.delete(self.key)


def _iso(value: str | None) -> datetime | None:
    if not value:
        return None
    try:
        parsed = datetime.fromisoformat(value)
    except ValueError:
        return None
    return parsed if parsed.tzinfo is not None else None
