"""List paging: cursor (``page[size]`` at most 100, ``page[after]``; ``meta.has_more`` and ``links.next``, as zenpy
follows them) or offset (``page``, ``per_page``; ``next_page``)."""

from __future__ import annotations

import base64
from urllib.parse import urlencode

from sandbox.zendesk.context import ApiContext, Call
from sandbox.zendesk.errors import bad_request
from sandbox.zendesk.values import Json


def _cursor(position: int) -> str:
    return base64.urlsafe_b64encode(f"p{position}".encode()).decode()


def _position(cursor: str) -> int:
    try:
        text = base64.urlsafe_b64decode(cursor.encode()).decode()
        return int(text.removeprefix("p"))
    except (ValueError, UnicodeDecodeError) as exc:
        raise bad_request("page[after] is not a cursor this endpoint gave out", "InvalidPaginationParameter") from exc


def _size(text: str, limit: int, name: str) -> int:
    if not text.isdigit() or int(text) < 1:
        raise bad_request(f"{name} must be a positive integer", "InvalidPaginationParameter")
    return min(int(text), limit)


def list_page(ctx: ApiContext, call: Call, plural: str, items: list[Json]) -> Json:
    limit = ctx.config.max_page_size
    path = ctx.api_url(f"{plural}.json")
    if "page[size]" in call.query or "page[after]" in call.query:
        size = _size(call.query.get("page[size]", str(limit)), limit, "page[size]")
        start = _position(call.query["page[after]"]) if call.query.get("page[after]") else 0
        chunk = items[start : start + size]
        has_more = start + size < len(items)
        after = _cursor(start + len(chunk)) if chunk else None
        next_link = f"{path}?{urlencode({'page[size]': size, 'page[after]': after})}" if has_more and after else None
        return {
            plural: chunk,
            "meta": {"has_more": has_more, "after_cursor": after, "before_cursor": None},
            "links": {"next": next_link, "prev": None},
        }
    per_page = _size(call.query.get("per_page", str(limit)), limit, "per_page")
    page = _size(call.query.get("page", "1"), 1 << 30, "page")
    chunk = items[(page - 1) * per_page : page * per_page]
    more = page * per_page < len(items)
    return {
        plural: chunk,
        "count": len(items),
        "previous_page": None,
        "next_page": f"{path}?{urlencode({'page': page + 1, 'per_page': per_page})}" if more else None,
    }
