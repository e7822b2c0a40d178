"""``POST /crm/v8/coql`` with ``{"select_query": "..."}`` (reference §5.2): at most 200 rows per call (``limit``,
default 200), paged with ``limit offset, count`` up to 10,000 rows (LIMIT_EXCEEDED beyond), at most 50 selected
fields, lookups joined with dot notation (``Account_Name.Account_Name``, at most 2 joins), ``where`` required
(``coql_where_required``). No rows: 204 (UNVERIFIED, as other reads). No index lag: it reads the records as they are.
Rows carry the selected fields and ``id``; a lookup selected as such is ``{"id": ...}``."""

from __future__ import annotations

import fnmatch
from functools import partial
from typing import Any

from sandbox.zoho.context import ApiContext, Call, Reply
from sandbox.zoho.coql_parser import Comparison, Condition, Logical, Query, parse
from sandbox.zoho.errors import INVALID_QUERY, ApiError, limit_exceeded, required_param
from sandbox.zoho.fields import FieldSpec
from sandbox.zoho.records import raw_value
from sandbox.zoho.schema import canonical_module
from sandbox.zoho.scopes import READ, granted, module_need
from sandbox.zoho.search import compare
from sandbox.zoho.store import StoredRecord
from sandbox.zoho.values import Json

MAX_JOINS = 2


def invalid_column(name: str) -> ApiError:
    return ApiError(400, "INVALID_QUERY", INVALID_QUERY, {"column_name": name, "reason": "invalid column given"})


class _Resolver:
    """Field paths of one module: ``Field``, ``Lookup.Field``, ``Lookup.Lookup.Field``, ``id``."""

    def __init__(self, ctx: ApiContext, module: str) -> None:
        self.ctx = ctx
        self.module = module

    def path(self, name: str) -> list[tuple[str, FieldSpec | None]]:
        """(module, field) for each step; ``None`` for ``id``. INVALID_QUERY for a name the module lacks."""
        parts = name.split(".")
        if len(parts) > MAX_JOINS + 1:
            raise ApiError(400, "LIMIT_EXCEEDED", "limit exceeded", {"column_name": name, "limit": MAX_JOINS})
        steps: list[tuple[str, FieldSpec | None]] = []
        module = self.module
        for position, part in enumerate(parts):
            if part == "id":
                steps.append((module, None))
                if position != len(parts) - 1:
                    raise invalid_column(name)
                break
            spec = next((item for item in self.ctx.visible_fields(module) if item.api_name == part), None)
            if spec is None or (position < len(parts) - 1 and spec.lookup_module is None):
                raise invalid_column(name)
            steps.append((module, spec))
            if spec.lookup_module is not None:
                module = spec.lookup_module
        return steps

    def value(self, record: StoredRecord, name: str) -> Any:
        current: StoredRecord | None = record
        value: Any = None
        for module, spec in self.path(name):
            if current is None:
                return None
            value = current.id if spec is None else raw_value(current, module, spec)
            if spec is not None and spec.lookup_module is not None and value is not None:
                current = self.ctx.db.records[spec.lookup_module].get(str(value))
            else:
                current = None
        return value

    def shown(self, record: StoredRecord, name: str) -> Any:
        value = self.value(record, name)
        spec = self.path(name)[-1][1]
        if value is not None and spec is not None and spec.is_lookup:
            return {"id": self.ctx.out_id(str(value))}
        return value


def _holds(resolver: _Resolver, condition: Condition, record: StoredRecord) -> bool:
    if isinstance(condition, Logical):
        results = (_holds(resolver, term, record) for term in condition.terms)
        return all(results) if condition.joiner == "and" else any(results)
    actual = resolver.value(record, condition.field)
    return _compare(condition, actual) != condition.negated


def _compare(condition: Comparison, actual: Any) -> bool:
    if condition.operator == "is null":
        return actual is None
    if actual is None:
        return False
    values = [str(value).casefold() for value in condition.values]  # compare() folds the record's side
    actual_text = str(actual).lower() if isinstance(actual, bool) else actual
    match condition.operator:
        case "in":
            return any(compare(actual_text, value) == 0 for value in values)
        case "between":
            return compare(actual_text, values[0]) >= 0 and compare(actual_text, values[1]) <= 0
        case "like":
            return fnmatch.fnmatchcase(str(actual).casefold(), values[0].casefold().replace("%", "*").replace("_", "?"))
    sign = compare(actual_text, values[0])
    results = {"=": sign == 0, "!=": sign != 0, "<": sign < 0, "<=": sign <= 0, ">": sign > 0, ">=": sign >= 0}
    return results[condition.operator]


def _columns(condition: Condition | None) -> list[str]:
    if condition is None:
        return []
    if isinstance(condition, Comparison):
        return [condition.field]
    return [name for term in condition.terms for name in _columns(term)]


def _module(ctx: ApiContext, query: Query) -> str:
    module = canonical_module(query.module)
    if module is None or not ctx.module_available(module):
        raise ApiError(400, "INVALID_QUERY", INVALID_QUERY, {"reason": "invalid module given", "module": query.module})
    return module


def run(ctx: ApiContext, call: Call) -> Reply:
    body = call.body if isinstance(call.body, dict) else {}
    text = body.get("select_query")
    if not isinstance(text, str) or not text.strip():
        raise required_param("select_query")
    query = parse(text)
    config = ctx.config
    module = _module(ctx, query)
    if not granted(call.scopes, [module_need(module.lower(), READ)]):
        raise ApiError(401, "OAUTH_SCOPE_MISMATCH", config.scope_mismatch_message)
    if query.where is None and config.coql_where_required:
        raise ApiError(400, "SYNTAX_ERROR", "where clause is missing", {"clause": "where"})  # UNVERIFIED text
    if len(query.fields) > config.coql_max_fields:
        raise limit_exceeded("select_query", config.coql_max_fields)
    count = config.coql_max_limit if query.limit is None else query.limit
    if count > config.coql_max_limit or query.offset + count > config.coql_max_rows:
        raise limit_exceeded(
            "select_query", config.coql_max_rows if count <= config.coql_max_limit else config.coql_max_limit
        )
    resolver = _Resolver(ctx, module)
    for name in (*query.fields, *(field for field, _ in query.order_by), *_columns(query.where)):
        resolver.path(name)  # INVALID_QUERY for a column the module lacks, with or without records
    with ctx.db.lock:
        rows = sorted(ctx.db.records[module].values(), key=lambda record: int(record.id))
        if query.where is not None:
            rows = [record for record in rows if _holds(resolver, query.where, record)]
        for field, descending in reversed(query.order_by):  # a stable sort per key, the last key first
            rows.sort(key=partial(_sort_key, resolver, field), reverse=descending)
        chunk = rows[query.offset : query.offset + count]
        data: list[Json] = [
            {**{name: resolver.shown(record, name) for name in query.fields}, "id": ctx.out_id(record.id)}
            for record in chunk
        ]
    if not data:
        return Reply(None, 204)
    return Reply({"data": data, "info": {"count": len(data), "more_records": query.offset + count < len(rows)}})


def _sort_key(resolver: _Resolver, field: str, record: StoredRecord) -> tuple[int, Any]:
    """Numbers by value, then text case-folded, then nulls (ascending)."""
    value = resolver.value(record, field)
    if value is None:
        return (2, "")
    if isinstance(value, int | float) and not isinstance(value, bool):
        return (0, value)
    return (1, str(value).casefold())
