"""Zoho CRM credentials as read from one Secrets Manager JSON secret.

A self client or server-based client of the Zoho API console (`client_id`, `client_secret`), a refresh token it was
granted, and where the org lives: `data_centre` (US, EU, IN, AU, JP, CA, SA, CN) or `accounts_url` (the accounts
server of that data centre; for local runs, an allowed sandbox host). Both may be given when they agree.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any, Self

from mlconnector.systems.zoho.endpoint import check_accounts_url, data_centre, origin
from mlconnector.systems.zoho.errors import ConfigurationError

_REQUIRED = ("client_id", "client_secret", "refresh_token")
_STRINGS = (*_REQUIRED, "data_centre", "accounts_url")


@dataclass(frozen=True)
class ZohoCredentials:
    """One Zoho OAuth client and its refresh token. The repr hides the secret and the refresh token."""

    client_id: str
    client_secret: str = field(repr=False)
    refresh_token: str = field(repr=False)
    data_centre: str = ""
    """The data centre's code; "" only for a sandbox accounts_url given without one."""
    accounts_url: str = ""
    """The accounts server's origin: the data centre's own, or an allowed sandbox host."""
    allowed_sandbox_hosts: tuple[str, ...] = ()
    sandbox: bool = field(init=False, default=False)
    """The accounts server is a local simulator (so is the API host it names)."""

    def __post_init__(self) -> None:
        object.__setattr__(self, "allowed_sandbox_hosts", tuple(self.allowed_sandbox_hosts))
        for name in _REQUIRED:
            value = getattr(self, name).strip()
            if not value:
                raise ConfigurationError(f"Zoho credentials: {name} is empty")
            object.__setattr__(self, name, value)
        configured = data_centre(self.data_centre) if self.data_centre.strip() else None
        if not self.accounts_url.strip():
            if configured is None:
                raise ConfigurationError(
                    "Zoho credentials: set data_centre (US, EU, IN, AU, JP, CA, SA or CN) or accounts_url"
                )
            object.__setattr__(self, "data_centre", configured.code)
            object.__setattr__(self, "accounts_url", configured.accounts_url)
            return
        origin, named = check_accounts_url(self.accounts_url, self.allowed_sandbox_hosts)
        if named is not None and configured is not None and named != configured:
            raise ConfigurationError(
                f"Zoho accounts_url {origin} is the {named.code} data centre's, but data_centre says "
                f"{configured.code}: remove accounts_url or correct data_centre"
            )
        chosen = named or configured
        object.__setattr__(self, "data_centre", chosen.code if chosen is not None else "")
        object.__setattr__(self, "accounts_url", origin)
        object.__setattr__(self, "sandbox", named is None)

    @property
    def default_api_domain(self) -> str:
        """Where API calls go when a token response names no api_domain (and none is known yet): the data centre's
        production API host, or a sandbox accounts server's own origin."""
        if self.sandbox or not self.data_centre:
            return origin(self.accounts_url)
        return data_centre(self.data_centre).api_domain

    @classmethod
    def from_secret(cls, secret: Mapping[str, Any], *, allowed_sandbox_hosts: Sequence[str] = ()) -> Self:
        """Keys: client_id, client_secret, refresh_token, data_centre and/or accounts_url. The sandbox allow-list
        comes from deployment config, never from the secret."""
        wrong = [name for name in _STRINGS if not isinstance(secret.get(name) or "", str)]
        if wrong:
            raise ConfigurationError(f"Zoho secret: {', '.join(wrong)} must be text")
        strings = {name: str(secret.get(name) or "").strip() for name in _STRINGS}
        missing = [name for name in _REQUIRED if not strings[name]]
        if missing:
            raise ConfigurationError(
                f"Zoho secret is missing or has empty keys: {', '.join(missing)} (from the Zoho API console's "
                "client and the refresh token it granted)"
            )
        return cls(
            client_id=strings["client_id"],
            client_secret=strings["client_secret"],
            refresh_token=strings["refresh_token"],
            data_centre=strings["data_centre"],
            accounts_url=strings["accounts_url"],
            allowed_sandbox_hosts=tuple(allowed_sandbox_hosts),
        )

    def secrets(self) -> tuple[str, ...]:
        """Values that must never reach a log line or an exception message."""
        return (self.client_secret, self.refresh_token)
