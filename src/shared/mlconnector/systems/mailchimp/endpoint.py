"""Where Mailchimp credentials may be sent, and where a batch archive may be fetched from.

- API: `https://{dc}.api.mailchimp.com/3.0`, the data centre `dc` taken from the API key's suffix (`…-us6`) or from
  the OAuth metadata's `api_endpoint`; both are checked here before any credential goes there.
- OAuth metadata: `https://login.mailchimp.com/oauth2/metadata`.
- A batch's result archive (`response_body_url`): a pre-signed object-store link that gets NO credentials; still
  only https on the hosts below (seen in captures: `mailchimp-api-batch.s3.amazonaws.com`).

Anything else is allowed only for hosts the deployment lists for its local simulators (never a list taken from the
secret); there a base URL without a path gets `/3.0`.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from mlconnector.hosts import Url, in_domain, is_default_https, is_sandbox_host, parse_url
from mlconnector.systems.mailchimp.errors import ConfigurationError

API_DOMAIN = "api.mailchimp.com"
API_VERSION = "/3.0"
LOGIN_HOST = "login.mailchimp.com"
METADATA_PATH = "/oauth2/metadata"
METADATA_URL = f"https://{LOGIN_HOST}{METADATA_PATH}"
ARCHIVE_BUCKET = "mailchimp-api-batch"
"""A batch archive may live on this bucket's S3 host (any region form, or path-style) or a Mailchimp host.
UNVERIFIED beyond the captured `mailchimp-api-batch.s3.amazonaws.com`; no credential is ever sent there."""
KEY_EXAMPLE = "0123456789abcdef0123456789abcdef-us6"

_DC = re.compile(r"[a-z]{1,8}[0-9]{1,4}")
_KEY_PART = re.compile(r"[A-Za-z0-9]+")


def data_centre_of_key(api_key: str) -> str:
    """The data centre an API key names after its last `-` (`…-us6` -> `us6`), lower case. ConfigurationError
    (never quoting the key) when there is none."""
    key, sep, dc = api_key.strip().rpartition("-")
    if not sep or not _KEY_PART.fullmatch(key) or not _DC.fullmatch(dc.lower()):
        raise ConfigurationError(
            "Mailchimp api_key has no data centre: an API key looks like "
            f"{KEY_EXAMPLE} (the part after the last '-' names the data centre)"
        )
    return dc.lower()


def check_data_centre(dc: str) -> str:
    candidate = dc.strip().lower()
    if not _DC.fullmatch(candidate):
        raise ConfigurationError(f"Mailchimp data centre {dc[:20]!r} must look like us6 or us21")
    return candidate


def api_root(dc: str) -> str:
    """`https://{dc}.api.mailchimp.com/3.0` for a valid data centre."""
    return check_api_root(f"https://{check_data_centre(dc)}.{API_DOMAIN}")


def data_centre_of_root(root: str) -> str:
    """The data centre of a vendor API root ("" for a sandbox host)."""
    host = parse_url(root, "Mailchimp API URL").host
    return host.removesuffix("." + API_DOMAIN) if in_domain(host, API_DOMAIN) else ""


def check_api_root(url: str, allowed_sandbox_hosts: Sequence[str] = (), *, what: str = "Mailchimp API URL") -> str:
    """The API root (ending in /3.0, no trailing slash) if credentials may be sent there, else ConfigurationError.

    Accepted: `https://{dc}.api.mailchimp.com` (with or without /3.0) for a valid dc, or an allowed sandbox host
    (a URL without a path gets /3.0; a path is kept, so a simulator may mount the API anywhere)."""
    parts = _parse(url, what)
    path = parts.path.rstrip("/")
    if is_sandbox_host(parts, allowed_sandbox_hosts):
        return f"{parts.scheme}://{parts.netloc}{path or API_VERSION}"
    dc = parts.host.removesuffix("." + API_DOMAIN)
    if not (in_domain(parts.host, API_DOMAIN) and _DC.fullmatch(dc) and is_default_https(parts)):
        raise ConfigurationError(
            f"{what} host {parts.host} is neither https://<dc>.{API_DOMAIN} nor an allowed sandbox host"
        )
    if path not in ("", API_VERSION):
        raise ConfigurationError(f"{what} for {parts.host} must be the host alone or end in {API_VERSION}")
    return f"https://{parts.host}{API_VERSION}"


def check_metadata_url(url: str, allowed_sandbox_hosts: Sequence[str] = ()) -> str:
    """The OAuth metadata URL if the access token may be sent there: Mailchimp's own, or an allowed sandbox host
    (a URL without a path gets /oauth2/metadata)."""
    parts = _parse(url, "Mailchimp OAuth metadata URL")
    path = parts.path.rstrip("/")
    if is_sandbox_host(parts, allowed_sandbox_hosts):
        return f"{parts.scheme}://{parts.netloc}{path or METADATA_PATH}"
    if parts.host != LOGIN_HOST or not is_default_https(parts) or path != METADATA_PATH:
        raise ConfigurationError(
            f"Mailchimp OAuth metadata URL host {parts.host} is neither {METADATA_URL} nor an allowed sandbox host"
        )
    return METADATA_URL


def check_archive_url(url: str, allowed_sandbox_hosts: Sequence[str] = ()) -> str:
    """A batch's `response_body_url` if it may be fetched (without credentials): https on the archive bucket's S3
    host or a Mailchimp host, or an allowed sandbox host. The pre-signed query string is kept."""
    parts = _parse(url, "Mailchimp batch archive URL", query=True)
    if is_sandbox_host(parts, allowed_sandbox_hosts) or (is_default_https(parts) and _archive_host(parts)):
        return url
    raise ConfigurationError(f"Mailchimp batch archive host {parts.host} is not an https host Mailchimp stores on")


def _archive_host(parts: Url) -> bool:
    if in_domain(parts.host, "mailchimp.com"):
        return True
    if not in_domain(parts.host, "amazonaws.com"):
        return False
    bucket_host = parts.host.startswith(ARCHIVE_BUCKET + ".s3")  # virtual-hosted, any region form
    path_style = parts.host.startswith("s3") and parts.path.startswith(f"/{ARCHIVE_BUCKET}/")
    return bucket_host or path_style


def _parse(url: str, what: str, *, query: bool = False) -> Url:
    """The URL's parts (ConfigurationError for anything a credential must never go to); a query string only when
    `query` (a pre-signed link's signature)."""
    try:
        parts = parse_url(url, what)
    except ValueError as exc:
        raise ConfigurationError(str(exc)) from None
    if (parts.query and not query) or parts.fragment:
        raise ConfigurationError(f"{what} for {parts.host} must not have a query or fragment")
    return parts
