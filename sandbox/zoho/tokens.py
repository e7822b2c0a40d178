"""The accounts servers' state: grants (refresh tokens with their scopes and data centre), the access tokens minted
from them (expiring on the simulator clock), the mint limit per refresh token, and how many tokens were minted."""

from __future__ import annotations

import threading
from collections import deque
from dataclasses import dataclass, field, replace
from datetime import datetime, timedelta
from enum import StrEnum

from sandbox.core.clock import SimClock
from sandbox.zoho.config import ZohoSimConfig
from sandbox.zoho.values import token_text


class TokenState(StrEnum):
    VALID = "valid"
    EXPIRED = "expired"
    UNKNOWN = "unknown"  # never issued, revoked, or pushed out by the live-token cap


class MintError(StrEnum):
    """Why the accounts server refuses a refresh: the ``error`` value it answers."""

    UNSUPPORTED_GRANT = "unsupported_grant_type"  # UNVERIFIED text
    INVALID_CLIENT = "invalid_client"
    INVALID_CODE = "invalid_code"
    ACCESS_DENIED = "Access Denied"  # the mint limit


@dataclass(frozen=True)
class AccessToken:
    value: str = field(repr=False)
    refresh_token: str = field(repr=False)
    data_centre: str
    scopes: tuple[str, ...]
    expires_at: datetime


@dataclass
class Grant:
    refresh_token: str = field(repr=False)
    scopes: tuple[str, ...]
    revoked: bool = False
    minted: int = 0
    recent: deque[datetime] = field(default_factory=deque)  # mint times inside the window
    live: deque[str] = field(default_factory=deque, repr=False)  # token values, oldest first


@dataclass(frozen=True)
class MintRequest:
    grant_type: str
    client_id: str
    client_secret: str
    refresh_token: str = field(repr=False)
    data_centre: str  # of the accounts server that was called


class TokenRegistry:
    def __init__(self, clock: SimClock, config: ZohoSimConfig) -> None:
        self._clock = clock
        self._config = config
        self._lock = threading.Lock()
        self._grants: dict[str, Grant] = {}
        self._tokens: dict[str, AccessToken] = {}
        self.add_grant(config.refresh_token, config.scopes)

    # ------------------------------------------------------------------ grants
    def add_grant(self, refresh_token: str, scopes: tuple[str, ...]) -> None:
        """Another refresh token of the configured client (e.g. one granted fewer scopes)."""
        with self._lock:
            if refresh_token in self._grants:
                raise ValueError("that refresh token exists already")
            self._grants[refresh_token] = Grant(refresh_token, tuple(scopes))

    def revoke(self, refresh_token: str) -> bool:
        """The refresh token and every access token minted from it stop working."""
        with self._lock:
            grant = self._grants.get(refresh_token)
            if grant is None or grant.revoked:
                return False
            grant.revoked = True
            for value in grant.live:
                self._tokens.pop(value, None)
            grant.live.clear()
            return True

    # ------------------------------------------------------------------ minting
    def mint(self, request: MintRequest) -> AccessToken | MintError:
        config = self._config
        if request.grant_type != "refresh_token":
            return MintError.UNSUPPORTED_GRANT
        home = request.data_centre == config.data_centre
        client_known = home or config.foreign_dc_client == "multi_dc"
        if not client_known or (request.client_id, request.client_secret) != (config.client_id, config.client_secret):
            return MintError.INVALID_CLIENT
        now = self._clock.now()
        with self._lock:
            grant = self._grants.get(request.refresh_token)
            if grant is None or grant.revoked:
                return MintError.INVALID_CODE
            window_start = now - timedelta(seconds=config.mint_window_s)
            while grant.recent and grant.recent[0] <= window_start:
                grant.recent.popleft()
            if len(grant.recent) >= config.mint_limit:
                return MintError.ACCESS_DENIED
            grant.recent.append(now)
            grant.minted += 1
            token = AccessToken(
                token_text(),
                grant.refresh_token,
                request.data_centre,
                grant.scopes,
                now + timedelta(seconds=config.token_lifetime_s),
            )
            self._tokens[token.value] = token
            grant.live.append(token.value)
            self._enforce_live_cap(grant, now)
            return token

    def _enforce_live_cap(self, grant: Grant, now: datetime) -> None:
        cap = self._config.max_live_tokens
        live = [value for value in grant.live if value in self._tokens and self._tokens[value].expires_at > now]
        grant.live = deque(live)
        while cap is not None and len(grant.live) > cap:
            self._tokens.pop(grant.live.popleft(), None)

    # ------------------------------------------------------------------ checking
    def check(self, value: str) -> tuple[TokenState, AccessToken | None]:
        now = self._clock.now()
        with self._lock:
            token = self._tokens.get(value)
        if token is None:
            return TokenState.UNKNOWN, None
        return (TokenState.VALID if now < token.expires_at else TokenState.EXPIRED), token

    def expire_all(self) -> int:
        """Every live access token expires now (the API answers INVALID_TOKEN); returns how many."""
        now = self._clock.now()
        with self._lock:
            live = [token for token in self._tokens.values() if token.expires_at > now]
            for token in live:
                self._tokens[token.value] = replace(token, expires_at=now)
            return len(live)

    def reset_mint_window(self) -> None:
        """Forget the recent mints (the mint limit starts over); totals are kept."""
        with self._lock:
            for grant in self._grants.values():
                grant.recent.clear()

    # ------------------------------------------------------------------ counting
    def mints(self, refresh_token: str | None = None) -> int:
        """Access tokens minted so far, for one refresh token or all of them."""
        with self._lock:
            if refresh_token is not None:
                return self._grants[refresh_token].minted
            return sum(grant.minted for grant in self._grants.values())

    def snapshot(self) -> dict[str, int]:
        now = self._clock.now()
        with self._lock:
            return {
                "minted": sum(grant.minted for grant in self._grants.values()),
                "live": sum(1 for token in self._tokens.values() if token.expires_at > now),
                "grants": len(self._grants),
                "revoked": sum(1 for grant in self._grants.values() if grant.revoked),
            }
