"""Where we send Marketo credentials and tokens.

Production: `https://{munchkin}.mktorest.com`, built from the validated Munchkin id (identity at
`/identity`, REST at `/rest`). A `base_url` override is accepted only for hosts listed in
`allowed_sandbox_hosts` (the local simulator), given as `host` (any port, http or https) or
`host:port`; the allow-list comes from deployment config, never from the secret.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from urllib.parse import urlsplit

from mlconnector.hosts import is_default_https, is_sandbox_host, parse_url
from mlconnector.systems.marketo.errors import ConfigurationError

MARKETO_DOMAIN = "mktorest.com"
_MUNCHKIN = re.compile(r"\d{3}-[A-Z]{3}-\d{3}")


def normalize_munchkin_id(value: str) -> str:
    """The Munchkin (account) id in its canonical `NNN-AAA-NNN` form (letters upper-cased).

    Strict on purpose: the id becomes part of a host name."""
    candidate = value.strip().upper()
    if not _MUNCHKIN.fullmatch(candidate):
        raise ConfigurationError(f"Marketo Munchkin id {value[:40]!r} must look like 123-ABC-456")
    return candidate


def default_base_url(munchkin_id: str) -> str:
    return f"https://{normalize_munchkin_id(munchkin_id)}.{MARKETO_DOMAIN}"


def check_base_url(url: str, munchkin_id: str, allowed_sandbox_hosts: Sequence[str] = ()) -> str:
    """The base URL (no trailing slash) if tokens may be sent there, else ConfigurationError.

    Accepted: the instance's own `https://{munchkin}.mktorest.com`, or an allowed sandbox host."""
    try:
        parts = parse_url(url, "Marketo base URL")
    except ValueError as exc:
        raise ConfigurationError(str(exc)) from None
    if parts.path.strip("/") or parts.query or parts.fragment:
        raise ConfigurationError(f"Marketo base URL for {parts.host} must be scheme and host only (no path or query)")
    base = f"{parts.scheme}://{parts.netloc}"
    if is_sandbox_host(parts, allowed_sandbox_hosts):
        return base
    own_host = urlsplit(default_base_url(munchkin_id)).hostname
    if parts.host != own_host or not is_default_https(parts):
        raise ConfigurationError(
            f"Marketo base URL host {parts.host} is neither https://{own_host} nor an allowed sandbox host"
        )
    return base


def join(base: str, path: str) -> str:
    """`base` + `/path` with exactly one slash between (Marketo is retiring `//` in gateway URLs)."""
    return base.rstrip("/") + "/" + path.lstrip("/")


def identity_url(base: str) -> str:
    return join(base, "identity/oauth/token")


def rest_url(base: str, resource: str) -> str:
    """e.g. rest_url(base, "v1/companies.json") -> {base}/rest/v1/companies.json"""
    return join(base, "rest/" + resource.lstrip("/"))
