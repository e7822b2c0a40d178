"""IMS access tokens cached across Lambda containers, behind a small protocol (the DynamoDB adapter lives with
the connection's state; this module has the in-memory one for tests and single processes)."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from typing import Protocol

from mlconnector.systems.commerce.credentials import CommerceCredentials


@dataclass(frozen=True)
class AccessToken:
    token: str = field(repr=False)
    created_at: float
    """When we received it (our clock)."""
    expires_at: float
    """created_at + IMS's `expires_in`, so clock skew does not matter."""

    def seconds_left(self, now: float) -> float:
        return self.expires_at - now


class TokenCache(Protocol):
    def get(self, key: str) -> AccessToken | None: ...

    def put(self, key: str, token: AccessToken) -> None: ...

    def delete(self, key: str) -> None: ...


class InMemoryTokenCache:
    def __init__(self) -> None:
        self._items: dict[str, AccessToken] = {}

    def get(self, key: str) -> AccessToken | None:
        return self._items.get(key)

    def put(self, key: str, token: AccessToken) -> None:
        self._items[key] = token

    def delete(self, key: str) -> None:
        self._items.pop(key, None)


def token_cache_key(credentials: CommerceCredentials) -> str:
    """`commerce-token:<sha256>` over IMS URL, client id, org id, scopes and instance; never the secret.

    The scopes decide what a token may do, and the instance keeps a simulator's tokens apart from production ones
    that happen to share the ids."""
    parts = (
        credentials.ims_token_url,
        credentials.ims_client_id,
        credentials.ims_org_id,
        ",".join(credentials.ims_scopes),
        credentials.instance.rest_root,
    )
    material = "\x1f".join(f"{len(p)}:{p}" for p in parts)
    return "commerce-token:" + hashlib.sha256(material.encode()).hexdigest()
