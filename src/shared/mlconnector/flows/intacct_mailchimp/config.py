"""The flow's configuration: the "store", "members" and "orders" objects of the Mailchimp secret.

Every key is optional; unknown keys are refused (a typo must not silently fall back to a default).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field, fields
from types import MappingProxyType
from typing import Any

from mlconnector.config import ConfigurationError

MEMBER_STATUSES = ("transactional", "pending", "subscribed", "unsubscribed")
CANCELLED = "cancelled"

DEFAULT_FINANCIAL_STATUS: Mapping[str, str] = MappingProxyType(
    {
        # Intacct AP bill STATE -> Mailchimp order financial_status (a free string: only pending, paid, refunded
        # and cancelled trigger order notifications, and the store's is_syncing keeps those quiet in a backfill).
        "Draft": "pending",
        "Posted": "pending",
        "Selected": "pending",
        "Partially Paid": "partially_paid",
        "Paid": "paid",
        # A reversed or voided bill cancels its order (cancelled_at_foreign); nothing is deleted.
        "Reversed": CANCELLED,
        "Reversal": CANCELLED,
        "Voided": CANCELLED,
    }
)


@dataclass(frozen=True)
class StoreConfig:
    id: str = "intacct"
    name: str = "Intacct"
    currency_code: str = "USD"
    domain: str | None = None
    opt_in_status: bool = False
    """E-commerce customers' opt_in_status. False: a customer new to the audience joins as transactional, never
    subscribed; the connector must not subscribe anyone by side effect."""

    def __post_init__(self) -> None:
        _text(self, "store", "id", max_length=50)
        _text(self, "store", "name")
        if not (len(self.currency_code) == 3 and self.currency_code.isalpha() and self.currency_code.isupper()):
            raise ConfigurationError("Mailchimp store config currency_code must be an ISO 4217 code such as USD")
        if not isinstance(self.opt_in_status, bool):
            raise ConfigurationError("Mailchimp store config opt_in_status must be true or false")


@dataclass(frozen=True)
class MembersConfig:
    status_if_new: str = "transactional"
    """The status of a member the connector creates. transactional: they receive no campaign until they opt in
    themselves (Intacct contacts gave no marketing consent) and no confirmation email is sent (pending would send
    one to every contact of a backfill). An existing member's status is never sent, so never changed."""
    customer_tag: str = "intacct-customer"
    vendor_tag: str = "intacct-vendor"

    def __post_init__(self) -> None:
        if self.status_if_new not in MEMBER_STATUSES:
            raise ConfigurationError(
                f"Mailchimp members config status_if_new must be one of {', '.join(MEMBER_STATUSES)}"
            )
        _text(self, "members", "customer_tag")
        _text(self, "members", "vendor_tag")


@dataclass(frozen=True)
class OrdersConfig:
    financial_status: Mapping[str, str] = field(default_factory=lambda: dict(DEFAULT_FINANCIAL_STATUS))
    """Bill STATE -> financial_status; the given entries override the defaults. "cancelled" cancels the order."""
    backfill_orders: int = 100
    """A run that writes more orders than this (and every first sync) turns the store's is_syncing on while it
    writes, so order automations email nobody about old bills."""
    batch_operations: int = 200
    """A page with at least this many e-commerce writes goes through one /batches job (3 calls whatever its size)
    instead of direct calls. Measured by bench/intacct_mailchimp_sync.py at 50 ms a call and 10 connections: with a
    job seen finished 1 s after its submit, direct calls are faster below 216 to 357 operations a page; with a
    queue of 3 s or more they are faster up to a full page of 500, but cost 500 calls instead of 3."""

    def __post_init__(self) -> None:
        statuses = self.financial_status
        if not isinstance(statuses, Mapping) or not all(
            isinstance(k, str) and isinstance(v, str) and v.strip() for k, v in statuses.items()
        ):
            raise ConfigurationError("Mailchimp orders config financial_status maps bill STATEs to status strings")
        object.__setattr__(self, "financial_status", {**DEFAULT_FINANCIAL_STATUS, **statuses})
        for name in ("backfill_orders", "batch_operations"):
            value = getattr(self, name)
            if isinstance(value, bool) or not isinstance(value, int) or value < 1:
                raise ConfigurationError(f"Mailchimp orders config {name} must be a positive whole number")

    def status_of(self, state: str | None) -> str:
        """The financial_status of a bill in this STATE; an unknown STATE is pending (unpaid)."""
        return self.financial_status.get(state or "", "pending")


@dataclass(frozen=True)
class MailchimpFlowConfig:
    list_id: str
    store: StoreConfig
    members: MembersConfig
    orders: OrdersConfig

    @classmethod
    def from_secret(cls, secret: Mapping[str, Any]) -> MailchimpFlowConfig:
        list_id = secret.get("list_id")
        if not isinstance(list_id, str) or not list_id.strip():
            raise ConfigurationError("Mailchimp secret: list_id (the audience id, e.g. 1a2df69511) is missing")
        return cls(
            list_id.strip(),
            _section(StoreConfig, "store", secret),
            _section(MembersConfig, "members", secret),
            _section(OrdersConfig, "orders", secret),
        )


def _section[T](kind: type[T], name: str, secret: Mapping[str, Any]) -> T:
    value = secret.get(name) or {}
    if not isinstance(value, Mapping):
        raise ConfigurationError(f"Mailchimp secret: {name} must be an object")
    known = {f.name for f in fields(kind)}  # type: ignore[arg-type]
    unknown = sorted(set(value) - known)
    if unknown:
        raise ConfigurationError(
            f"Mailchimp {name} config has unknown keys: {', '.join(unknown)} (known: {', '.join(sorted(known))})"
        )
    try:
        return kind(**value)
    except TypeError as error:  # a wrong type the checks above did not name
        raise ConfigurationError(f"Mailchimp {name} config: {error}") from None


def _text(config: object, section: str, name: str, *, max_length: int = 100) -> None:
    value = getattr(config, name)
    if not isinstance(value, str) or not value.strip() or len(value) > max_length:
        raise ConfigurationError(f"Mailchimp {section} config {name} must be text of 1 to {max_length} characters")
