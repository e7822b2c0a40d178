"""Business validation for generic create/update: field names and types, required fields,
duplicate natural keys, parent references, defaults. Object-specific rules plug in via
``PREPARE_CREATE`` (defaults) and ``CREATE_RULES`` (checks). Documents with lines have their own
modules: APBILL in ap_bills (generic create), APADJUSTMENT and PODOCUMENT in ap_adjustments and
po_transactions (legacy functions)."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import TYPE_CHECKING

from sandbox.intacct.context import FunctionContext
from sandbox.intacct.errors import (
    IntacctError,
    already_exists,
    invalid_value,
    required_field,
    unknown_field,
)
from sandbox.intacct.schema import ObjectDef
from sandbox.intacct.values import FieldType, is_valid

if TYPE_CHECKING:
    from xml.etree.ElementTree import Element  # type only: parsing goes through defusedxml

_EXPECTED = {
    FieldType.INTEGER: "an integer",
    FieldType.DECIMAL: "a decimal number like 1000.00",
    FieldType.DATE: "a date MM/DD/YYYY",
    FieldType.TIMESTAMP: "a timestamp MM/DD/YYYY HH:MM:SS",
    FieldType.BOOLEAN: "true or false",
}


def flatten(element: Element, prefix: str = "") -> dict[str, str]:
    """``<DISPLAYCONTACT><EMAIL1>x</EMAIL1></DISPLAYCONTACT>`` -> ``{"DISPLAYCONTACT.EMAIL1": "x"}``."""
    values: dict[str, str] = {}
    for child in element:
        name = prefix + child.tag.upper()
        if len(child):
            values.update(flatten(child, name + "."))
        else:
            values[name] = child.text or ""
    return values


def check_values(obj: ObjectDef, values: Mapping[str, str]) -> list[IntacctError]:
    """Unknown fields, enum values and typed values (empty = clear, always allowed)."""
    errors: list[IntacctError] = []
    for name, value in values.items():
        field_type = obj.field_type(name)
        if field_type is None:
            errors.append(unknown_field(obj.label, name))
        elif value and name in obj.enums and value not in obj.enums[name]:
            errors.append(invalid_value(name, value, "one of " + ", ".join(sorted(obj.enums[name]))))
        elif value and field_type is not FieldType.TEXT and not is_valid(field_type, value):
            errors.append(invalid_value(name, value, _EXPECTED[field_type]))
    return errors


def check_required(obj: ObjectDef, values: Mapping[str, str]) -> list[IntacctError]:
    return [required_field(obj.label, name) for name in obj.required if not values.get(name)]


def check_unique(
    ctx: FunctionContext, obj: ObjectDef, values: Mapping[str, str], own_recordno: str = ""
) -> list[IntacctError]:
    id_field = obj.id_field
    natural = values.get(id_field, "") if id_field else ""
    existing = ctx.store.find(obj.name, natural) if natural else None
    if existing is None or existing["RECORDNO"] == own_recordno:
        return []
    return [already_exists(ctx.config.duplicate_id_errorno, obj.label, natural)]


def resolve_parent(ctx: FunctionContext, obj: ObjectDef, values: dict[str, str]) -> list[IntacctError]:
    """PARENTID must name an existing record of the same object; fills PARENTKEY/PARENTNAME."""
    if "PARENTID" not in values or "PARENTKEY" not in obj.fields:
        return []
    parent_id = values["PARENTID"]
    if not parent_id:
        values.update({"PARENTKEY": "", **({"PARENTNAME": ""} if "PARENTNAME" in obj.fields else {})})
        return []
    parent = ctx.store.find(obj.name, parent_id)
    if parent is None:
        return [invalid_value("PARENTID", parent_id, f"no such {obj.label}")]
    values["PARENTKEY"] = parent["RECORDNO"]
    if "PARENTNAME" in obj.fields:
        values["PARENTNAME"] = parent.get("NAME", "")
    return []


def _prepare_vendor(ctx: FunctionContext, obj: ObjectDef, values: dict[str, str]) -> None:
    if ctx.config.vendor_autonumber and not values.get("VENDORID"):
        values["VENDORID"] = f"VND-{ctx.store.count(obj.name) + 1:05d}"
        while ctx.store.find(obj.name, values["VENDORID"]) is not None:
            values["VENDORID"] += "-1"
    name, vendor_id = values.get("NAME", ""), values.get("VENDORID", "")
    values.setdefault("DISPLAYCONTACT.CONTACTNAME", f"{name}(V{vendor_id})")  # as the SDK documents
    values.setdefault("DISPLAYCONTACT.PRINTAS", name)
    values.setdefault("ONHOLD", "false")
    values.setdefault("ONETIME", "false")


PREPARE_CREATE: Mapping[str, Callable[[FunctionContext, ObjectDef, dict[str, str]], None]] = {
    "VENDOR": _prepare_vendor,
}


# Object-specific business rules run after the generic ones.
CreateRule = Callable[[FunctionContext, ObjectDef, Mapping[str, str]], list[IntacctError]]
CREATE_RULES: Mapping[str, CreateRule] = {}


def check_attachment(ctx: FunctionContext, obj: ObjectDef, values: Mapping[str, str]) -> list[IntacctError]:
    """A SUPDOCID being written must name an existing attachment (UNVERIFIED: ``supdocid_must_exist``)."""
    supdoc_id = values.get("SUPDOCID", "")
    if not supdoc_id or "SUPDOCID" not in obj.fields or not ctx.config.supdocid_must_exist:
        return []
    if ctx.store.find("SUPDOC", supdoc_id) is None:
        return [invalid_value("SUPDOCID", supdoc_id, "the ID of an existing attachment (create_supdoc)")]
    return []


def check_create(ctx: FunctionContext, obj: ObjectDef, values: dict[str, str]) -> list[IntacctError]:
    """Every create rule: required fields, unique natural key, parent reference, attachment, object rules."""
    errors = check_required(obj, values) + check_unique(ctx, obj, values) + resolve_parent(ctx, obj, values)
    errors += check_attachment(ctx, obj, values)
    rule = CREATE_RULES.get(obj.name)
    return errors + (rule(ctx, obj, values) if rule is not None else [])


def prepare_create(ctx: FunctionContext, obj: ObjectDef, values: dict[str, str]) -> None:
    """Defaults before validation: STATUS active, then object-specific defaults."""
    if "STATUS" in obj.enums and not values.get("STATUS"):
        values["STATUS"] = "active"
    hook = PREPARE_CREATE.get(obj.name)
    if hook is not None:
        hook(ctx, obj, values)
