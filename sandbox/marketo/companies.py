"""Companies API (reference §6): describe, query by a searchable field, sync, delete."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from sandbox.marketo import codes
from sandbox.marketo.codes import ApiFailure
from sandbox.marketo.context import ApiContext, Reply, batch_input, choice
from sandbox.marketo.query import page, parse_filter_query, project
from sandbox.marketo.records import Skip, checked_values, describe_field, skipped
from sandbox.marketo.schema import (
    COMPANY_DEDUPE_FIELD,
    COMPANY_DEFAULT_FIELDS,
    COMPANY_SEARCHABLE,
    Schema,
    company_schema,
)
from sandbox.marketo.store import Record
from sandbox.marketo.values import Value

ACTIONS = ("createOrUpdate", "createOnly", "updateOnly")
KEY_MODES = ("dedupeFields", "idField")
_OBJECT_STAMP = "2015-05-11T17:11:32Z"
_FILTER_ALIASES = {"idField": "id", "dedupeFields": COMPANY_DEDUPE_FIELD}


def describe(ctx: ApiContext) -> Reply:
    schema = company_schema(ctx.config)
    return Reply(
        [
            {
                "name": "Company",
                "description": "Company object",
                "createdAt": _OBJECT_STAMP,
                "updatedAt": _OBJECT_STAMP,
                "idField": "id",
                "dedupeFields": [COMPANY_DEDUPE_FIELD],
                "searchableFields": [[name] for name in COMPANY_SEARCHABLE],
                "fields": [describe_field(spec) for spec in schema],
            }
        ]
    )


def query(ctx: ApiContext, params: Mapping[str, Any]) -> Reply:
    config = ctx.config
    request = parse_filter_query(
        params,
        company_schema(config),
        COMPANY_DEFAULT_FIELDS,
        max_values=config.max_filter_values,
        max_batch=config.max_batch,
    )
    field = _FILTER_ALIASES.get(request.filter_type, request.filter_type)
    if field not in COMPANY_SEARCHABLE:
        raise ApiFailure(codes.field_not_supported(request.filter_type))
    rows: list[tuple[int, Record]] = []
    seen: set[int] = set()
    with ctx.db.lock:
        for seq, value in enumerate(request.values):
            for record_id in ctx.db.companies.find(field, value):
                record = ctx.db.companies.get(record_id)
                if record is not None and record_id not in seen:
                    seen.add(record_id)
                    rows.append((seq, record))
    chosen, more = page(rows, request)
    return Reply([{"seq": seq, **project(record, request.fields)} for seq, record in chosen], more)


def sync(ctx: ApiContext, body: Mapping[str, Any]) -> Reply:
    action = choice(body, "action", ACTIONS, "createOrUpdate")
    key_mode = choice(body, "dedupeBy", KEY_MODES, "dedupeFields")
    if key_mode == "idField" and action != "updateOnly":
        raise ApiFailure(codes.invalid_parameter("dedupeBy 'idField' is only valid with action 'updateOnly'"))
    records = batch_input(body, ctx.config.max_batch)
    writer = _CompanyWriter(ctx, action, "id" if key_mode == "idField" else COMPANY_DEDUPE_FIELD)
    with ctx.db.lock:
        return Reply([{"seq": seq, **writer.write(item)} for seq, item in enumerate(records)])


def delete(ctx: ApiContext, body: Mapping[str, Any]) -> Reply:
    key_field = "id" if choice(body, "deleteBy", KEY_MODES, "dedupeFields") == "idField" else COMPANY_DEDUPE_FIELD
    records = batch_input(body, ctx.config.max_batch)
    with ctx.db.lock:
        return Reply([{"seq": seq, **_delete_one(ctx, key_field, item)} for seq, item in enumerate(records)])


class _CompanyWriter:
    """One Sync Companies call: keys seen so far (1036), then create / update / skip per record."""

    def __init__(self, ctx: ApiContext, action: str, key_field: str) -> None:
        self.ctx = ctx
        self.action = action
        self.key_field = key_field
        self.schema: Schema = company_schema(ctx.config)
        self.seen: set[str] = set()

    def write(self, item: object) -> dict[str, Any]:
        try:
            return self._write(item)
        except Skip as skip:
            return skipped(skip.problem)

    def _write(self, item: object) -> dict[str, Any]:
        if not isinstance(item, Mapping):
            raise Skip(codes.invalid_data())
        if self.ctx.config.crm_enabled:
            raise Skip(codes.crm_enabled())
        key = item.get(self.key_field)
        if key is None or key == "":
            raise Skip(codes.missing_value(self.key_field))
        if str(key) in self.seen:
            raise Skip(codes.duplicate_in_input())
        self.seen.add(str(key))
        values = checked_values(self.schema, item, frozenset({self.key_field, COMPANY_DEDUPE_FIELD}))
        if self.key_field == "id" and values.get("id") is None:
            raise Skip(codes.invalid_value("id"))
        table = self.ctx.db.companies
        found = table.find(self.key_field, values[self.key_field])
        if not found:
            return self._create(values)
        if self.action == "createOnly":
            raise Skip(codes.company_exists(self.ctx.config.company_exists_code))
        current = table.get(found[0])
        assert current is not None
        if COMPANY_DEDUPE_FIELD in values and values[COMPANY_DEDUPE_FIELD] != current.get(COMPANY_DEDUPE_FIELD):
            raise Skip(codes.invalid_data())  # externalCompanyId cannot be changed
        changes = {name: value for name, value in values.items() if name != "id"}
        updated = table.update(found[0], changes, self.ctx.now)
        return {"status": "updated", "id": updated["id"]}

    def _create(self, values: dict[str, Value]) -> dict[str, Any]:
        if self.action == "updateOnly":
            raise Skip(codes.record_not_found(self.ctx.config.company_missing_code))
        created = self.ctx.db.companies.insert(values, self.ctx.now)
        return {"status": "created", "id": created["id"]}


def _delete_one(ctx: ApiContext, key_field: str, item: object) -> dict[str, Any]:
    if not isinstance(item, Mapping):
        return skipped(codes.invalid_data())
    if ctx.config.crm_enabled:
        return skipped(codes.crm_enabled())
    key = item.get(key_field)
    if key is None or key == "":
        return skipped(codes.missing_value(key_field))
    found = ctx.db.companies.find(key_field, key)
    if not found:
        return skipped(codes.record_not_found())
    ctx.db.companies.delete(found[0])
    return {"id": found[0], "status": "deleted"}
