"""The cache key of Marketo access tokens: which ids name a token.

The token and cache types are shared by every client (mlconnector.oauth_tokens); the DynamoDB cache is
state/token_cache.py."""

from __future__ import annotations

import hashlib

from mlconnector.oauth_tokens import AccessToken, InMemoryTokenCache, TokenCache
from mlconnector.systems.marketo.credentials import MarketoCredentials

__all__ = ["AccessToken", "InMemoryTokenCache", "TokenCache", "token_cache_key"]


def token_cache_key(credentials: MarketoCredentials) -> str:
    """`marketo-token:<sha256>` over Munchkin id, client id and base URL; never the secret.

    Marketo issues one token per custom service (client id), so that is the identity. The base URL keeps
    a simulator's tokens apart from production ones that happen to share the ids."""
    parts = (credentials.munchkin_id, credentials.client_id, credentials.base)
    material = "\x1f".join(f"{len(p)}:{p}" for p in parts)
    return "marketo-token:" + hashlib.sha256(material.encode()).hexdigest()
