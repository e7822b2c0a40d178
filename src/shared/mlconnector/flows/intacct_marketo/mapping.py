"""Pure mappings from Intacct records to Marketo payloads (no I/O)."""

from __future__ import annotations

from mlconnector.engine.records import MappingError, SourceRecord
from mlconnector.flows.fields import field

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

# The Intacct fields the vendor reader selects for this mapping.
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


def vendor_to_company(record: SourceRecord, status_field: str = "intacctVendorStatus") -> dict[str, str | None]:
    """An Intacct vendor as a Marketo company, deduplicated on externalCompanyId = VENDORID.

    An inactive vendor is not deleted: its status goes to `status_field` (a custom company field).
    """
    vendor_id = field(record.data, "VENDORID")
    if vendor_id is None:
        raise MappingError("VENDORID is empty")
    if len(vendor_id) > EXTERNAL_ID_MAX:
        raise MappingError(
            f"VENDORID is {len(vendor_id)} characters; Marketo's externalCompanyId allows {EXTERNAL_ID_MAX}"
        )
    payload: dict[str, str | None] = {"externalCompanyId": vendor_id}
    payload.update({target: field(record.data, source) for target, source in COMPANY_FIELDS.items()})
    name = payload["company"]
    if name is None:
        raise MappingError("NAME is empty; a Marketo company needs a name")
    if len(name) > COMPANY_NAME_MAX:
        raise MappingError(f"NAME is {len(name)} characters; Marketo allows {COMPANY_NAME_MAX}")
    payload[status_field] = (field(record.data, "STATUS") or "active").lower()
    return payload
