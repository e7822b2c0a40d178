"""The cache key of Adobe IMS access tokens: which ids name a token.

The token and cache types are shared by every client (mlconnector.oauth_tokens); the DynamoDB cache is
state/token_cache.py."""

from __future__ import annotations

import hashlib

from mlconnector.oauth_tokens import AccessToken, InMemoryTokenCache, TokenCache
from mlconnector.systems.commerce.credentials import CommerceCredentials

__all__ = ["AccessToken", "InMemoryTokenCache", "TokenCache", "token_cache_key"]


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
