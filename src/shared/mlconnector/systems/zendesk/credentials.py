"""Zendesk credentials as read from one Secrets Manager JSON secret.

- OAuth (the main path): `client_id` (the OAuth client's identifier), `client_secret` and the first `refresh_token`
  (from the authorization-code grant). Access tokens come from the refresh-token grant; each refresh rotates the pair
  and the rotated pair lives in the DynamoDB token store (rotating_tokens.py), not in the secret.
- OAuth without refresh: `access_token` alone (an older non-expiring token): used as is, never refreshed.
- API token (legacy): `email` and `api_token`, sent as Basic `{email}/token:{api_token}`. No account can create new
  API tokens since 2026-10-27 and all are deactivated on 2027-04-30: ping says so.

Always `subdomain`; optionally `base_url` (an allowed sandbox host only) and `webhook_secret` (the signing secret of
the connection's Zendesk webhook).
"""

from __future__ import annotations

import hashlib
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from enum import StrEnum
from typing import Any, Self

from mlconnector.systems.zendesk.endpoint import check_base_url, check_subdomain, origin_of
from mlconnector.systems.zendesk.errors import ConfigurationError

_STRINGS = (
    "subdomain",
    "client_id",
    "client_secret",
    "refresh_token",
    "access_token",
    "email",
    "api_token",
    "base_url",
    "webhook_secret",
)
RETIREMENT_NOTE = (
    "API-token auth is being retired: no account can create API tokens since 2026-10-27 and Zendesk deactivates all "
    "of them on 2027-04-30; move this connection to OAuth (client_id, client_secret, refresh_token)"
)


class AuthMode(StrEnum):
    OAUTH = "oauth"
    """Refresh-token grant with a rotating pair."""
    ACCESS_TOKEN = "access_token"  # noqa: S105 - a mode's name
    """A fixed OAuth access token."""
    API_TOKEN = "api_token"  # noqa: S105 - a mode's name


@dataclass(frozen=True)
class ZendeskCredentials:
    """One Zendesk account's credentials. The repr hides every secret."""

    subdomain: str
    mode: AuthMode
    client_id: str = ""
    client_secret: str = field(default="", repr=False)
    refresh_token: str = field(default="", repr=False)
    access_token: str = field(default="", repr=False)
    email: str = ""
    api_token: str = field(default="", repr=False)
    webhook_secret: str = field(default="", repr=False)
    origin: str = ""
    """Where requests go: `https://{subdomain}.zendesk.com`, or an allowed sandbox base_url."""

    @classmethod
    def from_secret(cls, secret: Mapping[str, Any], *, allowed_sandbox_hosts: Sequence[str] = ()) -> Self:
        wrong = [name for name in _STRINGS if not isinstance(secret.get(name) or "", str)]
        if wrong:
            raise ConfigurationError(f"Zendesk secret: {', '.join(wrong)} must be text")
        s = {name: str(secret.get(name) or "").strip() for name in _STRINGS}
        if not s["subdomain"]:
            raise ConfigurationError("Zendesk secret is missing subdomain (acme for https://acme.zendesk.com)")
        subdomain = check_subdomain(s["subdomain"])
        origin = check_base_url(s["base_url"], allowed_sandbox_hosts) if s["base_url"] else origin_of(subdomain)
        oauth = [name for name in ("client_id", "client_secret", "refresh_token") if s[name]]
        if oauth:
            missing = [name for name in ("client_id", "client_secret", "refresh_token") if not s[name]]
            if missing:
                raise ConfigurationError(
                    "Zendesk secret: OAuth needs client_id, client_secret and refresh_token; missing "
                    + ", ".join(missing)
                )
            mode = AuthMode.OAUTH
        elif s["access_token"]:
            mode = AuthMode.ACCESS_TOKEN
        elif s["email"] or s["api_token"]:
            if not (s["email"] and s["api_token"]):
                raise ConfigurationError("Zendesk secret: API-token auth needs both email and api_token")
            mode = AuthMode.API_TOKEN
        else:
            raise ConfigurationError(
                "Zendesk secret has no credentials: set client_id, client_secret and refresh_token (OAuth)"
            )
        return cls(
            subdomain=subdomain,
            mode=mode,
            client_id=s["client_id"],
            client_secret=s["client_secret"],
            refresh_token=s["refresh_token"],
            access_token=s["access_token"],
            email=s["email"],
            api_token=s["api_token"],
            webhook_secret=s["webhook_secret"],
            origin=origin,
        )

    def secrets(self) -> tuple[str, ...]:
        """Values that must never reach a log line or an exception message."""
        values = (self.client_secret, self.refresh_token, self.access_token, self.api_token, self.webhook_secret)
        return tuple(v for v in values if v)

    def pair_key(self) -> str:
        """The token store's key of this credential's rotating pair: `zendesk-pair:<sha256>` over origin, client id
        and the secret's refresh token (only a digest, never the token). A new refresh token in the secret (the
        connection authorised again) starts a new chain."""
        parts = (self.origin, self.client_id, self.refresh_token)
        material = "\x1f".join(f"{len(p)}:{p}" for p in parts)
        return "zendesk-pair:" + hashlib.sha256(material.encode()).hexdigest()
