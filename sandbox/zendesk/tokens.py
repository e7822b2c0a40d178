"""OAuth state: the live refresh tokens and access tokens, expiring on the simulator clock. A refresh hands out a new
access token AND a new refresh token and invalidates the old pair at once (verified §3.4): a second container that
refreshes with the old refresh token gets invalid_grant."""

from __future__ import annotations

import secrets
import threading
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from enum import StrEnum

from sandbox.core.clock import SimClock
from sandbox.zendesk.config import ZendeskSimConfig


class TokenState(StrEnum):
    VALID = "valid"
    EXPIRED = "expired"
    UNKNOWN = "unknown"  # never issued, or its pair was rotated away


@dataclass(frozen=True)
class AccessToken:
    value: str = field(repr=False)
    refresh_token: str | None = field(repr=False)  # None: a client-credentials token
    scope: str
    expires_at: datetime


@dataclass(frozen=True)
class RefreshToken:
    value: str = field(repr=False)
    expires_at: datetime


@dataclass(frozen=True)
class TokenPair:
    access: AccessToken
    refresh: RefreshToken | None


class TokenRegistry:
    def __init__(self, clock: SimClock, config: ZendeskSimConfig) -> None:
        self._clock = clock
        self._config = config
        self._lock = threading.Lock()
        self._refresh: dict[str, RefreshToken] = {}
        self._access: dict[str, AccessToken] = {}
        self._latest_refresh = config.refresh_token
        self.refreshes = 0  # successful refresh-token grants
        self.refused = 0  # refresh attempts answered invalid_grant
        lifetime = timedelta(seconds=config.refresh_token_lifetime_s)
        self._refresh[config.refresh_token] = RefreshToken(config.refresh_token, clock.now() + lifetime)

    @property
    def latest_refresh_token(self) -> str:
        with self._lock:
            return self._latest_refresh

    def refresh(self, refresh_token: str, expires_in: float | None = None) -> TokenPair | None:
        """Rotate: the old refresh token and every access token minted from it die; None when it is not live."""
        now = self._clock.now()
        with self._lock:
            old = self._refresh.pop(refresh_token, None)
            if old is None or old.expires_at <= now:
                self.refused += 1
                return None
            self._access = {key: token for key, token in self._access.items() if token.refresh_token != old.value}
            new_refresh = RefreshToken(
                secrets.token_hex(32), now + timedelta(seconds=self._config.refresh_token_lifetime_s)
            )
            self._refresh[new_refresh.value] = new_refresh
            self._latest_refresh = new_refresh.value
            self.refreshes += 1
            access = self._mint(new_refresh.value, expires_in, now)
            return TokenPair(access, new_refresh)

    def client_credentials(self, expires_in: float | None = None) -> AccessToken:
        with self._lock:
            return self._mint(None, expires_in, self._clock.now())

    def _mint(self, refresh_token: str | None, expires_in: float | None, now: datetime) -> AccessToken:
        lifetime = expires_in if expires_in is not None else self._config.access_token_lifetime_s
        token = AccessToken(secrets.token_hex(32), refresh_token, self._config.scope, now + timedelta(seconds=lifetime))
        self._access[token.value] = token
        return token

    def check(self, value: str) -> TokenState:
        with self._lock:
            token = self._access.get(value)
        if token is None:
            return TokenState.UNKNOWN
        return TokenState.VALID if token.expires_at > self._clock.now() else TokenState.EXPIRED

    def expire_all(self) -> int:
        """Every live access token expires now (refresh tokens stay valid)."""
        now = self._clock.now()
        with self._lock:
            live = [token for token in self._access.values() if token.expires_at > now]
            for token in live:
                self._access[token.value] = AccessToken(token.value, token.refresh_token, token.scope, now)
            return len(live)

    def snapshot(self) -> dict[str, int]:
        now = self._clock.now()
        with self._lock:
            live = sum(1 for token in self._access.values() if token.expires_at > now)
            return {
                "refreshes": self.refreshes,
                "refused": self.refused,
                "live_access_tokens": live,
                "live_refresh_tokens": len(self._refresh),
            }
