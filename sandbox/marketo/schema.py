"""The Company and Lead schemas: standard fields (reference §6.1, §7) plus the configured custom ones."""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from functools import lru_cache

from sandbox.marketo.config import FieldSpec, MarketoSimConfig


def _ro(name: str, data_type: str, length: int | None = None, label: str = "") -> FieldSpec:
    return FieldSpec(name, data_type, length, label, updateable=False)


def _rw(name: str, data_type: str = "string", length: int | None = 255, label: str = "") -> FieldSpec:
    return FieldSpec(name, data_type, length, label)


_SYSTEM = (
    _ro("id", "integer", label="Id"),
    _ro("createdAt", "datetime", label="Created At"),
    _ro("updatedAt", "datetime", label="Updated At"),
)

# Company-level fields: on a lead linked to a company they come from the company (and are read-only).
_COMPANY_LEVEL = (
    _rw("company", label="Company Name"),
    _rw("site", label="Site"),
    _rw("website", "url", label="Website"),
    _rw("mainPhone", "phone", label="Main Phone"),
    _rw("annualRevenue", "currency", None, "Annual Revenue"),
    _rw("numberOfEmployees", "integer", None, "Num Employees"),
    _rw("industry", label="Industry"),
    _rw("sicCode", "string", 40, "SIC Code"),
    _rw("billingStreet", "text", 65535, "Billing Address"),
    _rw("billingCity", label="Billing City"),
    _rw("billingState", label="Billing State"),
    _rw("billingCountry", label="Billing Country"),
    _rw("billingPostalCode", label="Billing Postal Code"),
)
COMPANY_LEVEL_FIELDS = frozenset(spec.name for spec in _COMPANY_LEVEL)

STANDARD_COMPANY_FIELDS: tuple[FieldSpec, ...] = (
    *_SYSTEM,
    _ro("externalCompanyId", "string", 100, "External Company Id"),
    *_COMPANY_LEVEL,
    _rw("externalSalesPersonId", "string", 100, "External Sales Person Id"),
)

STANDARD_LEAD_FIELDS: tuple[FieldSpec, ...] = (
    *_SYSTEM,
    _rw("email", "email", label="Email Address"),
    _rw("salutation", label="Salutation"),
    _rw("firstName", label="First Name"),
    _rw("middleName", label="Middle Name"),
    _rw("lastName", label="Last Name"),
    _rw("title", label="Job Title"),
    _rw("department", label="Department"),
    _rw("phone", "phone", label="Phone Number"),
    _rw("mobilePhone", "phone", label="Mobile Phone Number"),
    _rw("fax", "phone", label="Fax Number"),
    _rw("dateOfBirth", "date", None, "Date of Birth"),
    _rw("address", "text", 65535, "Address"),
    _rw("city", label="City"),
    _rw("state", label="State"),
    _rw("postalCode", label="Postal Code"),
    _rw("country", label="Country"),
    _rw("leadSource", label="Lead Source"),
    _rw("leadStatus", label="Lead Status"),
    _rw("leadRole", label="Role"),
    _rw("unsubscribed", "boolean", None, "Unsubscribed"),
    _rw("doNotCall", "boolean", None, "Do Not Call"),
    _rw("emailInvalid", "boolean", None, "Email Invalid"),
    *_COMPANY_LEVEL,
    _rw("externalCompanyId", "string", 100, "External Company Id"),
    _rw("externalSalesPersonId", "string", 100, "External Sales Person Id"),
    _ro("leadPartitionId", "integer", label="Lead Partition Id"),
    _ro("cookies", "string", 255, "Cookies"),
    _ro("facebookId", "string", 255, "Facebook Id"),
    _ro("linkedInId", "string", 255, "LinkedIn Id"),
    _ro("twitterId", "string", 255, "Twitter Id"),
    _ro("sfdcAccountId", "string", 18, "SFDC Account Id"),
    _ro("sfdcContactId", "string", 18, "SFDC Contact Id"),
    _ro("sfdcLeadId", "string", 18, "SFDC Lead Id"),
    _ro("sfdcLeadOwnerId", "string", 18, "SFDC Lead Owner Id"),
    _ro("sfdcOpptyId", "string", 18, "SFDC Opportunity Id"),
)

# Get Leads by Filter Type: these standard fields, plus custom string/email/integer fields (§7.2).
LEAD_FILTER_FIELDS = frozenset(
    {"email", "id", "leadPartitionId", "cookies", "facebookId", "linkedInId", "twitterId"}
    | {"sfdcAccountId", "sfdcContactId", "sfdcLeadId", "sfdcLeadOwnerId", "sfdcOpptyId"}
)
CUSTOM_FILTER_TYPES = frozenset({"string", "email", "integer"})
COMPANY_DEDUPE_FIELD = "externalCompanyId"
COMPANY_SEARCHABLE = ("externalCompanyId", "id", "company")
COMPANY_DEFAULT_FIELDS = ("id", COMPANY_DEDUPE_FIELD, "createdAt", "updatedAt")
LEAD_DEFAULT_FIELDS = ("id", "email", "updatedAt", "createdAt", "firstName", "lastName")


@dataclass(frozen=True)
class Schema:
    fields: dict[str, FieldSpec]
    custom: frozenset[str]

    @classmethod
    def of(cls, standard: Iterable[FieldSpec], custom: Iterable[FieldSpec]) -> Schema:
        fields = {spec.name: spec for spec in standard}
        extra = list(custom)
        clash = [spec.name for spec in extra if spec.name in fields]
        if clash:
            raise ValueError(f"custom fields clash with standard ones: {clash}")
        fields.update({spec.name: spec for spec in extra})
        return cls(fields, frozenset(spec.name for spec in extra))

    def get(self, name: str) -> FieldSpec | None:
        return self.fields.get(name)

    def __contains__(self, name: object) -> bool:
        return name in self.fields

    def __iter__(self) -> Iterator[FieldSpec]:
        return iter(self.fields.values())


def company_schema(config: MarketoSimConfig) -> Schema:
    return _company_schema(tuple(config.company_custom_fields))


def lead_schema(config: MarketoSimConfig) -> Schema:
    return _lead_schema(tuple(config.lead_custom_fields))


@lru_cache(maxsize=8)
def _company_schema(custom: tuple[FieldSpec, ...]) -> Schema:
    return Schema.of(STANDARD_COMPANY_FIELDS, custom)


@lru_cache(maxsize=8)
def _lead_schema(custom: tuple[FieldSpec, ...]) -> Schema:
    return Schema.of(STANDARD_LEAD_FIELDS, custom)


def lead_filter_fields(schema: Schema) -> frozenset[str]:
    custom = {name for name in schema.custom if schema.fields[name].data_type in CUSTOM_FILTER_TYPES}
    return LEAD_FILTER_FIELDS | custom


def lead_lookup_fields(schema: Schema) -> frozenset[str]:
    """Sync Leads ``lookupField`` choices (UNVERIFIED beyond email/id: the filterable keys)."""
    return lead_filter_fields(schema) - {"cookies", "leadPartitionId"}
