"""``GET /crm/v8/{module}`` (``fields`` required, at most 50; ``page``/``per_page`` reach the first 2,000 records,
``page_token`` from ``info.next_page_token`` beyond; ``sort_by`` id/Created_Time/Modified_Time; ``If-Modified-Since``)
and ``GET /crm/v8/{module}/{id}``. No records: 204 (304 with If-Modified-Since), no body."""

from __future__ import annotations

import secrets
from collections.abc import Mapping
from datetime import datetime, timedelta

from sandbox.zoho.context import ApiContext, Call, Reply
from sandbox.zoho.errors import (
    DISCRETE_PAGINATION,
    INVALID_ID,
    PAGE_TOKEN_EXPIRED,
    ApiError,
    invalid_request_data,
    limit_exceeded,
    required_param,
)
from sandbox.zoho.records import view
from sandbox.zoho.store import PageToken, StoredRecord
from sandbox.zoho.values import Json, stamp

SORTABLE = ("id", "Created_Time", "Modified_Time")


def requested_fields(ctx: ApiContext, module: str, query: Mapping[str, str], *, required: bool) -> list[str] | None:
    """The ``fields`` parameter: names the module has (unknown ones are skipped, UNVERIFIED), at most 50."""
    raw = query.get("fields")
    if raw is None or not raw.strip():
        if required:
            raise required_param("fields")
        return None
    names = [name.strip() for name in raw.split(",") if name.strip()]
    if len(names) > ctx.config.max_fields:
        raise limit_exceeded("fields", ctx.config.max_fields)
    known = {spec.api_name for spec in ctx.visible_fields(module)}
    return [name for name in names if name in known]


def number(query: Mapping[str, str], name: str, default: int) -> int:
    raw = query.get(name)
    if raw is None or raw == "":
        return default
    if not raw.isdigit() or int(raw) < 1:
        raise invalid_request_data({"param_name": name})
    return int(raw)


def per_page(ctx: ApiContext, query: Mapping[str, str]) -> int:
    return min(number(query, "per_page", ctx.config.max_per_page), ctx.config.max_per_page)


def _sort_key(record: StoredRecord, sort_by: str) -> tuple[datetime | int, int]:
    if sort_by == "Created_Time":
        return record.created_at, int(record.id)
    if sort_by == "Modified_Time":
        return record.modified_at, int(record.id)
    return int(record.id), 0


def _ordered(ctx: ApiContext, module: str, sort_by: str, sort_order: str, since: datetime | None) -> list[StoredRecord]:
    with ctx.db.lock:
        records = list(ctx.db.records[module].values())
    if since is not None:
        records = [record for record in records if record.modified_at > since]
    return sorted(records, key=lambda record: _sort_key(record, sort_by), reverse=sort_order == "desc")


def _modified_since(call: Call) -> datetime | None:
    raw = call.headers.get("if-modified-since", "").strip()
    if not raw:
        return None
    try:
        moment = datetime.fromisoformat(raw)
    except ValueError:
        raise invalid_request_data({"api_name": "If-Modified-Since"}) from None
    if moment.tzinfo is None:
        raise invalid_request_data({"api_name": "If-Modified-Since"})
    return moment


def list_records(ctx: ApiContext, call: Call) -> Reply:
    query = call.query
    fields = requested_fields(ctx, call.module, query, required=True)
    size = per_page(ctx, query)
    token_text = query.get("page_token", "")
    page = number(query, "page", 1)
    if token_text:
        token = _page_token(ctx, call.module, token_text)
        sort_by, sort_order, start = token.sort_by, token.sort_order, token.position
    else:
        sort_by = query.get("sort_by", "id")
        sort_order = query.get("sort_order", "desc").lower()
        if sort_by not in SORTABLE or sort_order not in ("asc", "desc"):
            raise invalid_request_data({"param_name": "sort_by" if sort_by not in SORTABLE else "sort_order"})
        limit = ctx.config.discrete_page_limit
        if page * size > limit:
            message = DISCRETE_PAGINATION.format(limit=limit)
            raise ApiError(400, "DISCRETE_PAGINATION_LIMIT_EXCEEDED", message, {"limit": limit})
        start = (page - 1) * size
    since = _modified_since(call)
    records = _ordered(ctx, call.module, sort_by, sort_order, since)
    chunk = records[start : start + size]
    if not chunk:
        return Reply(None, 304 if since is not None else 204)
    more = start + size < len(records)
    info: Json = {
        "call": False,
        "per_page": size,
        "count": len(chunk),
        "sort_by": sort_by,
        "page": page,
        "sort_order": sort_order,
        "email": False,
        "more_records": more,
        "next_page_token": None,
        "previous_page_token": None,
        "page_token_expiry": None,
    }
    if more:
        expires = ctx.moment + timedelta(seconds=ctx.config.page_token_lifetime_s)
        token = PageToken(call.module, start + size, sort_by, sort_order, expires)
        info["next_page_token"] = _remember(ctx, token)
        info["page_token_expiry"] = stamp(expires)
    return Reply({"data": [view(ctx, call.module, record, fields) for record in chunk], "info": info})


def _remember(ctx: ApiContext, token: PageToken) -> str:
    text = secrets.token_hex(24)
    with ctx.db.lock:
        ctx.db.page_tokens[text] = token
    return text


def _page_token(ctx: ApiContext, module: str, text: str) -> PageToken:
    with ctx.db.lock:
        token = ctx.db.page_tokens.get(text)
    if token is None or token.module != module:
        raise invalid_request_data({"api_name": "page_token", "json_path": "$.query.page_token"})
    if token.expires_at <= ctx.moment:
        details = {"api_name": "page_token", "json_path": "$.query.page_token"}
        raise ApiError(400, "EXPIRED_VALUE", PAGE_TOKEN_EXPIRED, details)
    return token


def get_record(ctx: ApiContext, call: Call) -> Reply:
    fields = requested_fields(ctx, call.module, call.query, required=False)
    with ctx.db.lock:
        record = ctx.db.records[call.module].get(call.record_id)
    if record is None:
        if ctx.config.missing_record == "no_content":
            return Reply(None, 204)
        raise ApiError(400, "INVALID_DATA", INVALID_ID, {"api_name": "id", "json_path": "$.id"})
    return Reply({"data": [view(ctx, call.module, record, fields)]})
