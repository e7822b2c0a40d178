"""The ``query`` function (2020 R1+): select list, filter tree, orderby, options, offset paging.

Response: ``<data listtype="OBJECT" totalcount offset count numremaining>`` with upper-case record
elements holding only the selected fields. Unknown fields -> XL03000010.
"""

from __future__ import annotations

from sandbox.intacct.catalogue import find_object
from sandbox.intacct.context import FunctionContext, child_text, int_option
from sandbox.intacct.envelope import FunctionCall
from sandbox.intacct.errors import FunctionFailure, field_not_valid, invalid_query, object_not_found, unsupported
from sandbox.intacct.filters import FilterCompiler
from sandbox.intacct.render import render_records
from sandbox.intacct.schema import ObjectDef
from sandbox.intacct.sorting import sort_records
from sandbox.intacct.xmlwrite import data_element

_AGGREGATES = frozenset({"count", "avg", "min", "max", "sum"})


def resolve_object(ctx: FunctionContext, name: str | None) -> ObjectDef:
    if not name or not name.strip():
        raise FunctionFailure(invalid_query("object is required"))
    obj = find_object(ctx.config, name)
    if obj is None:
        raise FunctionFailure(object_not_found(ctx.config.unknown_object_errorno, name.strip()))
    return obj


def _select(obj: ObjectDef, call: FunctionCall) -> list[str]:
    select = next((child for child in call.element if child.tag.lower() == "select"), None)
    if select is None or len(select) == 0:
        raise FunctionFailure(invalid_query("select must list at least one field"))
    fields: list[str] = []
    for child in select:
        if child.tag.lower() in _AGGREGATES:
            raise FunctionFailure(unsupported(f"aggregate <{child.tag}> in query select"))
        name = (child.text or "").strip()
        canonical = name.upper()
        if child.tag.lower() != "field" or canonical not in obj.fields:
            raise FunctionFailure(field_not_valid(obj.name, name or child.tag))
        if canonical not in fields:
            fields.append(canonical)
    return fields


def _order(obj: ObjectDef, call: FunctionCall) -> list[tuple[str, bool]]:
    orderby = next((child for child in call.element if child.tag.lower() == "orderby"), None)
    order: list[tuple[str, bool]] = []
    for entry in orderby if orderby is not None else []:
        name = (child_text(entry, "field") or "").strip()
        if name.upper() not in obj.fields:
            raise FunctionFailure(field_not_valid(obj.name, name))
        descending = any(child.tag.lower() == "descending" for child in entry)
        order.append((name.upper(), descending))
    return order


def _casefold(call: FunctionCall) -> bool:
    options = next((child for child in call.element if child.tag.lower() == "options"), None)
    if options is None:
        return False
    returnformat = (child_text(options, "returnformat") or "xml").strip().lower()
    if returnformat != "xml":
        raise FunctionFailure(unsupported(f"returnformat {returnformat}"))
    return (child_text(options, "caseinsensitive") or "false").strip().lower() == "true"


def run_query(ctx: FunctionContext, call: FunctionCall) -> str:
    obj = resolve_object(ctx, child_text(call.element, "object"))
    fields = _select(obj, call)
    compiler = FilterCompiler(obj, casefold=_casefold(call), unknown_field=lambda name: field_not_valid(obj.name, name))
    filter_element = next((child for child in call.element if child.tag.lower() == "filter"), None)
    predicate = compiler.compile(filter_element) if filter_element is not None else None
    order = _order(obj, call)
    pagesize = int_option(call.element, "pagesize", ctx.config.query_default_pagesize, 1, ctx.config.query_max_pagesize)
    offset = int_option(call.element, "offset", 0, 0, 2**31 - 1)

    records = ctx.store.all(obj.name)
    docparid = (child_text(call.element, "docparid") or "").strip()
    if docparid and "DOCPARID" in obj.fields:  # a transaction definition narrows PODOCUMENT
        records = [record for record in records if record.get("DOCPARID") == docparid]
    matching = [record for record in records if predicate(record)] if predicate else list(records)
    ordered = sort_records(obj, list(matching), order) if order else matching
    page = ordered[offset : offset + pagesize]
    attributes: dict[str, str | int] = {
        "listtype": obj.name,
        "totalcount": len(ordered),
        "offset": offset,
        "count": len(page),
        "numremaining": max(0, len(ordered) - offset - len(page)),
    }
    return data_element(render_records(obj.name, page, fields, ctx.config.render_style()), attributes)
