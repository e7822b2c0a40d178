"""OAuth access tokens of the Identity service: one live token per custom service (client id),
handed out again with its remaining lifetime until it expires on the simulator clock."""

from __future__ import annotations

import math
import threading
import uuid
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from datetime import datetime, timedelta
from enum import StrEnum

from sandbox.core.clock import SimClock


class TokenState(StrEnum):
    VALID = "valid"
    EXPIRED = "expired"
    UNKNOWN = "unknown"


@dataclass(frozen=True)
class Token:
    value: str = field(repr=False)
    client_id: str
    expires_at: datetime


class TokenRegistry:
    def __init__(self, clock: SimClock, lifetime_s: Callable[[], float], pod: Callable[[], str]) -> None:
        self._clock = clock
        self._lifetime_s = lifetime_s
        self._pod = pod
        self._lock = threading.Lock()
        self._live: dict[str, Token] = {}  # client id -> its current token
        self._issued: dict[str, Token] = {}  # every token ever issued (expired ones answer 602, not 601)

    def issue(self, client_id: str) -> tuple[Token, int]:
        """The client's live token (a new one after expiry) and its ``expires_in`` seconds."""
        now = self._clock.now()
        with self._lock:
            token = self._live.get(client_id)
            if token is None or token.expires_at <= now:
                value = f"{uuid.uuid4()}:{self._pod()}"
                token = Token(value, client_id, now + timedelta(seconds=self._lifetime_s()))
                self._live[client_id] = token
                self._issued[value] = token
        return token, expires_in(token.expires_at, now)

    def check(self, value: str) -> TokenState:
        now = self._clock.now()
        with self._lock:
            token = self._issued.get(value)
        if token is None:
            return TokenState.UNKNOWN
        return TokenState.VALID if now < token.expires_at else TokenState.EXPIRED

    def expire_all(self) -> int:
        """Every live token expires now (they answer 602; the next identity call mints new ones)."""
        now = self._clock.now()
        with self._lock:
            live = [token for token in self._live.values() if token.expires_at > now]
            for token in live:
                expired = replace(token, expires_at=now)
                self._live[token.client_id] = expired
                self._issued[token.value] = expired
            return len(live)

    def active_count(self) -> int:
        now = self._clock.now()
        with self._lock:
            return sum(1 for token in self._live.values() if token.expires_at > now)


def expires_in(expires_at: datetime, now: datetime) -> int:
    """Whole seconds left, never overstated: a new 3600 s token says 3599 (as Adobe's example);
    a token in its last second says 0 (seen on real instances)."""
    return max(0, math.ceil((expires_at - now).total_seconds()) - 1)
