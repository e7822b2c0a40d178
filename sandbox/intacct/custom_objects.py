"""Platform Services custom objects the sandbox can have installed (reference verified-2026-12 §4).

``zendesk_ticket`` is the connector's own application: one record per Zendesk ticket, keyed by the system
``id`` (read, update, delete) and by ``name`` ("ZD-35436", readByName), with many-to-one relationships to VENDOR
and CUSTOMER. Field names are kept upper-case inside the sandbox like every other object (the gateway's case
for custom fields in responses is UNVERIFIED; clients read names case-insensitively). Through a relationship the
sandbox exposes the related record's RECORDNO and ID field (``R_zendesk_ticket_vendor.VENDORID``), which never
change; the real gateway exposes every related field.
"""

from __future__ import annotations

from collections.abc import Mapping
from types import MappingProxyType

from sandbox.intacct.config import IntacctSimConfig
from sandbox.intacct.schema import ObjectDef, Relationship, lookup, parse_fields

_RELATIONSHIPS = (
    Relationship("R_zendesk_ticket_vendor", "VENDOR", "RVENDOR", "Vendor"),
    Relationship("R_zendesk_ticket_customer", "CUSTOMER", "RCUSTOMER", "Customer"),
)


def relationship_fields(relationships: tuple[Relationship, ...]) -> str:
    """``RVENDOR R_x_vendor.RECORDNO:int R_x_vendor.VENDORID ...``: what a relationship adds to the fields."""
    parts: list[str] = []
    for relationship in relationships:
        related = lookup(relationship.related_object)
        id_field = related.id_field if related is not None and related.id_field else "RECORDNO"
        path = relationship.object_path.upper()
        parts += [relationship.related_by.upper(), f"{path}.RECORDNO:int", f"{path}.{id_field}"]
    return " ".join(parts)


ZENDESK_TICKET = ObjectDef(
    name="ZENDESK_TICKET",
    label="Zendesk Ticket",
    integration_name="zendesk_ticket",
    id_field="NAME",  # UNVERIFIED that a company can keep `name` unique; the sandbox does
    system_key="ID",
    first_recordno=10001,
    required=("NAME",),
    relationships=_RELATIONSHIPS,
    fields=parse_fields(
        "ID:int NAME ZD_TICKET_ID:int ZD_SUBJECT ZD_STATUS ZD_PRIORITY ZD_REQUESTER_EMAIL ZD_URL ZD_CREATED_AT:ts "
        f"ZD_UPDATED_AT:ts ZD_SOURCE {relationship_fields(_RELATIONSHIPS)} WHENCREATED:ts WHENMODIFIED:ts"
    ),
)

CUSTOM_OBJECTS: Mapping[str, ObjectDef] = MappingProxyType({ZENDESK_TICKET.name: ZENDESK_TICKET})


def custom_definition(name: str) -> ObjectDef | None:
    """A custom object by integration name (case-insensitive), installed or not."""
    return CUSTOM_OBJECTS.get(name.strip().upper())


def installed_objects(config: IntacctSimConfig) -> list[ObjectDef]:
    """The custom objects the company can use: none without Platform Services."""
    if not config.platform_services:
        return []
    wanted = {name.strip().lower() for name in config.custom_objects_installed}
    return [obj for obj in CUSTOM_OBJECTS.values() if obj.integration_name.lower() in wanted]
