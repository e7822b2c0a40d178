"""Which gateway URLs we will send credentials to.

Production: https on an Intacct host (`intacct.com` or a subdomain), default port, no user info.
Tests and the local sandbox: hosts listed explicitly in `allowed_sandbox_hosts`, as `host` (any
port, http or https) or `host:port`. The same check applies to the configured URL and to the
`endpoint` that getAPISession returns, since a session id is a credential too.
"""

from __future__ import annotations

from collections.abc import Sequence

from mlconnector.hosts import in_domain, is_default_https, is_sandbox_host, parse_url
from mlconnector.systems.intacct.errors import ConfigurationError

DEFAULT_ENDPOINT = "https://api.intacct.com/ia/xml/xmlgw.phtml"
INTACCT_DOMAIN = "intacct.com"


def is_intacct_host(host: str) -> bool:
    return in_domain(host, INTACCT_DOMAIN)


def check_endpoint(url: str, allowed_sandbox_hosts: Sequence[str] = ()) -> str:
    """Return `url` unchanged if credentials may be sent there, else raise ConfigurationError."""
    try:
        parts = parse_url(url, "Intacct endpoint URL")
    except ValueError as exc:
        raise ConfigurationError(str(exc)) from None
    if is_sandbox_host(parts, allowed_sandbox_hosts):
        return url
    if parts.scheme != "https":
        raise ConfigurationError(f"Intacct endpoint {parts.host} must use https")
    if not is_intacct_host(parts.host) or not is_default_https(parts):
        raise ConfigurationError(f"Intacct endpoint host {parts.host} is not an Intacct domain (*.{INTACCT_DOMAIN})")
    return url
