"""read (RECORDNO keys) and readByName (natural keys): at most ``read_max_keys`` keys per call.

Response: ``<data listtype="OBJECT" count>`` with upper-case records; with ``*`` owned lines are
included (APBILL -> APBILLITEMS/apbillitem; the line element shape is UNVERIFIED). Unknown keys are
skipped (UNVERIFIED: whether the gateway fails instead).
"""

from __future__ import annotations

from sandbox.intacct.context import FunctionContext, child_text
from sandbox.intacct.envelope import FunctionCall
from sandbox.intacct.errors import FunctionFailure, invalid_argument, invalid_fields_list, unsupported
from sandbox.intacct.field_lists import parse_field_list, resolve_fields
from sandbox.intacct.query import resolve_object
from sandbox.intacct.render import render_record, render_records
from sandbox.intacct.schema import ObjectDef, lookup
from sandbox.intacct.store import Record
from sandbox.intacct.xmlwrite import data_element


def _keys(ctx: FunctionContext, call: FunctionCall) -> list[str]:
    keys = [key.strip() for key in (child_text(call.element, "keys") or "").split(",") if key.strip()]
    if len(keys) > ctx.config.read_max_keys:
        raise FunctionFailure(invalid_argument(f"at most {ctx.config.read_max_keys} keys per call, got {len(keys)}"))
    return keys


def _owned_lines(ctx: FunctionContext, obj: ObjectDef, records: list[Record]) -> dict[str, str]:
    """RECORDNO -> rendered container of its lines, for the given parent records."""
    owned = obj.owned
    line_def = lookup(owned.object_name) if owned is not None else None
    if owned is None or line_def is None:
        return {}
    wanted: dict[str, list[Record]] = {record["RECORDNO"]: [] for record in records}
    for line in ctx.store.all(owned.object_name):
        parent = line.get(owned.parent_key, "")
        if parent in wanted:
            wanted[parent].append(line)
    tag, fields = owned.object_name.lower(), list(line_def.fields)
    style = ctx.config.render_style(all_fields=True)
    return {
        key: f"<{owned.container}>{render_records(tag, lines, fields, style)}</{owned.container}>"
        for key, lines in wanted.items()
    }


def _respond(ctx: FunctionContext, obj: ObjectDef, call: FunctionCall, records: list[Record]) -> str:
    requested = parse_field_list(child_text(call.element, "fields"))
    fields = resolve_fields(obj, requested, invalid_fields_list)
    returnformat = (child_text(call.element, "returnFormat") or "xml").strip().lower()
    if returnformat != "xml":
        raise FunctionFailure(unsupported(f"returnFormat {returnformat}"))
    everything = "*" in requested
    lines = _owned_lines(ctx, obj, records) if everything else {}
    style = ctx.config.render_style(all_fields=everything)
    inner = "".join(
        render_record(obj.name, record, fields, lines.get(record["RECORDNO"], ""), style) for record in records
    )
    return data_element(inner, {"listtype": obj.name, "count": len(records)})


def run_read(ctx: FunctionContext, call: FunctionCall) -> str:
    obj = resolve_object(ctx, child_text(call.element, "object"))
    records = [
        record
        for key in _keys(ctx, call)
        if key.isdigit() and (record := ctx.store.get(obj.name, int(key))) is not None
    ]
    return _respond(ctx, obj, call, records)


def run_read_by_name(ctx: FunctionContext, call: FunctionCall) -> str:
    obj = resolve_object(ctx, child_text(call.element, "object"))
    records = [record for key in _keys(ctx, call) if (record := ctx.store.find(obj.name, key)) is not None]
    return _respond(ctx, obj, call, records)
