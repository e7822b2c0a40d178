"""Generic create / update / delete. One create/update may hold several objects; the function is
atomic (any invalid object fails it and nothing is kept). WHENMODIFIED (and a system WHENCREATED)
are stamped with the simulator clock in the configured zone.

Response for create/update: ``<data listtype="objects" count>`` with a lower-case element per
object holding RECORDNO and its natural key. delete answers without data (UNVERIFIED).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import TYPE_CHECKING

from sandbox.intacct.ap_bills import create_bill
from sandbox.intacct.catalogue import find_object
from sandbox.intacct.context import FunctionContext, child_text
from sandbox.intacct.custom_input import custom_input
from sandbox.intacct.envelope import FunctionCall
from sandbox.intacct.errors import (
    FunctionFailure,
    IntacctError,
    could_not,
    invalid_argument,
    invalid_value,
    object_not_found,
    record_not_found,
    required_field,
    unsupported,
)
from sandbox.intacct.query import resolve_object
from sandbox.intacct.schema import ObjectDef
from sandbox.intacct.store import Record
from sandbox.intacct.validation import (
    check_attachment,
    check_create,
    check_required,
    check_unique,
    check_values,
    flatten,
    prepare_create,
    resolve_parent,
)
from sandbox.intacct.xmlwrite import data_element, element

if TYPE_CHECKING:
    from xml.etree.ElementTree import Element  # type only: parsing goes through defusedxml

WRITE_FUNCTIONS = frozenset({"create", "update", "delete"})

# Objects whose create has its own rules and owned lines (one record plus its lines per element).
DocumentCreator = Callable[[FunctionContext, ObjectDef, "Element"], Record]
DOCUMENT_CREATORS: Mapping[str, DocumentCreator] = {"APBILL": create_bill}


def _objects(ctx: FunctionContext, call: FunctionCall) -> list[tuple[ObjectDef, Element]]:
    entries: list[tuple[ObjectDef, Element]] = []
    for child in call.element:
        obj = find_object(ctx.config, child.tag)
        if obj is None:
            raise FunctionFailure(object_not_found(ctx.config.unknown_object_errorno, child.tag))
        if not obj.writable:
            raise FunctionFailure(unsupported(f"{call.name} of {obj.name}"))
        entries.append((obj, child))
    if not entries:
        raise FunctionFailure(invalid_argument(f"{call.name} needs at least one object"))
    if len(entries) > ctx.config.max_records_per_write:
        limit = ctx.config.max_records_per_write
        raise FunctionFailure(invalid_argument(f"{call.name} takes at most {limit} objects, got {len(entries)}"))
    return entries


def _system_fields(obj: ObjectDef) -> set[str]:
    return {"RECORDNO", obj.system_key, "WHENMODIFIED", *(["WHENCREATED"] if obj.system_whencreated else [])}


def _objects_data(entries: list[tuple[ObjectDef, Record]]) -> str:
    inner = "".join(
        f"<{obj.name.lower()}>"
        + element(obj.system_key, record["RECORDNO"])
        + (element(obj.id_field, record.get(obj.id_field, "")) if obj.id_field else "")
        + f"</{obj.name.lower()}>"
        for obj, record in entries
    )
    return data_element(inner, {"listtype": "objects", "count": len(entries)})


def _fail(action: str, obj: ObjectDef, errors: list[IntacctError]) -> FunctionFailure:
    return FunctionFailure(*errors, could_not(action, obj.label.lower()))


def run_create(ctx: FunctionContext, call: FunctionCall) -> str:
    created: list[tuple[ObjectDef, Record]] = []
    for obj, source in _objects(ctx, call):
        creator = DOCUMENT_CREATORS.get(obj.name)
        if creator is not None:
            created.append((obj, creator(ctx, obj, source)))
            continue
        given, errors = custom_input(ctx, obj, flatten(source))
        errors += check_values(obj, given)
        values = {name: value for name, value in given.items() if name not in _system_fields(obj)}
        prepare_create(ctx, obj, values)
        errors += check_create(ctx, obj, values)
        if errors:
            raise _fail("create", obj, errors)
        stamp = ctx.now_stamp()
        if obj.system_whencreated:
            values["WHENCREATED"] = stamp
        values["WHENMODIFIED"] = stamp
        created.append((obj, ctx.store.insert(obj.name, values)))
    return _objects_data(created)


def _identify(ctx: FunctionContext, obj: ObjectDef, values: dict[str, str]) -> Record:
    """The record an update names, by RECORDNO (a custom object's id) and/or the natural key (both must agree)."""
    recordno, natural = values.get(obj.system_key, "").strip(), values.get(obj.id_field or "", "")
    if not recordno and not natural:
        raise _fail("update", obj, [required_field(obj.label, f"{obj.system_key} or {obj.key_field}")])
    by_number = ctx.store.get(obj.name, int(recordno)) if recordno.isdigit() else None
    if recordno and by_number is None:
        raise _fail("update", obj, [record_not_found(obj.label, recordno)])
    if by_number is not None:
        if natural and obj.id_field and by_number.get(obj.id_field) != natural:
            raise _fail("update", obj, [invalid_value(obj.id_field, natural, "it cannot be changed")])
        return by_number
    by_name = ctx.store.find(obj.name, natural)
    if by_name is None:
        raise _fail("update", obj, [record_not_found(obj.label, natural)])
    return by_name


def run_update(ctx: FunctionContext, call: FunctionCall) -> str:
    updated: list[tuple[ObjectDef, Record]] = []
    for obj, source in _objects(ctx, call):
        given, errors = custom_input(ctx, obj, flatten(source))
        errors += check_values(obj, given)
        if errors:
            raise _fail("update", obj, errors)
        current = _identify(ctx, obj, given)
        changes = {name: value for name, value in given.items() if name not in _system_fields(obj)}
        errors = resolve_parent(ctx, obj, changes) + check_attachment(ctx, obj, changes)
        merged = {**current, **changes}
        errors += check_required(obj, merged) + check_unique(ctx, obj, merged, current["RECORDNO"])
        if errors:
            raise _fail("update", obj, errors)
        merged["WHENMODIFIED"] = ctx.now_stamp()
        updated.append((obj, ctx.store.replace(obj.name, int(current["RECORDNO"]), merged)))
    return _objects_data(updated)


def run_delete(ctx: FunctionContext, call: FunctionCall) -> None:
    obj = resolve_object(ctx, child_text(call.element, "object"))
    if not obj.writable:
        raise FunctionFailure(unsupported(f"delete of {obj.name}"))
    keys = [key.strip() for key in (child_text(call.element, "keys") or "").split(",") if key.strip()]
    if not keys:
        raise FunctionFailure(invalid_argument("delete needs keys (RECORDNO values)"))
    for key in keys:
        if not key.isdigit() or ctx.store.get(obj.name, int(key)) is None:
            raise _fail("delete", obj, [record_not_found(obj.label, key)])
        ctx.store.delete(obj.name, int(key))
        _delete_lines(ctx, obj, key)


def _delete_lines(ctx: FunctionContext, obj: ObjectDef, recordno: str) -> None:
    """A document's lines go with it."""
    if obj.owned is None:
        return
    for line in ctx.store.all(obj.owned.object_name):
        if line.get(obj.owned.parent_key) == recordno:
            ctx.store.delete(obj.owned.object_name, int(line["RECORDNO"]))
