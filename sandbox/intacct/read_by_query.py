"""readByQuery and readMore: the legacy paged reads (pagesize 1-1000, resultId continuation).

Response: ``<data listtype="object" count totalcount numremaining resultId>`` with lower-case
record elements. ``resultId`` is empty when nothing remains after the first page.
"""

from __future__ import annotations

from collections.abc import Sequence

from sandbox.intacct.context import FunctionContext, child_text, int_option
from sandbox.intacct.envelope import FunctionCall
from sandbox.intacct.errors import FunctionFailure, invalid_fields_list, invalid_query, unsupported
from sandbox.intacct.field_lists import parse_field_list, resolve_fields
from sandbox.intacct.query import resolve_object
from sandbox.intacct.query_string import QueryStringParser
from sandbox.intacct.render import render_records
from sandbox.intacct.result_sets import ResultSet
from sandbox.intacct.xmlwrite import data_element


def _page_xml(ctx: FunctionContext, result: ResultSet, recordnos: Sequence[int], result_id: str) -> str:
    records = [record for number in recordnos if (record := ctx.store.get(result.object_name, number)) is not None]
    tag = result.object_name.lower()
    attributes: dict[str, str | int] = {
        "listtype": tag,
        "count": len(records),
        "totalcount": result.total,
        "numremaining": result.remaining,
        "resultId": result_id,
    }
    style = ctx.config.render_style(all_fields=result.all_fields)
    return data_element(render_records(tag, records, result.fields, style), attributes)


def run_read_by_query(ctx: FunctionContext, call: FunctionCall) -> str:
    obj = resolve_object(ctx, child_text(call.element, "object"))
    requested = parse_field_list(child_text(call.element, "fields"))
    fields = resolve_fields(obj, requested, invalid_fields_list)
    query = child_text(call.element, "query")
    if query is None:
        raise FunctionFailure(invalid_query("readByQuery requires a query element (it may be empty)"))
    returnformat = (child_text(call.element, "returnFormat") or "xml").strip().lower()
    if returnformat != "xml":
        raise FunctionFailure(unsupported(f"returnFormat {returnformat}"))
    config = ctx.config
    pagesize = int_option(
        call.element, "pagesize", config.read_by_query_default_pagesize, 1, config.read_by_query_max_pagesize
    )
    predicate = QueryStringParser(obj, lambda name: invalid_query(f"Invalid field {name} in query")).parse(query)
    matching = [int(r["RECORDNO"]) for r in ctx.store.all(obj.name) if predicate is None or predicate(r)]
    result = ctx.result_sets.create(
        ctx.identity.company_id, obj.name, tuple(fields), matching, pagesize, all_fields="*" in requested
    )
    page = result.next_page()
    if result.remaining == 0:
        ctx.result_sets.discard(result.result_id)
        return _page_xml(ctx, result, page, "")
    return _page_xml(ctx, result, page, result.result_id)


def run_read_more(ctx: FunctionContext, call: FunctionCall) -> str:
    company = ctx.identity.company_id
    result_id = (child_text(call.element, "resultId") or "").strip()
    object_name = (child_text(call.element, "object") or "").strip().upper()
    if result_id:
        result = ctx.result_sets.get(company, result_id)
    elif object_name:
        result = ctx.result_sets.latest_for(company, object_name)
    else:
        raise FunctionFailure(invalid_query("readMore requires a resultId or an object"))
    if result is None or result.remaining == 0:
        raise FunctionFailure(invalid_query(f"No more records for resultId {result_id or object_name}"))
    return _page_xml(ctx, result, result.next_page(), result.result_id)
