"""Which gateway URLs we will send credentials to.

Production: https on an Intacct host (`intacct.com` or a subdomain), default port, no user info.
Tests and the local sandbox: hosts listed explicitly in `allowed_sandbox_hosts`, as `host` (any
port, http or https) or `host:port`. The same check applies to the configured URL and to the
`endpoint` that getAPISession returns, since a session id is a credential too.
"""

from __future__ import annotations

from collections.abc import Sequence
from urllib.parse import urlsplit

from mlconnector.systems.intacct.errors import ConfigurationError

DEFAULT_ENDPOINT = "https://api.intacct.com/ia/xml/xmlgw.phtml"
INTACCT_DOMAIN = "intacct.com"


def is_intacct_host(host: str) -> bool:
    return host == INTACCT_DOMAIN or host.endswith("." + INTACCT_DOMAIN)


def _sandbox_allowed(host: str, port: int | None, allowed: Sequence[str]) -> bool:
    entries = {entry.strip().lower() for entry in allowed}
    return host in entries or (port is not None and f"{host}:{port}" in entries)


def check_endpoint(url: str, allowed_sandbox_hosts: Sequence[str] = ()) -> str:
    """Return `url` unchanged if credentials may be sent there, else raise ConfigurationError."""
    if any(c.isspace() or c == "\\" for c in url):
        raise ConfigurationError("Intacct endpoint URL contains whitespace or a backslash")
    try:
        parts = urlsplit(url)
        port = parts.port
    except ValueError as exc:
        raise ConfigurationError(f"Intacct endpoint URL is malformed: {exc}") from None
    host = (parts.hostname or "").rstrip(".").lower()
    if not host:
        raise ConfigurationError("Intacct endpoint URL has no host")
    if parts.username is not None or parts.password is not None:
        raise ConfigurationError(f"Intacct endpoint URL for {host} must not contain user info")
    if parts.scheme in ("http", "https") and _sandbox_allowed(host, port, allowed_sandbox_hosts):
        return url
    if parts.scheme != "https":
        raise ConfigurationError(f"Intacct endpoint {host} must use https")
    if not is_intacct_host(host) or port not in (None, 443):
        raise ConfigurationError(f"Intacct endpoint host {host} is not an Intacct domain (*.{INTACCT_DOMAIN})")
    return url
