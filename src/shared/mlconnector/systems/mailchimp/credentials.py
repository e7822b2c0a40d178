"""Mailchimp credentials as read from one Secrets Manager JSON secret.

An API key (`…-us6`: HTTP Basic, the data centre from its suffix) or an OAuth access token (Bearer; its data centre
comes from the OAuth metadata endpoint). `list_id` names the audience the flows write to. For local runs the secret
may carry `base_url` (the API root) and `metadata_url`, accepted only for the deployment's sandbox hosts.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any, Self

from mlconnector.systems.mailchimp.endpoint import (
    KEY_EXAMPLE,
    METADATA_URL,
    api_root,
    check_api_root,
    check_metadata_url,
    data_centre_of_key,
    data_centre_of_root,
)
from mlconnector.systems.mailchimp.errors import ConfigurationError

_LIST_ID = re.compile(r"[A-Za-z0-9_-]{1,64}")
_STRINGS = ("api_key", "access_token", "list_id", "base_url", "metadata_url")


@dataclass(frozen=True)
class MailchimpCredentials:
    """One Mailchimp account and how to authenticate to it. The repr hides the key and the token."""

    api_key: str = field(default="", repr=False)
    access_token: str = field(default="", repr=False)
    list_id: str = ""
    """The audience id (10 characters in Mailchimp's UI, e.g. 1a2df69511); may be empty for the client alone."""
    base_url: str | None = None
    """The API root: only the key's own `https://{dc}.api.mailchimp.com/3.0`, or an allowed sandbox host."""
    metadata_url: str = METADATA_URL
    """OAuth only: where the token's data centre is looked up (Mailchimp's, or an allowed sandbox host)."""
    allowed_sandbox_hosts: tuple[str, ...] = ()
    data_centre: str = field(init=False, default="")
    """From the API key; "" for an OAuth token (the client learns it from the metadata endpoint)."""

    def __post_init__(self) -> None:
        object.__setattr__(self, "allowed_sandbox_hosts", tuple(self.allowed_sandbox_hosts))
        object.__setattr__(self, "api_key", self.api_key.strip())
        object.__setattr__(self, "access_token", self.access_token.strip())
        if bool(self.api_key) == bool(self.access_token):
            raise ConfigurationError(
                "Mailchimp credentials: give api_key (it looks like "
                f"{KEY_EXAMPLE}) or an OAuth access_token, not {'both' if self.api_key else 'neither'}"
            )
        if self.list_id and not _LIST_ID.fullmatch(self.list_id):
            raise ConfigurationError("Mailchimp list_id must be the audience id (letters and digits, e.g. 1a2df69511)")
        if self.api_key:
            object.__setattr__(self, "data_centre", data_centre_of_key(self.api_key))
        if self.base_url is not None:
            object.__setattr__(self, "base_url", self._checked_base_url(self.base_url))
        object.__setattr__(self, "metadata_url", check_metadata_url(self.metadata_url, self.allowed_sandbox_hosts))

    def _checked_base_url(self, url: str) -> str:
        root = check_api_root(url, self.allowed_sandbox_hosts, what="Mailchimp base_url")
        vendor_dc = data_centre_of_root(root)  # "" for a sandbox host
        if vendor_dc and self.data_centre and vendor_dc != self.data_centre:
            raise ConfigurationError(
                f"Mailchimp base_url's data centre {vendor_dc} does not match the API key's data centre "
                f"{self.data_centre}: remove base_url (the key names its data centre)"
            )
        return root

    @property
    def oauth(self) -> bool:
        return not self.api_key

    @property
    def root(self) -> str | None:
        """The API root if known without a call: the override, or the key's data centre; None for OAuth."""
        if self.base_url is not None:
            return self.base_url
        return api_root(self.data_centre) if self.data_centre else None

    @classmethod
    def from_secret(cls, secret: Mapping[str, Any], *, allowed_sandbox_hosts: Sequence[str] = ()) -> Self:
        """Keys: api_key or access_token, list_id, and for local runs base_url and metadata_url (optional). The
        sandbox allow-list comes from deployment config, never from the secret."""
        wrong = [name for name in _STRINGS if not isinstance(secret.get(name) or "", str)]
        if wrong:
            raise ConfigurationError(f"Mailchimp secret: {', '.join(wrong)} must be text")
        strings = {name: str(secret.get(name) or "").strip() for name in _STRINGS}
        if not strings["api_key"] and not strings["access_token"]:
            raise ConfigurationError(
                f"Mailchimp secret has no api_key: paste the account's API key (it looks like {KEY_EXAMPLE})"
            )
        return cls(
            api_key=strings["api_key"],
            access_token=strings["access_token"],
            list_id=strings["list_id"],
            base_url=strings["base_url"] or None,
            metadata_url=strings["metadata_url"] or METADATA_URL,
            allowed_sandbox_hosts=tuple(allowed_sandbox_hosts),
        )

    def secrets(self) -> tuple[str, ...]:
        """Values that must never reach a log line or an exception message."""
        return tuple(s for s in (self.api_key, self.access_token) if s)
