"""Pure mappings from Intacct customers, vendors and contacts to Zoho CRM records (no I/O).

Lookups to other Zoho records are named by their Intacct key under PARENT, ACCOUNT or VENDOR; the writer turns
them into `{"id": <Zoho id>}` from the links the earlier streams stored (or this run wrote). Keeping the Intacct
key in the payload makes a re-parented child hash differently, so exactly that record is written again.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from mlconnector.engine.records import MappingError, SkipRecord, SourceRecord
from mlconnector.flows.fields import field
from mlconnector.flows.intacct_source.custom_fields import LookupTables, custom_values
from mlconnector.flows.intacct_source.selects import ADDRESS, contact_block
from mlconnector.flows.intacct_zoho.config import ACCOUNTS, CONTACTS, VENDORS, ZohoFlowConfig
from mlconnector.flows.intacct_zoho.hierarchy import CYCLE

PARENT, ACCOUNT, VENDOR = "__parent__", "__account__", "__vendor__"
LOOKUPS = {PARENT: "Parent_Account", ACCOUNT: "Account_Name", VENDOR: "Vendor_Name"}
"""Payload key -> the Zoho lookup field it becomes."""
CUSTOMER_CONTACT_PREFIX = "CUSTOMER:"
"""Key of a customer's display contact in the contacts stream ("CUSTOMER:C100"); vendor contacts use CONTACTNAME."""

Picklists = Mapping[str, Mapping[str, frozenset[str]]]
"""Module -> field -> allowed values, from Zoho's field metadata (loaded in the run's preflight)."""

_CONTACT = "DISPLAYCONTACT."
CUSTOMER_SELECT = (
    "RECORDNO",
    "CUSTOMERID",
    "NAME",
    "STATUS",
    "PARENTID",
    "CUSTTYPE",
    *contact_block(_CONTACT),
    "WHENMODIFIED",
)
VENDOR_SELECT = (
    "RECORDNO",
    "VENDORID",
    "NAME",
    "STATUS",
    *contact_block(_CONTACT, "EMAIL1", "PHONE1", "URL1", *ADDRESS),
    "WHENMODIFIED",
)
CONTACT_SELECT = ("RECORDNO", "CONTACTNAME", *contact_block(), "VENDORID", "WHENMODIFIED")


def customer_to_account(
    record: SourceRecord, *, config: ZohoFlowConfig, tables: LookupTables, picklists: Picklists
) -> dict[str, Any]:
    data = record.data
    if CYCLE in data:
        raise MappingError(f"its PARENTID chain is a cycle ({data[CYCLE]}): fix the parent in Intacct")
    name = field(data, "NAME")
    if name is None:
        raise MappingError("NAME is empty: a Zoho Account needs Account_Name")
    module = config.modules[ACCOUNTS]
    account: dict[str, Any] = {
        module.external_id: field(data, "CUSTOMERID") or record.key,
        "Account_Name": name,
        "Account_Type": "Customer",
        "Phone": field(data, f"{_CONTACT}PHONE1"),
        "Billing_Street": field(data, f"{_CONTACT}MAILADDRESS.ADDRESS1"),
        "Billing_City": field(data, f"{_CONTACT}MAILADDRESS.CITY"),
        "Billing_State": field(data, f"{_CONTACT}MAILADDRESS.STATE"),
        "Billing_Code": field(data, f"{_CONTACT}MAILADDRESS.ZIP"),
        "Billing_Country": field(data, f"{_CONTACT}MAILADDRESS.COUNTRY"),
        PARENT: field(data, "PARENTID"),
    }
    return _finish(account, record, ACCOUNTS, config=config, tables=tables, picklists=picklists)


def vendor_to_vendor(
    record: SourceRecord, *, config: ZohoFlowConfig, tables: LookupTables, picklists: Picklists
) -> dict[str, Any]:
    data = record.data
    name = field(data, "NAME")
    if name is None:
        raise MappingError("NAME is empty: a Zoho Vendor needs Vendor_Name")
    vendor: dict[str, Any] = {
        config.modules[VENDORS].external_id: field(data, "VENDORID") or record.key,
        "Vendor_Name": name,
        "Email": field(data, f"{_CONTACT}EMAIL1"),
        "Phone": field(data, f"{_CONTACT}PHONE1"),
        "Website": field(data, f"{_CONTACT}URL1"),
        "Street": field(data, f"{_CONTACT}MAILADDRESS.ADDRESS1"),
        "City": field(data, f"{_CONTACT}MAILADDRESS.CITY"),
        "State": field(data, f"{_CONTACT}MAILADDRESS.STATE"),
        "Zip_Code": field(data, f"{_CONTACT}MAILADDRESS.ZIP"),
        "Country": field(data, f"{_CONTACT}MAILADDRESS.COUNTRY"),
    }
    return _finish(vendor, record, VENDORS, config=config, tables=tables, picklists=picklists)


def contact_to_contact(
    record: SourceRecord, *, config: ZohoFlowConfig, tables: LookupTables, picklists: Picklists
) -> dict[str, Any]:
    """A vendor's CONTACT (linked to its Vendor) as a Zoho Contact."""
    data = record.data
    vendor = field(data, "VENDORID")
    if vendor is None:
        raise SkipRecord("it belongs to no vendor (VENDORID is empty)")
    contact = {
        **_person(data, "", record.key, config),
        VENDOR: vendor,
    }
    return _finish(contact, record, CONTACTS, config=config, tables=tables, picklists=picklists)


def customer_contact(
    record: SourceRecord, *, config: ZohoFlowConfig, tables: LookupTables, picklists: Picklists
) -> dict[str, Any]:
    """A customer's display contact as a Zoho Contact of its Account (keyed CUSTOMER:<CUSTOMERID>)."""
    data = record.data
    if field(data, f"{_CONTACT}LASTNAME") is None and field(data, f"{_CONTACT}EMAIL1") is None:
        raise SkipRecord("the customer's display contact has no name or email")
    customer = field(data, "CUSTOMERID") or record.key
    contact = {
        **_person(data, _CONTACT, f"{CUSTOMER_CONTACT_PREFIX}{customer}", config),
        ACCOUNT: customer,
    }
    return _finish(contact, record, CONTACTS, config=config, tables=tables, picklists=picklists)


def _person(data: Mapping[str, Any], prefix: str, key: str, config: ZohoFlowConfig) -> dict[str, Any]:
    last = field(data, f"{prefix}LASTNAME") or field(data, f"{prefix}FIRSTNAME") or field(data, "CONTACTNAME")
    if last is None:
        raise MappingError("the contact has no last name: Zoho requires Last_Name")
    return {
        config.modules[CONTACTS].external_id: key,
        "First_Name": field(data, f"{prefix}FIRSTNAME"),
        "Last_Name": last,
        "Email": field(data, f"{prefix}EMAIL1"),
        "Phone": field(data, f"{prefix}PHONE1"),
        "Mailing_Street": field(data, f"{prefix}MAILADDRESS.ADDRESS1"),
        "Mailing_City": field(data, f"{prefix}MAILADDRESS.CITY"),
        "Mailing_State": field(data, f"{prefix}MAILADDRESS.STATE"),
        "Mailing_Zip": field(data, f"{prefix}MAILADDRESS.ZIP"),
        "Mailing_Country": field(data, f"{prefix}MAILADDRESS.COUNTRY"),
    }


def _finish(
    payload: dict[str, Any],
    record: SourceRecord,
    module: str,
    *,
    config: ZohoFlowConfig,
    tables: LookupTables,
    picklists: Picklists,
) -> dict[str, Any]:
    """Adds the status and the configured custom fields; a value a picklist does not offer fails the record."""
    status_field = config.modules[module].status_field
    if status_field:
        payload[status_field] = field(record.data, "STATUS")
    payload.update(custom_values(record, config.fields(module), tables))
    for name, allowed in (picklists.get(module) or {}).items():
        value = payload.get(name)
        if value is not None:
            payload[name] = _option(str(value), allowed, f"{module}.{name}")
    return payload


def _option(value: str, allowed: frozenset[str], where: str) -> str:
    """The picklist's own spelling of the value ("active" is the option "Active"); a value it does not offer fails
    the record, naming the field, the value and the options."""
    by_fold = {option.casefold(): option for option in allowed}
    found = by_fold.get(value.casefold())
    if found is None:
        options = ", ".join(sorted(allowed)[:10])
        raise MappingError(f"{value!r} is not an option of the Zoho picklist {where} (options: {options})")
    return found
