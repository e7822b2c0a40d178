"""How a request authenticates, and where an OAuth token's account lives.

- API key: HTTP Basic, any user name, the key as password (reference §1.1).
- OAuth access token: `Authorization: Bearer <token>` on API calls. Tokens never expire (no refresh). Its data
  centre comes from `GET https://login.mailchimp.com/oauth2/metadata` with `Authorization: OAuth <token>`, which
  answers HTTP 200 even for a bad token, with `{"error": "invalid_token"}` (verified §1.4): that is an
  AuthenticationError, never a retry. The `api_endpoint` it returns is checked like any API host.
"""

from __future__ import annotations

import base64
import json
from collections.abc import Sequence

from mlconnector.http import HttpReply, HttpRequest
from mlconnector.systems.mailchimp.credentials import MailchimpCredentials
from mlconnector.systems.mailchimp.endpoint import api_root, check_api_root
from mlconnector.systems.mailchimp.errors import AuthenticationError, ParseError, scrub

BASIC_USER = "mlconnector"
"""Mailchimp ignores the user name of Basic auth."""


def authorization(credentials: MailchimpCredentials) -> str:
    """The Authorization header of an API call."""
    if credentials.oauth:
        return f"Bearer {credentials.access_token}"
    pair = f"{BASIC_USER}:{credentials.api_key}".encode()
    return "Basic " + base64.b64encode(pair).decode("ascii")


def metadata_request(credentials: MailchimpCredentials) -> HttpRequest:
    return HttpRequest("GET", credentials.metadata_url, headers={"Authorization": f"OAuth {credentials.access_token}"})


def root_from_metadata(reply: HttpReply, credentials: MailchimpCredentials) -> str:
    """The API root (…/3.0) the metadata names for the token: `api_endpoint` (checked), else its `dc`. Call only
    for a 2xx reply."""
    try:
        data = json.loads(reply.body)
    except (ValueError, UnicodeDecodeError):
        raise ParseError("Mailchimp OAuth metadata: the reply is not JSON", status=reply.status) from None
    if not isinstance(data, dict):
        raise ParseError("Mailchimp OAuth metadata: the reply is not a JSON object", status=reply.status)
    error = data.get("error")
    if error:
        raise AuthenticationError(
            "Mailchimp OAuth metadata: the access token was refused; connect the app again and store the new "
            "access_token in the Mailchimp secret",
            status=reply.status,
            detail=_text(error, credentials.secrets()),
        )
    endpoint, dc = data.get("api_endpoint"), data.get("dc")
    if isinstance(endpoint, str) and endpoint:
        return check_api_root(endpoint, credentials.allowed_sandbox_hosts, what="Mailchimp OAuth api_endpoint")
    if isinstance(dc, str) and dc:
        return api_root(dc)
    raise ParseError("Mailchimp OAuth metadata: neither api_endpoint nor dc in the reply", status=reply.status)


def _text(value: object, secrets: Sequence[str]) -> str:
    return scrub(str(value), secrets)[:200]
