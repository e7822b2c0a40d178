"""Which Marketo fields the flow writes, including custom fields declared in configuration.

The configuration is the optional "custom_fields" object of the connection's Marketo secret:

    {"status_field": "intacctVendorStatus",
     "company": {"apAccount": "APACCOUNT", "apAccountTitle": "GLACCOUNT[APACCOUNT].TITLE"},
     "lead": {"intacctContactName": "CONTACTNAME"}}

A source is an Intacct field or a lookup such as "GLACCOUNT[APACCOUNT].TITLE" (flows/intacct_source/custom_fields.py).
Every Marketo field is checked against the instance's describe output in the run's preflight; unknown ones fail
the run before anything is written, with their names.
"""

from __future__ import annotations

from collections.abc import Collection, Mapping
from dataclasses import dataclass, field
from typing import Any

from mlconnector.config import ConfigurationError
from mlconnector.flows.intacct_source.custom_fields import Lookup, field_pairs, lookups

STANDARD_COMPANY_FIELDS = (
    "externalCompanyId",
    "company",
    "mainPhone",
    "billingStreet",
    "billingCity",
    "billingState",
    "billingPostalCode",
    "billingCountry",
)
STANDARD_LEAD_FIELDS = ("email", "firstName", "lastName", "phone", "externalCompanyId")


@dataclass(frozen=True)
class FieldMap:
    status_field: str = "intacctVendorStatus"
    company: Mapping[str, str] = field(default_factory=dict)
    lead: Mapping[str, str] = field(default_factory=dict)

    @classmethod
    def from_config(cls, config: Mapping[str, Any] | None) -> FieldMap:
        config = config or {}
        if not isinstance(config, Mapping):
            raise ConfigurationError("Marketo custom_fields must be a JSON object")
        return cls(
            status_field=str(config.get("status_field", cls.status_field)),
            company=field_pairs(config.get("company"), "Marketo custom_fields.company"),
            lead=field_pairs(config.get("lead"), "Marketo custom_fields.lead"),
        )

    def company_fields(self) -> set[str]:
        return {*STANDARD_COMPANY_FIELDS, self.status_field, *self.company}

    def lead_fields(self) -> set[str]:
        return {*STANDARD_LEAD_FIELDS, *self.lead}

    def lookups(self) -> set[Lookup]:
        return lookups((*self.company.values(), *self.lead.values()))

    def check(self, company_fields: Collection[str], lead_fields: Collection[str]) -> None:
        """Raise naming every field this map writes that the Marketo instance does not have."""
        unknown = [f"company.{name}" for name in sorted(self.company_fields() - set(company_fields))]
        unknown += [f"lead.{name}" for name in sorted(self.lead_fields() - set(lead_fields))]
        if unknown:
            raise ConfigurationError(
                f"Marketo has no field(s) {', '.join(unknown)}: create them in Marketo or fix the custom_fields mapping"
            )
