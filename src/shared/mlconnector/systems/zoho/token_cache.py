"""The cache key of Zoho access tokens: which ids name a token.

The token and cache types are shared by every client (mlconnector.oauth_tokens); the DynamoDB cache is
state/token_cache.py, which keeps each token's api_domain with it."""

from __future__ import annotations

import hashlib

from mlconnector.oauth_tokens import AccessToken, InMemoryTokenCache, TokenCache
from mlconnector.systems.zoho.credentials import ZohoCredentials

__all__ = ["AccessToken", "InMemoryTokenCache", "TokenCache", "token_cache_key"]


def token_cache_key(credentials: ZohoCredentials) -> str:
    """`zoho-token:<sha256>` over accounts server, client id and refresh token.

    Zoho counts mints per refresh token, and a token carries the scopes its refresh token was granted: a new refresh
    token (say, with a scope added) must not reuse the old one's access token. Only a SHA-256 digest of the refresh
    token is in the key, never the token; the accounts server keeps a simulator's tokens apart from production ones."""
    parts = (credentials.accounts_url, credentials.client_id, credentials.refresh_token)
    material = "\x1f".join(f"{len(p)}:{p}" for p in parts)
    return "zoho-token:" + hashlib.sha256(material.encode()).hexdigest()
