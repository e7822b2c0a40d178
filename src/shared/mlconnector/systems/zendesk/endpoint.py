"""Where Zendesk credentials and tokens may be sent (reference §1): `https://{subdomain}.zendesk.com` only, for the API
(`/api/v2/...`) and the OAuth grant (`/oauth/tokens`). A help centre's host-mapped domain is never used for the API.

The subdomain is letters, digits and hyphens (a DNS label); anything else is refused before a URL is built from it.
A `base_url` is accepted only for hosts the deployment lists for its local simulators (never a list from the secret).
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from mlconnector.hosts import in_domain, is_default_https, is_sandbox_host, parse_url
from mlconnector.systems.zendesk.errors import ConfigurationError

DOMAIN = "zendesk.com"
API_PREFIX = "/api/v2"
GRANT_PATH = "/oauth/tokens"
_SUBDOMAIN = re.compile(r"^[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?$")


def check_subdomain(value: str) -> str:
    """The subdomain (lower case) if it is one: letters, digits and hyphens, at most 63, no hyphen at either end."""
    text = value.strip().lower()
    if not _SUBDOMAIN.match(text):
        shown = value[:40]
        raise ConfigurationError(
            f"Zendesk subdomain {shown!r} is not a subdomain (letters, digits and hyphens): for "
            'https://acme.zendesk.com set "subdomain": "acme"'
        )
    return text


def origin_of(subdomain: str) -> str:
    """`https://{subdomain}.zendesk.com`, checked with hosts.py like any URL a credential goes to."""
    url = f"https://{check_subdomain(subdomain)}.{DOMAIN}"
    parts = parse_url(url, "Zendesk URL")
    if not (in_domain(parts.host, DOMAIN) and parts.host != DOMAIN and is_default_https(parts)):
        raise ConfigurationError(f"Zendesk URL {url} is not a Zendesk host")  # unreachable for a checked subdomain
    return url


def check_base_url(url: str, allowed_sandbox_hosts: Sequence[str]) -> str:
    """A sandbox `base_url` (scheme, host, port, no trailing slash) if the deployment allows its host, else
    ConfigurationError: credentials never go to a host outside Zendesk."""
    try:
        parts = parse_url(url.strip(), "Zendesk base_url")
    except ValueError as exc:
        raise ConfigurationError(str(exc)) from None
    if parts.query or parts.fragment or parts.path.strip("/"):
        raise ConfigurationError(f"Zendesk base_url for {parts.host} must be scheme and host only")
    if not is_sandbox_host(parts, allowed_sandbox_hosts):
        raise ConfigurationError(
            f"Zendesk base_url host {parts.host} is not an allowed sandbox host: production uses the subdomain, "
            "remove base_url"
        )
    return f"{parts.scheme}://{parts.netloc}"


def api_url(origin: str, path: str) -> str:
    """`{origin}/api/v2/{path}`."""
    return f"{origin.rstrip('/')}{API_PREFIX}/{path.lstrip('/')}"


def token_url(origin: str) -> str:
    return origin.rstrip("/") + GRANT_PATH
