"""Pure mappings from Intacct records to Marketo payloads (no I/O)."""

from __future__ import annotations

from typing import Any

from mlconnector.engine.records import MappingError, SkipRecord, SourceRecord
from mlconnector.flows.fields import field
from mlconnector.flows.intacct_marketo.fieldmap import FieldMap
from mlconnector.flows.intacct_source.custom_fields import LookupTables, custom_values

EXTERNAL_ID_MAX = 100  # Marketo's limit on externalCompanyId
COMPANY_NAME_MAX = 255


# Marketo company field ← Intacct VENDOR field. A cleared Intacct value maps to None so the clear propagates.
COMPANY_FIELDS: dict[str, str] = {
    "company": "NAME",
    "mainPhone": "DISPLAYCONTACT.PHONE1",
    "billingStreet": "DISPLAYCONTACT.MAILADDRESS.ADDRESS1",
    "billingCity": "DISPLAYCONTACT.MAILADDRESS.CITY",
    "billingState": "DISPLAYCONTACT.MAILADDRESS.STATE",
    "billingPostalCode": "DISPLAYCONTACT.MAILADDRESS.ZIP",
    "billingCountry": "DISPLAYCONTACT.MAILADDRESS.COUNTRY",
}

# No company fields: a lead linked to a company through externalCompanyId inherits them, and Marketo refuses
# company fields on such a lead (reason 1021).
LEAD_FIELDS: dict[str, str] = {
    "firstName": "FIRSTNAME",
    "lastName": "LASTNAME",
    "phone": "PHONE1",
}

VENDOR_SELECT: tuple[str, ...] = (
    "RECORDNO",
    "VENDORID",
    "NAME",
    "STATUS",
    "DISPLAYCONTACT.PHONE1",
    "DISPLAYCONTACT.MAILADDRESS.ADDRESS1",
    "DISPLAYCONTACT.MAILADDRESS.CITY",
    "DISPLAYCONTACT.MAILADDRESS.STATE",
    "DISPLAYCONTACT.MAILADDRESS.ZIP",
    "DISPLAYCONTACT.MAILADDRESS.COUNTRY",
    "WHENMODIFIED",
)

# Contacts name their vendor through this field. UNVERIFIED: real tenants may relate vendor contacts differently
# (the vendor's contact list); the field is configurable in the flow.
CONTACT_VENDOR_FIELD = "VENDORID"

CONTACT_SELECT: tuple[str, ...] = (
    "RECORDNO",
    "CONTACTNAME",
    "FIRSTNAME",
    "LASTNAME",
    "PHONE1",
    "EMAIL1",
    CONTACT_VENDOR_FIELD,
    "WHENMODIFIED",
)


def vendor_to_company(
    record: SourceRecord, field_map: FieldMap | None = None, tables: LookupTables | None = None
) -> dict[str, Any]:
    """An Intacct vendor as a Marketo company, deduplicated on externalCompanyId = VENDORID.

    An inactive vendor is not deleted: its status goes to the status field (a custom company field).
    """
    field_map = field_map or FieldMap()
    vendor_id = field(record.data, "VENDORID")
    if vendor_id is None:
        raise MappingError("VENDORID is empty")
    if len(vendor_id) > EXTERNAL_ID_MAX:
        raise MappingError(
            f"VENDORID is {len(vendor_id)} characters; Marketo's externalCompanyId allows {EXTERNAL_ID_MAX}"
        )
    payload: dict[str, Any] = {"externalCompanyId": vendor_id}
    payload.update({target: field(record.data, source) for target, source in COMPANY_FIELDS.items()})
    name = payload["company"]
    if name is None:
        raise MappingError("NAME is empty; a Marketo company needs a name")
    if len(name) > COMPANY_NAME_MAX:
        raise MappingError(f"NAME is {len(name)} characters; Marketo allows {COMPANY_NAME_MAX}")
    payload[field_map.status_field] = (field(record.data, "STATUS") or "active").lower()
    payload.update(custom_values(record, field_map.company, tables or {}))
    return payload


def contact_to_lead(
    record: SourceRecord,
    field_map: FieldMap | None = None,
    tables: LookupTables | None = None,
    vendor_field: str = CONTACT_VENDOR_FIELD,
) -> dict[str, Any]:
    """A vendor contact as a Marketo lead (looked up by email), linked to its vendor's company."""
    field_map = field_map or FieldMap()
    vendor_id = field(record.data, vendor_field)
    if vendor_id is None:
        raise SkipRecord("not a vendor contact")
    email = field(record.data, "EMAIL1")
    if email is None:
        raise SkipRecord("no EMAIL1: Marketo leads are keyed by email")
    payload: dict[str, Any] = {"email": email}
    payload.update({target: field(record.data, source) for target, source in LEAD_FIELDS.items()})
    payload["externalCompanyId"] = vendor_id
    payload.update(custom_values(record, field_map.lead, tables or {}))
    return payload
