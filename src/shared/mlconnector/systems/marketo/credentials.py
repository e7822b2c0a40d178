"""Marketo credentials as read from one Secrets Manager JSON secret."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any, Self

from mlconnector.systems.marketo.endpoint import check_base_url, default_base_url, normalize_munchkin_id
from mlconnector.systems.marketo.errors import ConfigurationError

_REQUIRED = ("munchkin_id", "client_id", "client_secret")


@dataclass(frozen=True)
class MarketoCredentials:
    """A LaunchPoint custom service (client id + secret) of one Marketo instance. The repr hides the secret."""

    munchkin_id: str
    client_id: str
    client_secret: str = field(repr=False)
    base_url: str | None = None
    """Override for the local simulator only; must be on `allowed_sandbox_hosts`."""
    allowed_sandbox_hosts: tuple[str, ...] = ()

    def __post_init__(self) -> None:
        for name in _REQUIRED:
            if not getattr(self, name):
                raise ConfigurationError(f"Marketo credentials: {name} is empty")
        object.__setattr__(self, "munchkin_id", normalize_munchkin_id(self.munchkin_id))
        object.__setattr__(self, "allowed_sandbox_hosts", tuple(self.allowed_sandbox_hosts))
        if self.base_url is not None:
            checked = check_base_url(self.base_url, self.munchkin_id, self.allowed_sandbox_hosts)
            object.__setattr__(self, "base_url", checked)

    @property
    def base(self) -> str:
        """Scheme and host every call goes to: the override if allowed, else the instance's own host."""
        return self.base_url or default_base_url(self.munchkin_id)

    @classmethod
    def from_secret(cls, secret: Mapping[str, Any], *, allowed_sandbox_hosts: Sequence[str] = ()) -> Self:
        """Keys: munchkin_id, client_id, client_secret, base_url (optional). The sandbox allow-list comes
        from deployment config, never from the secret."""
        missing = [k for k in _REQUIRED if not isinstance(secret.get(k), str) or not secret.get(k)]
        if missing:
            raise ConfigurationError(f"Marketo secret is missing or has empty keys: {', '.join(missing)}")
        base_url = secret.get("base_url")
        if base_url is not None and not isinstance(base_url, str):
            raise ConfigurationError("Marketo secret: base_url must be a string")
        return cls(
            munchkin_id=secret["munchkin_id"],
            client_id=secret["client_id"],
            client_secret=secret["client_secret"],
            base_url=base_url or None,
            allowed_sandbox_hosts=tuple(allowed_sandbox_hosts),
        )

    def secrets(self) -> tuple[str, ...]:
        """Values that must never reach a log line or an exception message."""
        return (self.client_secret,)
