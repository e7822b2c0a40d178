"""API sessions: created by getAPISession, bound to company/user/entity and to one endpoint
(listener), expiring after a sliding lifetime measured on the simulator clock."""

from __future__ import annotations

import secrets
import threading
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from datetime import datetime, timedelta

from sandbox.core.clock import SimClock


@dataclass(frozen=True)
class Session:
    sessionid: str = field(repr=False)
    company_id: str = ""
    user_id: str = ""
    location_id: str = ""
    listener: str = ""
    expires_at: datetime = field(default_factory=datetime.now)


class SessionRegistry:
    def __init__(self, clock: SimClock, lifetime_seconds: Callable[[], float]) -> None:
        self._clock = clock
        self._lifetime = lifetime_seconds
        self._sessions: dict[str, Session] = {}
        self._lock = threading.Lock()

    def _expiry(self) -> datetime:
        return self._clock.now() + timedelta(seconds=self._lifetime())

    def login_expiry(self) -> datetime:
        """The timeout reported for a login-authenticated request (its implicit session)."""
        return self._expiry()

    def open(self, company_id: str, user_id: str, location_id: str, listener: str) -> Session:
        # Shaped like real ids (opaque, ending in dots); never logged.
        session = Session(secrets.token_urlsafe(24) + "..", company_id, user_id, location_id, listener, self._expiry())
        with self._lock:
            self._sessions[session.sessionid] = session
        return session

    def use(self, sessionid: str, listener: str) -> Session | None:
        """The live session for this id at this listener, its timeout slid forward; else None."""
        with self._lock:
            session = self._sessions.get(sessionid)
            if session is None or session.listener != listener:
                return None
            if self._clock.now() >= session.expires_at:
                del self._sessions[sessionid]
                return None
            slid = replace(session, expires_at=self._expiry())
            self._sessions[sessionid] = slid
            return slid

    def peek(self, sessionid: str) -> Session | None:
        with self._lock:
            return self._sessions.get(sessionid)

    def invalidate(self, sessionid: str) -> bool:
        with self._lock:
            return self._sessions.pop(sessionid, None) is not None

    def expire_all(self) -> int:
        with self._lock:
            count = len(self._sessions)
            self._sessions.clear()
            return count

    def active_count(self) -> int:
        now = self._clock.now()
        with self._lock:
            return sum(1 for session in self._sessions.values() if session.expires_at > now)
