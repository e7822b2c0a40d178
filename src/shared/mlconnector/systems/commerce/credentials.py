"""Adobe Commerce credentials as read from one Secrets Manager JSON secret.

PaaS: the four OAuth 1.0a values of an integration (consumer key and secret, access token and secret). A secret
holding only `access_token` opts into Bearer mode, which works only when the merchant enabled "Allow OAuth Access
Tokens to be used as standalone Bearer tokens" (reference §1.2). SaaS: an Adobe IMS OAuth server-to-server
credential (client id and secret, IMS org id, scopes).
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any, Literal, Self

from mlconnector.systems.commerce.endpoint import (
    DEFAULT_IMS_TOKEN_URL,
    FLAVOURS,
    Flavour,
    Instance,
    check_ims_url,
    check_instance_url,
)
from mlconnector.systems.commerce.errors import ConfigurationError

PaasAuth = Literal["oauth1", "bearer"]

REQUIRED_SCOPE = "commerce.accs"
DEFAULT_IMS_SCOPES: tuple[str, ...] = (
    "openid",
    "AdobeID",
    "email",
    "profile",
    "additional_info.roles",
    "additional_info.projectedProductContext",
    REQUIRED_SCOPE,
)
_OAUTH1 = ("consumer_key", "consumer_secret", "access_token", "access_token_secret")
_IMS = ("ims_client_id", "ims_client_secret", "ims_org_id")
_STORE_VIEW = re.compile(r"[A-Za-z0-9_]{1,64}")


@dataclass(frozen=True)
class CommerceCredentials:
    """One Commerce instance and how to authenticate to it. The repr hides every secret."""

    base_url: str
    flavour: Flavour | None = None
    """Explicit flavour; None = read it from `base_url`. Resolved to the instance's flavour on construction."""
    consumer_key: str = ""
    consumer_secret: str = field(default="", repr=False)
    access_token: str = field(default="", repr=False)
    access_token_secret: str = field(default="", repr=False)
    ims_client_id: str = ""
    ims_client_secret: str = field(default="", repr=False)
    ims_org_id: str = ""
    ims_scopes: tuple[str, ...] = DEFAULT_IMS_SCOPES
    ims_token_url: str = DEFAULT_IMS_TOKEN_URL
    store_view: str = ""
    """SaaS only: the `Store` header (store view code); empty = the default store view."""
    allowed_sandbox_hosts: tuple[str, ...] = ()
    instance: Instance = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "allowed_sandbox_hosts", tuple(self.allowed_sandbox_hosts))
        object.__setattr__(self, "ims_scopes", tuple(self.ims_scopes))
        instance = check_instance_url(self.base_url, self.flavour, self.allowed_sandbox_hosts)
        object.__setattr__(self, "instance", instance)
        object.__setattr__(self, "flavour", instance.flavour)
        if instance.flavour == "paas":
            self._check_paas()
        else:
            self._check_saas()

    def _check_paas(self) -> None:
        given = [name for name in _OAUTH1 if getattr(self, name)]
        if given == ["access_token"]:
            return  # Bearer mode
        missing = [name for name in _OAUTH1 if not getattr(self, name)]
        if missing:
            raise ConfigurationError(
                f"Commerce PaaS credentials: {', '.join(missing)} empty; give all four OAuth 1.0a integration "
                "values, or only access_token for Bearer mode"
            )

    def _check_saas(self) -> None:
        missing = [name for name in _IMS if not getattr(self, name)]
        if missing:
            raise ConfigurationError(f"Commerce SaaS credentials: {', '.join(missing)} empty")
        if REQUIRED_SCOPE not in self.ims_scopes:
            raise ConfigurationError(f"Commerce SaaS credentials: ims_scopes must include {REQUIRED_SCOPE}")
        check_ims_url(self.ims_token_url, self.allowed_sandbox_hosts)
        if self.store_view and not _STORE_VIEW.fullmatch(self.store_view):
            raise ConfigurationError("Commerce SaaS credentials: store_view must be a store view code")

    @property
    def paas_auth(self) -> PaasAuth:
        """oauth1 (all four integration values) or bearer (the access token alone)."""
        return "oauth1" if self.consumer_secret else "bearer"

    @classmethod
    def from_secret(cls, secret: Mapping[str, Any], *, allowed_sandbox_hosts: Sequence[str] = ()) -> Self:
        """Keys: base_url, flavour (optional), consumer_key, consumer_secret, access_token, access_token_secret
        (PaaS) or ims_client_id, ims_client_secret, ims_org_id, ims_scopes (list or comma/space separated;
        optional), ims_token_url and store_view (optional) for SaaS. The sandbox allow-list comes from
        deployment config, never from the secret."""
        base_url = secret.get("base_url")
        if not isinstance(base_url, str) or not base_url:
            raise ConfigurationError("Commerce secret is missing base_url")
        strings = {name: _string(secret, name) for name in (*_OAUTH1, *_IMS, "ims_token_url", "store_view")}
        flavour = _string(secret, "flavour").lower() or None
        if flavour is not None and flavour not in FLAVOURS:
            raise ConfigurationError(f"Commerce secret: flavour must be one of {', '.join(FLAVOURS)}")
        return cls(
            base_url=base_url,
            flavour=flavour,
            consumer_key=strings["consumer_key"],
            consumer_secret=strings["consumer_secret"],
            access_token=strings["access_token"],
            access_token_secret=strings["access_token_secret"],
            ims_client_id=strings["ims_client_id"],
            ims_client_secret=strings["ims_client_secret"],
            ims_org_id=strings["ims_org_id"],
            ims_scopes=_scopes(secret.get("ims_scopes")),
            ims_token_url=strings["ims_token_url"] or DEFAULT_IMS_TOKEN_URL,
            store_view=strings["store_view"],
            allowed_sandbox_hosts=tuple(allowed_sandbox_hosts),
        )

    def secrets(self) -> tuple[str, ...]:
        """Values that must never reach a log line or an exception message."""
        return tuple(
            s for s in (self.consumer_secret, self.access_token, self.access_token_secret, self.ims_client_secret) if s
        )


def _string(secret: Mapping[str, Any], name: str) -> str:
    value = secret.get(name)
    if value is None:
        return ""
    if not isinstance(value, str):
        raise ConfigurationError(f"Commerce secret: {name} must be a string")
    return value.strip()


def _scopes(value: object) -> tuple[str, ...]:
    if value is None or value == "":
        return DEFAULT_IMS_SCOPES
    if isinstance(value, str):
        return tuple(s for s in re.split(r"[\s,]+", value) if s)
    if isinstance(value, list) and all(isinstance(s, str) for s in value):
        return tuple(s.strip() for s in value if s.strip())
    raise ConfigurationError("Commerce secret: ims_scopes must be a list of strings or a comma-separated string")
