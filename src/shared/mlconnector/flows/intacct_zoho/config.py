"""The flow's configuration: the "modules" and "custom_fields" objects of the Zoho secret.

    {"modules": {"Accounts": {"external_id": "Intacct_ID", "status_field": "Intacct_Status"},
                 "Vendors": {"external_id": "Intacct_ID"}, "Contacts": {"external_id": "Intacct_ID"}},
     "custom_fields": {"Accounts": {"Department": "DEPARTMENT[DEPARTMENTID].TITLE", "Region": "LOCATIONID"},
                       "Vendors": {"Intacct_Class": "CLASSID"}}}

Each module's external-id field is a unique field (Single Line, "do not allow duplicate values") that upsert
matches on; it is the only duplicate-check field sent, so Zoho never merges two customers by Account_Name or two
contacts by Email. Every named field is checked against Zoho's field metadata in the run's preflight.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from mlconnector.config import ConfigurationError
from mlconnector.flows.intacct_source.custom_fields import field_pairs

ACCOUNTS, VENDORS, CONTACTS = "Accounts", "Vendors", "Contacts"
MODULES = (ACCOUNTS, VENDORS, CONTACTS)


@dataclass(frozen=True)
class ModuleConfig:
    external_id: str = "Intacct_ID"
    status_field: str | None = "Intacct_Status"
    """Where an Intacct STATUS (active, inactive) goes; None: not written. Nothing is ever deleted in Zoho."""


@dataclass(frozen=True)
class ZohoFlowConfig:
    modules: Mapping[str, ModuleConfig] = field(default_factory=lambda: {m: _default(m) for m in MODULES})
    custom_fields: Mapping[str, Mapping[str, str]] = field(default_factory=dict)
    """Zoho module -> Zoho field -> Intacct source (a field, or a lookup such as DEPARTMENT[DEPARTMENTID].TITLE)."""

    @classmethod
    def from_options(cls, options: Mapping[str, Any]) -> ZohoFlowConfig:
        modules = options.get("modules") or {}
        custom = options.get("custom_fields") or {}
        for name, value in (("modules", modules), ("custom_fields", custom)):
            if not isinstance(value, Mapping):
                raise ConfigurationError(f"Zoho secret: {name} must be an object keyed by module (Accounts, ...)")
            unknown = sorted(set(value) - set(MODULES))
            if unknown:
                raise ConfigurationError(
                    f"Zoho {name} names unknown module(s) {', '.join(unknown)}; known: {', '.join(MODULES)}"
                )
        return cls(
            modules={m: _module(m, modules.get(m)) for m in MODULES},
            custom_fields={m: field_pairs(custom.get(m), f"Zoho custom_fields.{m}") for m in MODULES},
        )

    def fields(self, module: str) -> dict[str, str]:
        return dict(self.custom_fields.get(module) or {})


def _default(module: str) -> ModuleConfig:
    return ModuleConfig(status_field=None) if module == CONTACTS else ModuleConfig()


def _module(module: str, value: Any) -> ModuleConfig:
    if value is None:
        return _default(module)
    if not isinstance(value, Mapping) or set(value) - {"external_id", "status_field"}:
        raise ConfigurationError(f"Zoho modules.{module} takes external_id and status_field only")
    default = _default(module)
    external = value.get("external_id", default.external_id)
    status = value.get("status_field", default.status_field)
    if not isinstance(external, str) or not external.strip():
        raise ConfigurationError(f"Zoho modules.{module}.external_id must name a unique Zoho field")
    if status is not None and (not isinstance(status, str) or not status.strip()):
        raise ConfigurationError(f"Zoho modules.{module}.status_field must name a Zoho field or be null")
    return ModuleConfig(external.strip(), status.strip() if status else None)
