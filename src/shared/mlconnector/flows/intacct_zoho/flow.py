"""Wiring of the Intacct → Zoho CRM flow, streams in this order:

1. accounts: customers → Accounts, parents first (hierarchy.py), Parent_Account from this run's or the links' ids;
2. vendors: vendors → Vendors, skipped with a note when the org lacks the module (lower editions);
3. contacts: vendors' contacts → Contacts on their Vendor (skipped with the vendors);
4. customer-contacts: customers' display contacts → Contacts on their Account.

The preflight reads the modules and each module's fields once per run: the external-id, status and custom fields
must exist (the external id unique), picklists give their options to the mappings, lookup tables are loaded.
"""

from __future__ import annotations

from collections.abc import Mapping
from functools import partial
from typing import Any

from mlconnector.config import ConfigurationError
from mlconnector.connection import Connection
from mlconnector.engine.flow import Flow, Stream
from mlconnector.flows.destination_ids import DestinationIds
from mlconnector.flows.intacct_source.custom_fields import load_lookup_tables, lookups, select_with
from mlconnector.flows.intacct_zoho.config import ACCOUNTS, CONTACTS, MODULES, VENDORS, ZohoFlowConfig
from mlconnector.flows.intacct_zoho.gate import ModuleGate
from mlconnector.flows.intacct_zoho.hierarchy import ParentsFirst
from mlconnector.flows.intacct_zoho.mapping import (
    ACCOUNT,
    CONTACT_SELECT,
    CUSTOMER_SELECT,
    PARENT,
    VENDOR,
    VENDOR_SELECT,
    contact_to_contact,
    customer_contact,
    customer_to_account,
    vendor_to_vendor,
)
from mlconnector.flows.intacct_zoho.writers import UpsertWriter
from mlconnector.systems.intacct.reader import IntacctReader
from mlconnector.systems.registry import INTACCT, ZOHO
from mlconnector.systems.zoho.client import ZohoClient

NAME = "intacct-zoho"
ACCOUNTS_STREAM, VENDORS_STREAM, CONTACTS_STREAM, CUSTOMER_CONTACTS_STREAM = (
    "accounts",
    "vendors",
    "contacts",
    "customer-contacts",
)
VENDORS_UNAVAILABLE = (
    "the Vendors module is not available in this Zoho org (Free and Standard editions lack it): vendors and their "
    "contacts are not synced; the first run after it becomes available syncs them"
)
PICKLIST_TYPES = ("picklist",)


def build(connection: Connection) -> Flow:
    """No I/O but the secret: the Zoho metadata is checked and the lookup tables loaded in the run's preflight."""
    intacct, zoho = connection.client(INTACCT), connection.client(ZOHO)
    config = ZohoFlowConfig.from_options(connection.options(ZOHO))
    picklists: dict[str, Mapping[str, frozenset[str]]] = {}
    tables: dict[str, Mapping[str, Mapping[str, Any]]] = {}
    available: dict[str, bool] = {}

    def check_metadata() -> None:
        for module in MODULES:
            available[module] = zoho.module_available(module)
        for module in (m for m in MODULES if available[m]):
            picklists[module] = _checked_fields(zoho, module, config)
        missing = [m for m in (ACCOUNTS, CONTACTS) if not available[m]]
        if missing:
            raise ConfigurationError(f"Zoho org has no {' or '.join(missing)} module available through the API")

    def load_tables() -> None:
        wanted = lookups(source for module in MODULES for source in config.fields(module).values())
        tables.update(load_lookup_tables(intacct, wanted))

    def vendors_available() -> bool:
        return available.get(VENDORS, False)

    links = connection.state.links
    account_ids = DestinationIds(links, NAME, ACCOUNTS_STREAM)
    vendor_ids = DestinationIds(links, NAME, VENDORS_STREAM)
    contact_ids = DestinationIds(links, NAME, CONTACTS_STREAM)
    customer_contact_ids = DestinationIds(links, NAME, CUSTOMER_CONTACTS_STREAM)
    external = {module: config.modules[module].external_id for module in MODULES}
    mapped: dict[str, Any] = {"config": config, "tables": tables, "picklists": picklists}

    def reader(obj: str, select: tuple[str, ...], key: str, module: str) -> IntacctReader:
        return IntacctReader(intacct, obj, select_with(select, config.fields(module).values()), key)

    vendors = ModuleGate(reader("VENDOR", VENDOR_SELECT, "VENDORID", VENDORS), vendors_available, VENDORS_UNAVAILABLE)
    vendor_contacts = ModuleGate(
        reader("CONTACT", CONTACT_SELECT, "CONTACTNAME", CONTACTS), vendors_available, VENDORS_UNAVAILABLE
    )
    streams = [
        Stream.declare(
            ACCOUNTS_STREAM,
            reader=ParentsFirst(reader("CUSTOMER", CUSTOMER_SELECT, "CUSTOMERID", ACCOUNTS)),
            mapping=partial(customer_to_account, **mapped),
            writer=UpsertWriter(zoho, ACCOUNTS, external[ACCOUNTS], account_ids, {PARENT: account_ids}),
        ),
        Stream.declare(
            VENDORS_STREAM,
            reader=vendors,
            mapping=partial(vendor_to_vendor, **mapped),
            writer=UpsertWriter(zoho, VENDORS, external[VENDORS], vendor_ids),
            depends_on=(ACCOUNTS_STREAM,),
            notes=vendors.notes,
        ),
        Stream.declare(
            CONTACTS_STREAM,
            reader=vendor_contacts,
            mapping=partial(contact_to_contact, **mapped),
            writer=UpsertWriter(zoho, CONTACTS, external[CONTACTS], contact_ids, {VENDOR: vendor_ids}),
            depends_on=(VENDORS_STREAM,),
            notes=vendor_contacts.notes,
        ),
        Stream.declare(
            CUSTOMER_CONTACTS_STREAM,
            reader=reader("CUSTOMER", CUSTOMER_SELECT, "CUSTOMERID", CONTACTS),
            mapping=partial(customer_contact, **mapped),
            writer=UpsertWriter(zoho, CONTACTS, external[CONTACTS], customer_contact_ids, {ACCOUNT: account_ids}),
            depends_on=(ACCOUNTS_STREAM, CONTACTS_STREAM),
        ),
    ]
    return Flow(NAME, streams, api_calls=connection.api_calls, preflight=(check_metadata, load_tables))


def _checked_fields(zoho: ZohoClient, module: str, config: ZohoFlowConfig) -> Mapping[str, frozenset[str]]:
    """The module's picklists among the fields written; raises naming every field Zoho does not have."""
    fields = zoho.fields(module)
    settings = config.modules[module]
    problems = []
    external = fields.get(settings.external_id)
    if external is None:
        problems.append(f"{module}.{settings.external_id} (the external-id field) does not exist")
    elif not external.unique:
        problems.append(f"{module}.{settings.external_id} is not unique (set 'Do not allow duplicate values')")
    wanted = [*([settings.status_field] if settings.status_field else []), *config.fields(module)]
    problems += [f"{module}.{name} does not exist" for name in wanted if name not in fields]
    if problems:
        raise ConfigurationError(f"Zoho fields: {'; '.join(problems)}: create them in Zoho or fix the Zoho secret")
    return {
        name: frozenset(info.picklist)
        for name in wanted
        if (info := fields[name]).data_type in PICKLIST_TYPES and info.picklist
    }
