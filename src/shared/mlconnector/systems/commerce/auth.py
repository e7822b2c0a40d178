"""Request authentication for both flavours.

PaaS OAuth 1.0a: every request is signed by oauthlib (RFC 5849, HMAC-SHA256, signature in the Authorization
header). The URL signed is the exact URL sent, query included (see `search.query_string`); JSON bodies are not
part of the base string. PaaS Bearer: the integration access token as is. SaaS: an Adobe IMS client-credentials
token plus `x-api-key` (the client id) and `x-gw-ims-org-id` (reference §2), and `Store` when a store view is set.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Literal, cast
from urllib.parse import urlencode

from oauthlib.oauth1 import SIGNATURE_HMAC_SHA256, SIGNATURE_TYPE_AUTH_HEADER
from oauthlib.oauth1 import Client as OAuth1Client

from mlconnector import oauth_tokens
from mlconnector.http import HttpRequest
from mlconnector.systems.commerce.credentials import CommerceCredentials
from mlconnector.systems.commerce.errors import AuthenticationError, ParseError
from mlconnector.systems.commerce.token_cache import AccessToken

FORM_TYPE = "application/x-www-form-urlencoded"


def oauth1_authorization(credentials: CommerceCredentials, method: str, url: str) -> str:
    """The `Authorization: OAuth ...` value for this method and full URL (query string included)."""
    client = OAuth1Client(
        credentials.consumer_key,
        client_secret=credentials.consumer_secret,
        resource_owner_key=credentials.access_token,
        resource_owner_secret=credentials.access_token_secret,
        signature_method=SIGNATURE_HMAC_SHA256,
        signature_type=SIGNATURE_TYPE_AUTH_HEADER,
    )
    verb = cast(Literal["DELETE", "GET", "PATCH", "POST", "PUT"], method.upper())
    _, headers, _ = client.sign(url, http_method=verb, body=None, headers={})
    return str(headers["Authorization"])


def ims_headers(credentials: CommerceCredentials, token: AccessToken) -> dict[str, str]:
    headers = {
        "Authorization": f"Bearer {token.token}",
        "x-api-key": credentials.ims_client_id,
        "x-gw-ims-org-id": credentials.ims_org_id,
    }
    if credentials.store_view:
        headers["Store"] = credentials.store_view
    return headers


def ims_request(credentials: CommerceCredentials) -> HttpRequest:
    """POST form body (the secret never goes into a URL)."""
    form = (
        ("grant_type", "client_credentials"),
        ("client_id", credentials.ims_client_id),
        ("client_secret", credentials.ims_client_secret),
        ("scope", ",".join(credentials.ims_scopes)),
    )
    return HttpRequest(
        "POST", credentials.ims_token_url, body=urlencode(form).encode(), headers={"Content-Type": FORM_TYPE}
    )


def token_from_reply(body: bytes, *, now: float, secrets: Sequence[str]) -> AccessToken:
    """The AccessToken in a 2xx IMS reply; an OAuth error body is an AuthenticationError, anything unreadable a
    ParseError (retried)."""
    return oauth_tokens.token_from_reply(
        body,
        now=now,
        secrets=secrets,
        reply="Adobe IMS token reply",
        refused=lambda detail: AuthenticationError("Adobe IMS refused the client credentials", detail=detail),
        unreadable=ParseError,
    )
