"""How orders are posted into Intacct: GL accounts, terms, numbering. Defaults can be overridden per connection by
the optional "posting" object of the Commerce secret."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, fields
from typing import Any

from mlconnector.config import ConfigurationError


@dataclass(frozen=True)
class PostingConfig:
    item_account: str = "5000"  # GL account of product lines
    shipping_account: str = "6700"
    tax_account: str = "2200"
    terms_days: int = 30
    bill_prefix: str = "MC-"  # RECORDID = prefix + increment id: the Commerce order's external reference in Intacct
    vendor_prefix: str = "MC"  # VENDORID of a vendor created for a Commerce customer
    currencies: tuple[str, ...] = ("USD", "CAD", "EUR", "GBP")  # enabled in the Intacct company
    skip_states: tuple[str, ...] = ("canceled",)

    @classmethod
    def from_config(cls, config: Mapping[str, Any] | None) -> PostingConfig:
        config = dict(config or {})
        known = {f.name for f in fields(cls)}
        unknown = sorted(set(config) - known)
        if unknown:
            raise ConfigurationError(f"Commerce posting config has unknown keys: {', '.join(unknown)}")
        for key in ("currencies", "skip_states"):
            if key in config:
                config[key] = tuple(config[key])
        return cls(**config)
