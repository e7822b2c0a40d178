"""Who is calling: HTTP Basic with the API key as password (any username), ``Bearer``/``OAuth`` with an OAuth
token (or, UNVERIFIED, the API key), the older ``apikey <key>`` form. The key's ``-dc`` suffix must be this
simulator's data centre (and the ``Host``'s, when it is ``<dc>.api.mailchimp.com``).

The OAuth metadata endpoint (``login.mailchimp.com/oauth2/metadata``, served here at ``/oauth2/metadata``)
answers HTTP 200 even for a bad token, with ``{"error": "invalid_token"}`` (verified quirk).
"""

from __future__ import annotations

import base64
import binascii
import re
from dataclasses import dataclass

from sandbox.core.messages import SimRequest
from sandbox.mailchimp.config import MailchimpSimConfig
from sandbox.mailchimp.errors import KEY_DISABLED, KEY_INVALID, KEY_MISSING, WRONG_DATACENTER, ApiError
from sandbox.mailchimp.values import Json

METADATA_PATH = "/oauth2/metadata"
_HOST_DC = re.compile(r"([a-z]+\d+)\.api\.mailchimp\.com(?::\d+)?", re.IGNORECASE)


@dataclass(frozen=True)
class Presented:
    """The credential a request carries: ``kind`` is "key", "token" or "" (none)."""

    kind: str
    value: str


def presented(request: SimRequest) -> Presented:
    header = request.header("authorization").strip()
    scheme, _, value = header.partition(" ")
    value = value.strip()
    match scheme.lower():
        case "basic":
            try:
                decoded = base64.b64decode(value, validate=True).decode("utf-8", "replace")
            except (binascii.Error, ValueError):
                return Presented("key", "")
            return Presented("key", decoded.partition(":")[2])
        case "bearer" | "oauth":
            return Presented("token", value)
        case "apikey":
            return Presented("key", value)
    return Presented("", "")


def account_of(request: SimRequest, config: MailchimpSimConfig) -> str | None:
    """The account a credential belongs to, whatever its data centre (the concurrency gate counts by it)."""
    credential = presented(request)
    known = {key.rpartition("-")[0] for key in config.api_keys}
    if credential.value in config.oauth_tokens or credential.value.rpartition("-")[0] in known:
        return config.account_id
    return None


def refusal(request: SimRequest, config: MailchimpSimConfig) -> ApiError | None:
    """Why the API refuses this request's credential, or None."""
    credential = presented(request)
    if not credential.value:
        return ApiError(401, "API Key Missing", KEY_MISSING)
    if credential.kind == "token" and credential.value in config.oauth_tokens:
        return None
    if credential.kind == "token" and not config.accept_api_key_as_bearer:
        return _invalid()
    return _key_refusal(credential.value, _host_dc(request, config), config)


def _key_refusal(key: str, host_dc: str, config: MailchimpSimConfig) -> ApiError | None:
    secret, _, suffix = key.rpartition("-")
    known = secret in {item.rpartition("-")[0] for item in config.api_keys}
    if not known:
        return _invalid()
    if suffix != host_dc or host_dc != config.dc:
        if config.wrong_dc_status == 403:
            return ApiError(403, "Wrong Datacenter", WRONG_DATACENTER)
        return _invalid()  # the detail names the wrong datacenter
    if config.key_disabled:
        return ApiError(401, "API Key Invalid", KEY_DISABLED)
    return None


def _invalid() -> ApiError:
    return ApiError(401, "API Key Invalid", KEY_INVALID)


def _host_dc(request: SimRequest, config: MailchimpSimConfig) -> str:
    match = _HOST_DC.fullmatch(request.header("host").strip())
    return match.group(1).lower() if match else config.dc


def metadata(request: SimRequest, config: MailchimpSimConfig, base_url: str) -> Json:
    """What login.mailchimp.com/oauth2/metadata says about a token (``api_endpoint`` has no ``/3.0``)."""
    credential = presented(request)
    if credential.kind != "token" or credential.value not in config.oauth_tokens:
        return {"error": "invalid_token"}
    return {
        "dc": config.dc,
        "role": "owner",
        "accountname": config.account_name,
        "user_id": config.user_id,
        "login": {
            "email": config.login_email,
            "avatar": None,
            "login_id": int(config.login_id),
            "login_name": "mlc-sandbox",
            "login_email": config.login_email,
        },
        "login_url": "https://login.mailchimp.com",
        "api_endpoint": base_url,
    }
