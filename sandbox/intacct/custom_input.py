"""What a create/update of a custom object record may carry beyond plain fields: ``R…`` relationship elements
and dates in the forms the company accepts. Standard objects pass through unchanged.

``<RVENDOR>V100</RVENDOR>`` names the related vendor by VENDORID or by RECORDNO (UNVERIFIED which:
``relationship_key``); an empty element clears the relationship. The related record's RECORDNO and ID field
are kept under the relationship's object path (``R_ZENDESK_TICKET_VENDOR.VENDORID``) so queries can filter
across it. Those fields cannot be written directly.
"""

from __future__ import annotations

from datetime import datetime, tzinfo

from sandbox.intacct.context import FunctionContext
from sandbox.intacct.errors import IntacctError, invalid_value, unknown_field
from sandbox.intacct.schema import ObjectDef, Relationship, lookup
from sandbox.intacct.store import Record
from sandbox.intacct.values import TIMESTAMP_FORMAT, FieldType, parse_when

_SYSTEM_STAMPS = frozenset({"WHENCREATED", "WHENMODIFIED"})


def custom_input(
    ctx: FunctionContext, obj: ObjectDef, given: dict[str, str]
) -> tuple[dict[str, str], list[IntacctError]]:
    """``given`` with relationships resolved and dates normalised, and what was wrong with it."""
    if not obj.custom:
        return given, []
    values = dict(given)
    errors: list[IntacctError] = []
    paths = tuple(relationship.object_path.upper() + "." for relationship in obj.relationships)
    for name in given:
        if name.startswith(paths):
            errors.append(unknown_field(obj.label, f"{name} (set the relationship with its R… element)"))
    for relationship in obj.relationships:
        if relationship.related_by.upper() in values:
            errors += _relate(ctx, relationship, values)
    errors += _dates(ctx, obj, values)
    return values, errors


def _relate(ctx: FunctionContext, relationship: Relationship, values: dict[str, str]) -> list[IntacctError]:
    element = relationship.related_by.upper()
    related = lookup(relationship.related_object)
    if related is None:
        return [invalid_value(element, values[element], "a known related object")]
    id_field = related.id_field or "RECORDNO"
    path = relationship.object_path.upper()
    value = values[element].strip()
    values[element] = value
    if not value:
        values[f"{path}.RECORDNO"] = values[f"{path}.{id_field}"] = ""
        return []
    by_number = ctx.config.relationship_key == "RECORDNO"
    record: Record | None
    if by_number:
        record = ctx.store.get(related.name, int(value)) if value.isdigit() else None
    else:
        record = ctx.store.find(related.name, value)
    if record is None:
        expected = "RECORDNO" if by_number else id_field
        return [invalid_value(element, value, f"the {expected} of an existing {related.label.lower()}")]
    values[f"{path}.RECORDNO"] = record["RECORDNO"]
    values[f"{path}.{id_field}"] = record.get(id_field, record["RECORDNO"])
    return []


def _dates(ctx: FunctionContext, obj: ObjectDef, values: dict[str, str]) -> list[IntacctError]:
    errors: list[IntacctError] = []
    for name, value in values.items():
        field_type = obj.field_type(name)
        if not value.strip() or name in _SYSTEM_STAMPS or field_type not in (FieldType.DATE, FieldType.TIMESTAMP):
            continue
        moment = parse_custom_date(value, ctx.config.custom_date_input, ctx.tz)
        if moment is None:
            errors.append(invalid_value(name, value, _EXPECTED[ctx.config.custom_date_input]))
        else:
            values[name] = moment.strftime(TIMESTAMP_FORMAT)
    return errors


_EXPECTED = {
    "iso": "an ISO 8601 date or date-time (2024-03-01, 2024-03-01T12:00:00Z)",
    "us": "a date MM/DD/YYYY or MM/DD/YYYY HH:MM:SS",
    "both": "an ISO 8601 date-time or MM/DD/YYYY [HH:MM:SS]",
}


def parse_custom_date(text: str, accepted: str, tz: tzinfo) -> datetime | None:
    """Wall time in the company zone; None when ``text`` is not in an accepted form."""
    value = text.strip()
    if accepted in ("us", "both") and "/" in value:
        try:
            return parse_when(value)
        except (ValueError, TypeError):
            return None
    if accepted in ("iso", "both") and "-" in value:
        try:
            moment = datetime.fromisoformat(value)
        except ValueError:
            return None
        if moment.tzinfo is not None:
            moment = moment.astimezone(tz).replace(tzinfo=None)
        return moment
    return None
