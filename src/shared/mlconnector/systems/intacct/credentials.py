"""Intacct credentials as read from one Secrets Manager JSON secret."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any, Self

from mlconnector.systems.intacct.endpoint import DEFAULT_ENDPOINT, check_endpoint
from mlconnector.systems.intacct.errors import ConfigurationError

_REQUIRED = ("sender_id", "sender_password", "company_id", "user_id", "user_password")


@dataclass(frozen=True)
class IntacctCredentials:
    """Web Services sender plus an API user. The repr never shows the two passwords."""

    sender_id: str
    sender_password: str = field(repr=False)
    company_id: str
    user_id: str
    user_password: str = field(repr=False)
    entity_id: str | None = None
    endpoint_url: str = DEFAULT_ENDPOINT
    allowed_sandbox_hosts: tuple[str, ...] = ()
    """Non-Intacct hosts we may talk to (local simulator only); empty in production."""

    def __post_init__(self) -> None:
        for name in _REQUIRED:
            if not getattr(self, name):
                raise ConfigurationError(f"Intacct credentials: {name} is empty")
        check_endpoint(self.endpoint_url, self.allowed_sandbox_hosts)

    @classmethod
    def from_secret(cls, secret: Mapping[str, Any], *, allowed_sandbox_hosts: Sequence[str] = ()) -> Self:
        """Keys: sender_id, sender_password, company_id, user_id, user_password, entity_id?, endpoint_url?.
        The sandbox allow-list comes from deployment config, never from the secret."""
        missing = [k for k in _REQUIRED if not isinstance(secret.get(k), str) or not secret.get(k)]
        if missing:
            raise ConfigurationError(f"Intacct secret is missing or has empty keys: {', '.join(missing)}")
        return cls(
            sender_id=secret["sender_id"],
            sender_password=secret["sender_password"],
            company_id=secret["company_id"],
            user_id=secret["user_id"],
            user_password=secret["user_password"],
            entity_id=secret.get("entity_id") or None,
            endpoint_url=secret.get("endpoint_url") or DEFAULT_ENDPOINT,
            allowed_sandbox_hosts=tuple(allowed_sandbox_hosts),
        )

    def secrets(self) -> tuple[str, ...]:
        """Values that must never reach a log line or an exception message."""
        return (self.sender_password, self.user_password)
