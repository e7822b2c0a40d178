"""``POST /crm/v8/{module}/upsert``: 1..100 records, each inserted or updated by the duplicate check, with one result
per record in input order. Per record, in this order: values (INVALID_DATA), the match, a match on a record this
same call wrote (DUPLICATE_DATA, or applied in sequence: ``same_call_duplicates``), mandatory fields on insert
(MANDATORY_NOT_FOUND), unique values held by another record on update (DUPLICATE_DATA), a Parent_Account cycle.

HTTP status: 200 when every record succeeded, ``upsert_mixed_status`` (207) when some did, ``upsert_failed_status``
(400) when none did (UNVERIFIED; the OAS has examples of each)."""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any

from sandbox.zoho.context import ApiContext, Call, Reply
from sandbox.zoho.duplicates import ValueIndex, check_order, find_match, unique_fields
from sandbox.zoho.errors import (
    DUPLICATE_DATA,
    RecordError,
    invalid_request_data,
    limit_exceeded,
    mandatory_missing,
    path_of,
    required_param,
)
from sandbox.zoho.schema import ACCOUNTS
from sandbox.zoho.store import StoredRecord
from sandbox.zoho.validation import Prepared, add_new_options, prepare
from sandbox.zoho.values import Json, stamp

RECORDS_PER_CREDIT = 10


def upsert_cost(body: Any) -> int:
    """Credits: one per ten records, at least one (reference §2.4, SECONDARY)."""
    rows = body.get("data") if isinstance(body, dict) else None
    count = len(rows) if isinstance(rows, list) else 0
    return max(1, math.ceil(count / RECORDS_PER_CREDIT))


def record_count(body: Any) -> int:
    rows = body.get("data") if isinstance(body, dict) else None
    return len(rows) if isinstance(rows, list) else 0


def upsert(ctx: ApiContext, call: Call) -> Reply:
    body = call.body
    if not isinstance(body, dict):
        raise invalid_request_data()
    rows = body.get("data")
    if rows is None:
        raise required_param("data")
    if not isinstance(rows, list) or not rows:
        raise invalid_request_data({"api_name": "data", "json_path": "$.data"})
    if len(rows) > ctx.config.max_upsert_records:
        raise limit_exceeded("data", ctx.config.max_upsert_records)
    with ctx.db.lock:
        order = check_order(ctx, call.module, body.get("duplicate_check_fields"))
        values = ValueIndex(ctx, call.module, list(dict.fromkeys([*order, *unique_fields(ctx, call.module)])))
        written: set[str] = set()
        items: list[Json] = []
        for index, row in enumerate(rows):
            try:
                items.append(_one(ctx, call.module, index, row, _Batch(order, values, written)))
            except RecordError as error:
                items.append(error.item())
    succeeded = sum(item["status"] == "success" for item in items)
    if succeeded == len(items):
        status = 200
    else:
        status = ctx.config.upsert_failed_status if succeeded == 0 else ctx.config.upsert_mixed_status
    return Reply({"data": items}, status)


@dataclass(frozen=True)
class _Batch:
    """What the records of one call share: the duplicate-check order, the value index, the ids already written."""

    order: list[str]
    values: ValueIndex
    written: set[str]


def _one(ctx: ApiContext, module: str, index: int, row: Any, batch: _Batch) -> Json:
    if not isinstance(row, dict):
        raise RecordError(
            "INVALID_DATA", "invalid data", {"expected_data_type": "jsonobject", "json_path": f"$.data[{index}]"}
        )
    prepared = prepare(ctx, module, index, row)
    found = find_match(prepared.values, batch.order, batch.values)
    if found is not None and found[0].id in batch.written and ctx.config.same_call_duplicates == "duplicate_data":
        raise _duplicate(ctx, module, index, found[1], found[0])
    if found is None:
        _check_mandatory(ctx, module, index, prepared.values, inserting=True)
        record = _insert(ctx, module, prepared)
        batch.values.add(record)
        duplicate_field = batch.order[0] if ctx.config.duplicate_field_on_insert and batch.order else None
        action, message = "insert", "record added"
    else:
        record, duplicate_field = found
        _check_mandatory(ctx, module, index, prepared.values, inserting=False)
        _check_unique(ctx, module, index, prepared.values, record, by_value=batch.values)
        _check_parent(ctx, module, index, prepared.values, record)
        batch.values.remove(record)
        _update(ctx, record, prepared)
        batch.values.add(record)
        action, message = "update", "record updated"
    add_new_options(ctx, module, prepared)
    batch.written.add(record.id)
    return {
        "code": "SUCCESS",
        "duplicate_field": duplicate_field,
        "action": action,
        "details": _details(ctx, record),
        "message": message,
        "status": "success",
    }


def _check_mandatory(ctx: ApiContext, module: str, index: int, values: dict[str, Any], *, inserting: bool) -> None:
    """On insert every mandatory field needs a value; on update a mandatory field may not be emptied."""
    for spec in ctx.visible_fields(module):
        if not spec.mandatory:
            continue
        given = spec.api_name in values
        empty = values.get(spec.api_name) in (None, "")
        if (inserting and empty) or (given and empty):
            raise mandatory_missing(index, spec.api_name)


def _check_unique(
    ctx: ApiContext, module: str, index: int, values: dict[str, Any], record: StoredRecord, *, by_value: ValueIndex
) -> None:
    """An update may not give a unique field a value another record holds (DUPLICATE_DATA)."""
    for spec in ctx.visible_fields(module):
        value = values.get(spec.api_name)
        if not spec.unique or value in (None, ""):
            continue
        others = [other for other in by_value.holders(spec.api_name, value) if other.id != record.id]
        if others:
            raise _duplicate(ctx, module, index, spec.api_name, others[0], more=len(others) > 1)


def _check_parent(ctx: ApiContext, module: str, index: int, values: dict[str, Any], record: StoredRecord) -> None:
    """A Parent_Account chain that leads back to the record itself is refused (UNVERIFIED code and text)."""
    parent = values.get("Parent_Account")
    if module != ACCOUNTS or parent is None or ctx.config.allow_parent_cycles:
        return
    seen: set[str] = set()
    current: str | None = str(parent)
    while current is not None and current not in seen:
        if current == record.id:
            details = {"api_name": "Parent_Account", "json_path": path_of(index, "Parent_Account")}
            raise RecordError(ctx.config.parent_cycle_code, ctx.config.parent_cycle_message, details)
        seen.add(current)
        ancestor = ctx.db.records[ACCOUNTS].get(current)
        current = (
            None
            if ancestor is None or ancestor.values.get("Parent_Account") is None
            else str(ancestor.values["Parent_Account"])
        )


def _duplicate(
    ctx: ApiContext, module: str, index: int, api_name: str, other: StoredRecord, *, more: bool = False
) -> RecordError:
    details = {
        "api_name": api_name,
        "json_path": path_of(index, api_name),
        "duplicate_record": {
            "id": ctx.out_id(other.id),
            "module": {"api_name": module, "id": ctx.out_id(ctx.db.module_ids[module])},
            "Owner": {"name": ctx.config.user_name, "id": ctx.out_id(ctx.db.user_id), "zuid": ctx.db.zuid},
        },
        "more_records": more,
    }
    return RecordError("DUPLICATE_DATA", DUPLICATE_DATA, details)


def _insert(ctx: ApiContext, module: str, prepared: Prepared) -> StoredRecord:
    values = dict(prepared.values)
    values.setdefault("Owner", ctx.db.user_id)
    user = ctx.db.user_id
    record = StoredRecord(ctx.db.ids.next(), values, ctx.moment, ctx.moment, user, user)
    ctx.db.records[module][record.id] = record
    return record


def _update(ctx: ApiContext, record: StoredRecord, prepared: Prepared) -> None:
    record.values.update(prepared.values)
    record.modified_at = ctx.moment
    record.modified_by = ctx.db.user_id


def _details(ctx: ApiContext, record: StoredRecord) -> Json:
    user = {"name": ctx.config.user_name, "id": ctx.out_id(ctx.db.user_id)}
    return {
        "Modified_Time": stamp(record.modified_at),
        "Modified_By": user,
        "Created_Time": stamp(record.created_at),
        "id": ctx.out_id(record.id),
        "Created_By": user,
    }
