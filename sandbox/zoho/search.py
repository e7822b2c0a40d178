"""``GET /crm/v8/{module}/search`` with one of ``criteria`` > ``email`` > ``phone`` > ``word`` (that precedence).
``equals`` on text behaves like *contains* (reference §5.1; ``search_equals="exact"`` turns that off). Paging with
``page``/``per_page`` up to a 2,000-record cap (LIMIT_REACHED beyond). No match: 204 with no body. Records changed
within ``search_index_lag_s`` are not found yet (the index lags; off by default)."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from datetime import datetime, timedelta
from functools import partial
from typing import Any

from sandbox.zoho.context import ApiContext, Call, Reply
from sandbox.zoho.criteria import Condition, Group, parse
from sandbox.zoho.errors import EXPECTED_PARAM, SEARCH_LIMIT, ApiError, invalid_query
from sandbox.zoho.fields import STRING_TYPES, FieldSpec
from sandbox.zoho.reads import number, per_page, requested_fields
from sandbox.zoho.records import raw_value, view
from sandbox.zoho.store import StoredRecord

_META_FIELDS = ("id",)


def search(ctx: ApiContext, call: Call) -> Reply:
    query = call.query
    fields = requested_fields(ctx, call.module, query, required=False)
    size = per_page(ctx, query)
    page = number(query, "page", 1)
    if page * size > ctx.config.search_cap:
        raise ApiError(400, "LIMIT_REACHED", SEARCH_LIMIT, {"limit": ctx.config.search_cap})
    matcher = _matcher(ctx, call.module, query)
    cutoff = ctx.moment - timedelta(seconds=ctx.config.search_index_lag_s)
    with ctx.db.lock:
        records = [
            record
            for record in ctx.db.records[call.module].values()
            if (ctx.config.search_index_lag_s <= 0 or record.modified_at <= cutoff) and matcher(record)
        ]
    records.sort(key=lambda record: int(record.id))
    start = (page - 1) * size
    chunk = records[start : start + size]
    if not chunk:
        return Reply(None, 204)
    info = {"per_page": size, "count": len(chunk), "page": page, "more_records": start + size < len(records)}
    return Reply({"data": [view(ctx, call.module, record, fields) for record in chunk], "info": info})


class _Matcher:
    def __init__(self, ctx: ApiContext, module: str) -> None:
        self.ctx = ctx
        self.module = module
        self.fields = {spec.api_name: spec for spec in ctx.visible_fields(module)}

    def value(self, record: StoredRecord, name: str) -> Any:
        if name == "id":
            return record.id
        return raw_value(record, self.module, self.fields[name])

    def group(self, group: Group, record: StoredRecord) -> bool:
        """``and`` before ``or``: the groups of and-joined terms, any of which may hold."""
        runs: list[list[Condition | Group]] = [[group.terms[0]]]
        for joiner, term in zip(group.joiners, group.terms[1:], strict=True):
            if joiner == "or":
                runs.append([term])
            else:
                runs[-1].append(term)
        return any(all(self.term(term, record) for term in run) for run in runs)

    def term(self, term: Condition | Group, record: StoredRecord) -> bool:
        return self.group(term, record) if isinstance(term, Group) else self.condition(term, record)

    def condition(self, condition: Condition, record: StoredRecord) -> bool:
        spec = self.fields.get(condition.field)
        actual = self.value(record, condition.field)
        if actual is None:
            return condition.operator == "not_equal"
        text = str(actual).casefold()
        wanted = [value.casefold() for value in condition.values]
        operator = condition.operator
        if operator == "equals" and spec is not None and spec.data_type in STRING_TYPES:
            operator = "contains" if self.ctx.config.search_equals == "contains" else operator
        return _holds(operator, actual, text, wanted)


def _holds(operator: str, actual: Any, text: str, wanted: list[str]) -> bool:
    if operator == "contains":
        return wanted[0] in text
    if operator == "starts_with":
        return text.startswith(wanted[0])
    if operator in ("in", "equals", "not_equal"):
        found = any(_equal(actual, value) for value in wanted)
        return not found if operator == "not_equal" else found
    if operator == "between":
        return compare(actual, wanted[0]) >= 0 and compare(actual, wanted[1]) <= 0
    sign = compare(actual, wanted[0])
    comparisons = {"greater_than": sign > 0, "greater_equal": sign >= 0, "less_than": sign < 0, "less_equal": sign <= 0}
    return comparisons[operator]


def _equal(actual: Any, wanted: str) -> bool:
    if isinstance(actual, bool):
        return str(actual).lower() == wanted
    return compare(actual, wanted) == 0


def compare(actual: Any, wanted: str) -> int:
    """Numbers as numbers, timestamps as instants, the rest as case-folded text."""
    left: Any
    right: Any
    try:
        left, right = float(actual), float(wanted)
    except (TypeError, ValueError):
        try:
            left, right = datetime.fromisoformat(str(actual)), datetime.fromisoformat(wanted)
            if (left.tzinfo is None) != (right.tzinfo is None):
                raise ValueError(wanted) from None
        except ValueError:
            left, right = str(actual).casefold(), wanted
    return int(left > right) - int(left < right)


Predicate = Callable[[StoredRecord], bool]


def _matcher(ctx: ApiContext, module: str, query: Mapping[str, str]) -> Predicate:
    """The test a record passes: the criteria, else an email, a phone number or a word found in its fields."""
    matcher = _Matcher(ctx, module)
    criteria = query.get("criteria", "").strip()
    if criteria:
        group = parse(criteria)
        for condition in group.conditions():
            if condition.field not in matcher.fields and condition.field not in _META_FIELDS:
                raise invalid_query("unknown field", condition.field)
        return partial(matcher.group, group)
    for param, kind, exact in (("email", "email", True), ("phone", "phone", False), ("word", "", False)):
        wanted = query.get(param, "").strip()
        if not wanted:
            continue
        if param == "word" and len(wanted) < 2:
            raise invalid_query("a word needs at least two characters", "word")
        specs = [
            spec
            for spec in matcher.fields.values()
            if spec.data_type == kind or (not kind and spec.data_type in STRING_TYPES)
        ]
        return partial(_any, matcher, specs=specs, wanted=wanted, exact=exact)
    raise ApiError(400, "EXPECTED_PARAM_MISSING", EXPECTED_PARAM, {"param": "criteria"})


def _any(matcher: _Matcher, record: StoredRecord, *, specs: list[FieldSpec], wanted: str, exact: bool) -> bool:
    for spec in specs:
        value = matcher.value(record, spec.api_name)
        if value is None:
            continue
        text, target = str(value).casefold(), wanted.casefold()
        if (text == target) if exact else (target in text):
            return True
    return False
