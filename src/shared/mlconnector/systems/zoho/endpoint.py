"""Where Zoho credentials and tokens may be sent (reference §1.1, verified §2.3).

- Accounts server (the refresh-token grant) per data centre: `https://accounts.zoho.{com,eu,in,com.au,jp,sa,com.cn}`
  and, for Canada, `https://accounts.zohocloud.ca` (not zoho.ca). Configured by data centre, or by accounts URL.
- API host: the token response's `api_domain`, one of `https://{www,sandbox,developer}.zohoapis.{com,eu,in,com.au,jp,
  sa,com.cn,ca}`; checked here before any token goes there. API calls are `{api_domain}/crm/v8/...`.

Anything else is allowed only for hosts the deployment lists for its local simulators (never a list from the secret).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from mlconnector.hosts import Url, is_default_https, is_sandbox_host, parse_url
from mlconnector.systems.zoho.errors import ConfigurationError

API_VERSION = "v8"
GRANT_PATH = "/oauth/v2/token"
API_PREFIXES = ("www", "sandbox", "developer")
"""Production, sandbox and developer-edition API hosts of every data centre."""


@dataclass(frozen=True)
class DataCentre:
    code: str
    accounts_host: str
    api_suffix: str
    """The API hosts' domain: `zohoapis.{suffix}`."""

    @property
    def accounts_url(self) -> str:
        return f"https://{self.accounts_host}"

    @property
    def api_domain(self) -> str:
        """The production API domain, used when a token response names none."""
        return f"https://www.zohoapis.{self.api_suffix}"


DATA_CENTRES: dict[str, DataCentre] = {
    dc.code: dc
    for dc in (
        DataCentre("US", "accounts.zoho.com", "com"),
        DataCentre("EU", "accounts.zoho.eu", "eu"),
        DataCentre("IN", "accounts.zoho.in", "in"),
        DataCentre("AU", "accounts.zoho.com.au", "com.au"),
        DataCentre("JP", "accounts.zoho.jp", "jp"),
        DataCentre("CA", "accounts.zohocloud.ca", "ca"),
        DataCentre("SA", "accounts.zoho.sa", "sa"),
        DataCentre("CN", "accounts.zoho.com.cn", "com.cn"),
    )
}
API_HOSTS: dict[str, DataCentre] = {
    f"{prefix}.zohoapis.{dc.api_suffix}": dc for dc in DATA_CENTRES.values() for prefix in API_PREFIXES
}
ACCOUNTS_HOSTS: dict[str, DataCentre] = {dc.accounts_host: dc for dc in DATA_CENTRES.values()}


def data_centre(code: str) -> DataCentre:
    """The data centre of a code (US, EU, IN, AU, JP, CA, SA, CN; any case)."""
    found = DATA_CENTRES.get(code.strip().upper())
    if found is None:
        raise ConfigurationError(
            f"Zoho data_centre {code[:20]!r} is not one of {', '.join(DATA_CENTRES)} (the domain you sign in to "
            "Zoho CRM at: zoho.com is US, zoho.eu EU, zohocloud.ca CA, ...)"
        )
    return found


def check_accounts_url(url: str, allowed_sandbox_hosts: Sequence[str] = ()) -> tuple[str, DataCentre | None]:
    """The accounts server's URL (no trailing slash) if credentials may be sent there, and its data centre (None for a
    sandbox host, whose path is kept: a simulator may serve several data centres' accounts servers); else
    ConfigurationError."""
    parts = _parse(url, "Zoho accounts_url")
    if is_sandbox_host(parts, allowed_sandbox_hosts):
        return f"{parts.scheme}://{parts.netloc}{parts.path.rstrip('/')}", None
    _origin_only(parts, "Zoho accounts_url")
    dc = ACCOUNTS_HOSTS.get(parts.host)
    if dc is None or not is_default_https(parts):
        raise ConfigurationError(
            f"Zoho accounts_url host {parts.host} is not a Zoho accounts server "
            f"({', '.join(sorted(ACCOUNTS_HOSTS))}) nor an allowed sandbox host"
        )
    return dc.accounts_url, dc


def check_api_domain(url: str, allowed_sandbox_hosts: Sequence[str] = ()) -> str:
    """The API domain (scheme and host, no trailing slash) if tokens may be sent there, else a ConfigurationError
    naming it: a token must never go to a host outside Zoho."""
    parts = _origin_only(_parse(url, "Zoho api_domain"), "Zoho api_domain")
    if is_sandbox_host(parts, allowed_sandbox_hosts):
        return f"{parts.scheme}://{parts.netloc}"
    if parts.host not in API_HOSTS or not is_default_https(parts):
        raise ConfigurationError(
            f"Zoho api_domain {url[:100]!r} is not a Zoho API host (https://www|sandbox|developer.zohoapis.<dc>) "
            "nor an allowed sandbox host: no token is sent there"
        )
    return f"https://{parts.host}"


def token_url(accounts_url: str) -> str:
    return accounts_url.rstrip("/") + GRANT_PATH


def api_url(api_domain: str, path: str) -> str:
    """`{api_domain}/crm/v8/{path}`."""
    return f"{api_domain.rstrip('/')}/crm/{API_VERSION}/{path.lstrip('/')}"


def origin(url: str) -> str:
    """Scheme and host (and port) of a URL."""
    parts = _parse(url, "URL")
    return f"{parts.scheme}://{parts.netloc}"


def _parse(url: str, what: str) -> Url:
    """The URL's parts; ConfigurationError for anything a credential must never be sent to, or with a query."""
    try:
        parts = parse_url(url.strip(), what)
    except ValueError as exc:
        raise ConfigurationError(str(exc)) from None
    if parts.query or parts.fragment:
        raise ConfigurationError(f"{what} for {parts.host} must not have a query or fragment")
    return parts


def _origin_only(parts: Url, what: str) -> Url:
    if parts.path.strip("/"):
        raise ConfigurationError(f"{what} for {parts.host} must be scheme and host only (no path or query)")
    return parts
