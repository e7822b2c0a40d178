"""Batch operations, ``/batches``: up to 500 pending batches per account (429 beyond); each moves pending ->
preprocessing -> started -> finalizing -> finished (config.batch_progress says when). Its operations run, one by
one through the same handlers as HTTP calls, when it reaches ``started``; an operation's error is only its own
``status_code`` in the results. A finished batch points ``response_body_url`` at its archive, served by the
simulator outside ``/3.0`` without auth.
"""

from __future__ import annotations

import json
from datetime import timedelta

from sandbox.mailchimp.archives import build_archive
from sandbox.mailchimp.context import ApiContext, Call, Reply
from sandbox.mailchimp.errors import (
    TOO_MANY_BATCHES,
    ApiError,
    FieldError,
    json_type,
    not_found,
    required_fields,
    schema_error,
    wrong_type,
)
from sandbox.mailchimp.params import body_object, collection
from sandbox.mailchimp.store import Batch, Database
from sandbox.mailchimp.values import Json, short_id, stamp

STAGES = ("pending", "preprocessing", "started", "finalizing", "finished")
METHODS = frozenset({"GET", "POST", "PUT", "PATCH", "DELETE"})
ARCHIVE_PATH = "/batch-results/{batch_id}.tar.gz"


def _operation(index: int, raw: object) -> tuple[Json | None, list[FieldError]]:
    where = f"operations.item:{index}"
    if not isinstance(raw, dict):
        return None, [wrong_type(where, "object", json_type(raw))]
    problems: list[FieldError] = []
    missing = [name for name in ("method", "path") if not raw.get(name)]
    if missing:
        problems.append(FieldError(where, f"Required fields were not provided: {', '.join(missing)}"))
    method = str(raw.get("method", "")).upper()
    if raw.get("method") and method not in METHODS:
        problems.append(FieldError(f"{where}.method", f"Value must be one of: {', '.join(sorted(METHODS))}"))
    for name, kind, python_type in (
        ("path", "string", str),
        ("body", "string", str),
        ("operation_id", "string", str),
        ("params", "object", dict),
    ):
        value = raw.get(name)
        if value is not None and not isinstance(value, python_type):
            problems.append(wrong_type(where if name == "body" else f"{where}.{name}", kind, json_type(value)))
    if problems:
        return None, problems
    operation = {
        "method": method,
        "path": raw["path"],
        "params": {str(key): _param(value) for key, value in (raw.get("params") or {}).items()},
        "body": raw.get("body"),
        "operation_id": raw.get("operation_id"),
    }
    return operation, []


def _param(value: object) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, list):
        return ",".join(str(item) for item in value)
    return str(value)


def pending_count(db: Database) -> int:
    return sum(1 for batch in db.batches.values() if batch.status != "finished" and not batch.expired)


def create_batch(ctx: ApiContext, call: Call) -> Reply:
    body = body_object(call.body)
    if "operations" not in body:
        raise required_fields(["operations"])
    raw_operations = body["operations"]
    if not isinstance(raw_operations, list):
        raise schema_error([wrong_type("operations", "array", json_type(raw_operations))])
    operations: list[Json] = []
    problems: list[FieldError] = []
    for index, raw in enumerate(raw_operations):
        operation, found = _operation(index, raw)
        problems.extend(found)
        if operation is not None:
            operations.append(operation)
    if problems:
        raise schema_error(problems)
    with ctx.db.lock:
        limit = ctx.config.max_pending_batches
        if pending_count(ctx.db) >= limit:
            raise ApiError(429, "Too Many Requests", TOO_MANY_BATCHES.format(limit=limit))
        batch_id = short_id("batch", ctx.config.account_id, ctx.db.next_batch_number())
        batch = Batch(batch_id, operations, ctx.moment, stage_since=ctx.moment)
        ctx.db.batches[batch_id] = batch
        if ctx.config.batch_progress == "immediate":
            _advance(ctx, batch, len(STAGES))
        return Reply(view(ctx, batch))


def view(ctx: ApiContext, batch: Batch) -> Json:
    finished = batch.status == "finished"
    ran = STAGES.index(batch.status) >= STAGES.index("started")
    return {
        "id": batch.id,
        "status": batch.status,
        "total_operations": len(batch.operations),
        "finished_operations": len(batch.results) if ran else 0,
        "errored_operations": batch.errored if ran else 0,
        "submitted_at": stamp(batch.submitted_at),
        "completed_at": stamp(batch.completed_at) if batch.completed_at else "",
        "response_body_url": ctx.base_url + ARCHIVE_PATH.format(batch_id=batch.id) if finished else "",
        "_links": [{"rel": "self", "href": f"{ctx.api_url}/batches/{batch.id}", "method": "GET"}],
    }


def _visible(ctx: ApiContext, batch_id: str) -> Batch:
    batch = ctx.db.batches.get(batch_id)
    if batch is None or _expired(ctx, batch):
        raise not_found()
    return batch


def _expired(ctx: ApiContext, batch: Batch) -> bool:
    retention = ctx.config.batch_retention_s
    if not batch.expired and retention is not None and batch.completed_at is not None:
        batch.expired = ctx.moment >= batch.completed_at + timedelta(seconds=retention)
    return batch.expired


def get_batch(ctx: ApiContext, call: Call) -> Reply:
    with ctx.db.lock:
        batch = _visible(ctx, call.params["batch_id"])
        _progress(ctx, batch, polled=True)
        return Reply(view(ctx, batch))


def list_batches(ctx: ApiContext, call: Call) -> Reply:
    with ctx.db.lock:
        shown = []
        for batch in ctx.db.batches.values():
            if not _expired(ctx, batch):
                _progress(ctx, batch, polled=False)
                shown.append(view(ctx, batch))
    return Reply(collection("batches", shown, call.query, ctx.config))


def delete_batch(ctx: ApiContext, call: Call) -> Reply:
    """Stops the batch; results of operations already run are lost (spec)."""
    with ctx.db.lock:
        batch = _visible(ctx, call.params["batch_id"])
        del ctx.db.batches[batch.id]
    return Reply(None, 204)


def archive(ctx: ApiContext, batch_id: str) -> bytes | None:
    """The archive of a finished, unexpired batch (None: no such download)."""
    with ctx.db.lock:
        batch = ctx.db.batches.get(batch_id)
        if batch is None or _expired(ctx, batch):
            return None
        return batch.archive


def _progress(ctx: ApiContext, batch: Batch, *, polled: bool) -> None:
    mode = ctx.config.batch_progress
    if mode == "per_get" and polled:
        _advance(ctx, batch, 1)
    elif mode == "clock" and batch.stage_since is not None:
        seconds = max(ctx.config.batch_stage_seconds, 0.0)
        while batch.status != "finished" and ctx.moment - batch.stage_since >= timedelta(seconds=seconds):
            batch.stage_since += timedelta(seconds=seconds)
            _step(ctx, batch)
    elif mode == "immediate":
        _advance(ctx, batch, len(STAGES))


def advance(ctx: ApiContext, batch_id: str, steps: int = 1) -> Batch:
    """Move a batch on by ``steps`` stages (the admin endpoint's way to hurry it); KeyError when unknown."""
    with ctx.db.lock:
        batch = ctx.db.batches[batch_id]
        _advance(ctx, batch, steps)
        return batch


def _advance(ctx: ApiContext, batch: Batch, steps: int) -> None:
    for _ in range(steps):
        if batch.status == "finished":
            return
        _step(ctx, batch)
    batch.stage_since = ctx.moment


def _step(ctx: ApiContext, batch: Batch) -> None:
    batch.status = STAGES[STAGES.index(batch.status) + 1]
    if batch.status == "started":
        _run(ctx, batch)
    elif batch.status == "finished":
        batch.completed_at = ctx.moment
        config = ctx.config
        batch.archive = build_archive(
            batch.id, batch.results, max(config.batch_results_per_file, 1), empty_file=config.batch_empty_file
        )


def _run(ctx: ApiContext, batch: Batch) -> None:
    assert ctx.runner is not None, "batch operations need a runner"
    for operation in batch.operations:
        body = operation["body"]
        status, text = ctx.runner(
            operation["method"], operation["path"], operation["params"], body.encode() if body is not None else b""
        )
        batch.results.append({"status_code": status, "operation_id": operation["operation_id"], "response": text})
        if status >= 400:
            batch.errored += 1


def results(batch: Batch) -> list[Json]:
    """The results with each response parsed (for tests and the admin endpoints)."""
    return [{**item, "response": json.loads(item["response"]) if item["response"] else None} for item in batch.results]
