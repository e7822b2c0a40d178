"""Where Commerce credentials may be sent, and which flavour an instance URL names (reference, intro table).

- SaaS (Adobe Commerce as a Cloud Service): `https://{server}.api.commerce.adobe.com/{tenant_id}`; REST paths
  are `{root}/V1/...`; authentication is an Adobe IMS token.
- PaaS (on-prem, cloud infrastructure, Open Source): the merchant's own https host, REST under
  `[/prefix]/rest[/{store_code}]`; authentication is OAuth 1.0a (or an integration token as Bearer).

A merchant's domain cannot be checked against a vendor list, so a PaaS URL must be https on the default port with
a real DNS name (no IP literal, no single-label or `localhost` host). Anything else, and plain http, is allowed
only for hosts the deployment lists for its local simulators (never a list taken from the secret).
"""

from __future__ import annotations

import ipaddress
import re
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Literal

from mlconnector.hosts import Url, in_domain, is_default_https, is_sandbox_host, parse_url
from mlconnector.systems.commerce.errors import ConfigurationError

Flavour = Literal["paas", "saas"]
FLAVOURS: tuple[Flavour, ...] = ("paas", "saas")

SAAS_DOMAIN = "api.commerce.adobe.com"
IMS_DOMAIN = "adobelogin.com"
DEFAULT_IMS_TOKEN_URL = "https://ims-na1.adobelogin.com/ims/token/v3"  # noqa: S105 - a URL, not a secret

_STORE_CODE = re.compile(r"[A-Za-z0-9_]{1,64}")
_TENANT = re.compile(r"[A-Za-z0-9][A-Za-z0-9_-]{0,127}")


@dataclass(frozen=True)
class Instance:
    flavour: Flavour
    rest_root: str
    """Everything before `V1/...`: `https://shop.example.com/rest/default` or `https://na1.api.commerce.adobe.com/T1`."""
    host: str
    sandbox: bool = False

    def url(self, path: str) -> str:
        """e.g. url("V1/orders") -> {rest_root}/V1/orders"""
        return self.rest_root + "/" + path.lstrip("/")


def _segments(parts: Url) -> list[str]:
    segments = [s for s in parts.path.split("/") if s]
    if segments and segments[-1] in ("V1", "v1"):
        segments.pop()  # accept a URL copied with the version segment
    return segments


def detect_flavour(url: str) -> Flavour | None:
    """saas for a host under api.commerce.adobe.com, paas for a URL with a `/rest` segment, else None."""
    try:
        parts = parse_url(url, "Commerce base URL")
    except ValueError:
        return None
    if in_domain(parts.host, SAAS_DOMAIN):
        return "saas"
    return "paas" if "rest" in _segments(parts) else None


def check_instance_url(url: str, flavour: Flavour | None = None, allowed_sandbox_hosts: Sequence[str] = ()) -> Instance:
    """The instance's REST root if credentials may be sent there, else ConfigurationError.

    `flavour` set explicitly wins over detection, except that a SaaS host is always SaaS and SaaS is only
    accepted on Adobe's domain (or an allowed sandbox host)."""
    try:
        parts = parse_url(url, "Commerce base URL")
    except ValueError as exc:
        raise ConfigurationError(str(exc)) from None
    if parts.query or parts.fragment:
        raise ConfigurationError(f"Commerce base URL for {parts.host} must not have a query or fragment")
    sandbox = is_sandbox_host(parts, allowed_sandbox_hosts)
    detected = detect_flavour(url)
    if flavour is not None and flavour not in FLAVOURS:
        raise ConfigurationError(f"Commerce flavour must be one of {', '.join(FLAVOURS)}")
    if detected == "saas" and flavour == "paas":
        raise ConfigurationError(f"{parts.host} is an Adobe Commerce as a Cloud Service host: the flavour is saas")
    chosen = flavour or detected
    if chosen is None:
        raise ConfigurationError(
            f"cannot tell the Commerce flavour from the URL for {parts.host}: give a PaaS URL with /rest, "
            "a https://<server>.api.commerce.adobe.com/<tenant> URL, or set flavour explicitly"
        )
    if not sandbox:
        _check_public_host(parts, chosen)
    base = f"{parts.scheme}://{parts.netloc}"
    segments = _segments(parts)
    if chosen == "saas":
        return Instance("saas", base + "/" + _tenant_path(segments, parts.host), parts.host, sandbox)
    return Instance("paas", base + "/" + "/".join(_paas_path(segments, parts.host)), parts.host, sandbox)


def _check_public_host(parts: Url, flavour: Flavour) -> None:
    if not is_default_https(parts):
        raise ConfigurationError(f"Commerce base URL for {parts.host} must be https on the default port")
    if flavour == "saas":
        if not in_domain(parts.host, SAAS_DOMAIN) or parts.host == SAAS_DOMAIN:
            raise ConfigurationError(f"Commerce SaaS host {parts.host} is not under {SAAS_DOMAIN}")
        return
    if _is_ip(parts.host) or "." not in parts.host or parts.host.endswith(".localhost"):
        raise ConfigurationError(
            f"Commerce base URL host {parts.host} must be the store's DNS name (or an allowed sandbox host)"
        )


def _is_ip(host: str) -> bool:
    try:
        ipaddress.ip_address(host.strip("[]"))
    except ValueError:
        return False
    return True


def _tenant_path(segments: list[str], host: str) -> str:
    if len(segments) != 1 or not _TENANT.fullmatch(segments[0]):
        raise ConfigurationError(f"Commerce SaaS URL for {host} must be https://{host}/<tenant_id> (one path segment)")
    return segments[0]


def _paas_path(segments: list[str], host: str) -> list[str]:
    """`[prefix...]/rest[/store_code]`; `/rest` is added when the URL names only the shop (or its subfolder)."""
    if "rest" not in segments:
        return [*segments, "rest"]
    index = len(segments) - 1 - segments[::-1].index("rest")
    store = segments[index + 1 :]
    if len(store) > 1 or (store and not _STORE_CODE.fullmatch(store[0])):
        raise ConfigurationError(f"Commerce PaaS URL for {host} must end in /rest or /rest/<store_code>")
    if store and store[0] == "all":
        raise ConfigurationError(f"Commerce PaaS URL for {host}: store code 'all' refuses GET; use 'default' or none")
    return segments[: index + 1] + store


def check_ims_url(url: str, allowed_sandbox_hosts: Sequence[str] = ()) -> str:
    """The IMS token URL if the client secret may be sent there: https under adobelogin.com, or a sandbox host."""
    try:
        parts = parse_url(url, "Adobe IMS token URL")
    except ValueError as exc:
        raise ConfigurationError(str(exc)) from None
    if parts.query or parts.fragment:
        raise ConfigurationError(f"Adobe IMS token URL for {parts.host} must not have a query or fragment")
    if is_sandbox_host(parts, allowed_sandbox_hosts):
        return url
    if not (in_domain(parts.host, IMS_DOMAIN) and is_default_https(parts)):
        raise ConfigurationError(f"Adobe IMS token URL host {parts.host} is not https under {IMS_DOMAIN}")
    return url
