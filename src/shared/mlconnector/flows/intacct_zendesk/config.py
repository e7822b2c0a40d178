"""The flow's configuration: the "organizations" object of the Zendesk secret.

    {"organizations": {"fields": {"intacct_status": "STATUS", "intacct_terms": "TERMNAME"},
                       "customers": false, "tags": ["intacct-vendor"]}}

`fields` maps Zendesk organization-field keys to what support should see of the financial relationship: an
Intacct field of the vendor, or one of the computed values OPEN_BALANCE and LAST_PAYMENT (the reader adds them).
The keys are checked against Zendesk's `organization_fields` at the start of a run: unknown ones are named.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from mlconnector.config import ConfigurationError
from mlconnector.flows.intacct_source.custom_fields import field_pairs

OPEN_BALANCE = "OPEN_BALANCE"
"""The vendor's open AP balance (the sum of its bills' TOTALDUE), added by the reader."""
LAST_PAYMENT = "LAST_PAYMENT"
"""The date of the vendor's last AP payment (YYYY-MM-DD), added by the reader."""
COMPUTED = (OPEN_BALANCE, LAST_PAYMENT)

DEFAULT_FIELDS: Mapping[str, str] = {
    "intacct_status": "STATUS",
    "intacct_on_hold": "ONHOLD",
    "intacct_payment_terms": "TERMNAME",
    "intacct_open_balance": OPEN_BALANCE,
    "intacct_last_payment": LAST_PAYMENT,
}
VENDOR_PREFIX = ""
CUSTOMER_PREFIX = "customer:"
"""Customers' organizations (when configured) carry external ids with this prefix, so they never collide with a
vendor's VENDORID."""


@dataclass(frozen=True)
class OrganizationsConfig:
    fields: Mapping[str, str] = field(default_factory=lambda: dict(DEFAULT_FIELDS))
    customers: bool = False
    """Also sync Intacct customers as organizations (external id `customer:<CUSTOMERID>`)."""
    tags: tuple[str, ...] = ("intacct-vendor",)
    adopt_by_name: bool = False
    """An organization that already has the vendor's name but no external id: adopt it (set our external id) or,
    by default, fail the vendor naming it."""

    @classmethod
    def from_options(cls, options: Mapping[str, Any]) -> OrganizationsConfig:
        value = options.get("organizations") or {}
        if not isinstance(value, Mapping):
            raise ConfigurationError("Zendesk secret: organizations must be an object")
        unknown = sorted(set(value) - {"fields", "customers", "tags", "adopt_by_name"})
        if unknown:
            raise ConfigurationError(f"Zendesk organizations config has unknown keys: {', '.join(unknown)}")
        fields = dict(DEFAULT_FIELDS) if "fields" not in value else _fields(value["fields"])
        tags = value.get("tags", cls.tags)
        if not isinstance(tags, list | tuple) or not all(isinstance(t, str) and t.strip() for t in tags):
            raise ConfigurationError("Zendesk organizations config tags must be a list of tags")
        for name in ("customers", "adopt_by_name"):
            if not isinstance(value.get(name, False), bool):
                raise ConfigurationError(f"Zendesk organizations config {name} must be true or false")
        return cls(fields, bool(value.get("customers", False)), tuple(tags), bool(value.get("adopt_by_name", False)))

    def unknown_fields(self, zendesk_keys: set[str]) -> list[str]:
        """The organization-field keys this mapping writes that Zendesk does not have."""
        return sorted(set(self.fields) - zendesk_keys)


def _fields(value: Any) -> dict[str, str]:
    if isinstance(value, Mapping):
        computed = {k: v for k, v in value.items() if v in COMPUTED}
        plain = field_pairs({k: v for k, v in value.items() if v not in COMPUTED}, "Zendesk organizations.fields")
        return {**plain, **computed}
    return field_pairs(value, "Zendesk organizations.fields")
