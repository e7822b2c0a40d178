"""Which way the vendor master moves, from the optional "vendor_master" object of the Commerce secret."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, fields
from typing import Any

from mlconnector.config import ConfigurationError

SECRET_KEY = "vendor_master"  # noqa: S105 - the key of a non-secret object in the Commerce secret


@dataclass(frozen=True)
class VendorMasterConfig:
    # Both directions are off by default: each writes a whole customer or vendor list into a live system (every
    # registered customer becomes an Intacct vendor; every active vendor a Commerce customer and company), so an
    # operator opts in per direction. The bills make vendors for the customers who order either way.
    customers_to_vendors: bool = False
    vendors_to_commerce: bool = False
    vendor_statuses: tuple[str, ...] = ("active",)  # Intacct vendor STATUS values that go to Commerce
    customer_group_id: int | None = None  # shared catalog (customer group) of the companies created in Commerce

    def __post_init__(self) -> None:
        for name in ("customers_to_vendors", "vendors_to_commerce"):
            if not isinstance(getattr(self, name), bool):
                raise ConfigurationError(f"Commerce vendor_master config {name} must be true or false")
        statuses = self.vendor_statuses
        if not isinstance(statuses, tuple | list) or not all(isinstance(s, str) and s.strip() for s in statuses):
            raise ConfigurationError("Commerce vendor_master config vendor_statuses is a list of STATUS values")
        object.__setattr__(self, "vendor_statuses", tuple(s.strip().lower() for s in statuses))
        group = self.customer_group_id
        if group is not None and (isinstance(group, bool) or not isinstance(group, int) or group < 0):
            raise ConfigurationError("Commerce vendor_master config customer_group_id must be a customer group id")

    @classmethod
    def from_config(cls, config: Mapping[str, Any] | None) -> VendorMasterConfig:
        config = dict(config or {})
        unknown = sorted(set(config) - {f.name for f in fields(cls)})
        if unknown:
            raise ConfigurationError(f"Commerce vendor_master config has unknown keys: {', '.join(unknown)}")
        if "vendor_statuses" in config and isinstance(config["vendor_statuses"], list):
            config["vendor_statuses"] = tuple(config["vendor_statuses"])
        return cls(**config)

    @classmethod
    def from_secret(cls, secret: Mapping[str, Any]) -> VendorMasterConfig:
        """From the whole Commerce secret (the object under "vendor_master", absent = the defaults)."""
        value = secret.get(SECRET_KEY)
        if value is not None and not isinstance(value, Mapping):
            raise ConfigurationError("Commerce secret: vendor_master must be an object")
        return cls.from_config(value)
