"""Which operation a request names. The operation names are what the call log counts and what fault rules match
(``records.upsert``, ``oauth.token`` ...). A known path with another verb is 400 INVALID_REQUEST_METHOD; an unknown
path is 404 INVALID_URL_PATTERN (both in Zoho's envelope)."""

from __future__ import annotations

import re
from dataclasses import dataclass
from enum import StrEnum
from urllib.parse import unquote

API_PREFIX = "/crm/v8"


class Op(StrEnum):
    OAUTH_TOKEN = "oauth.token"  # noqa: S105 - an operation name
    OAUTH_REVOKE = "oauth.revoke"
    RECORDS_LIST = "records.list"
    RECORDS_GET = "records.get"
    RECORDS_UPSERT = "records.upsert"
    RECORDS_SEARCH = "records.search"
    MODULES_LIST = "modules.list"
    MODULES_GET = "modules.get"
    FIELDS_LIST = "fields.list"
    USERS_LIST = "users.list"
    ORG_GET = "org.get"
    COQL = "coql.query"


RECORD_OPS = frozenset({Op.RECORDS_LIST, Op.RECORDS_GET, Op.RECORDS_UPSERT, Op.RECORDS_SEARCH})

# Fixed paths first: "/settings/fields" must not read as module "settings", record "fields".
_TABLE: tuple[tuple[str, str, Op], ...] = (
    ("/settings/modules", "GET", Op.MODULES_LIST),
    ("/settings/modules/{module}", "GET", Op.MODULES_GET),
    ("/settings/fields", "GET", Op.FIELDS_LIST),
    ("/users", "GET", Op.USERS_LIST),
    ("/org", "GET", Op.ORG_GET),
    ("/coql", "POST", Op.COQL),
    ("/{module}/upsert", "POST", Op.RECORDS_UPSERT),
    ("/{module}/search", "GET", Op.RECORDS_SEARCH),
    ("/{module}/{record_id}", "GET", Op.RECORDS_GET),
    ("/{module}", "GET", Op.RECORDS_LIST),
)
_RESERVED = frozenset({"settings", "users", "org", "coql", "__features"})


def _compile(template: str) -> re.Pattern[str]:
    return re.compile(re.sub(r"\{(\w+)\}", r"(?P<\1>[^/]+)", template) + "/?")


_PATTERNS = [(_compile(template), method, op) for template, method, op in _TABLE]


@dataclass(frozen=True)
class Route:
    """``op`` None: ``known_path`` says whether the path exists with another verb (400) or not at all (404)."""

    op: Op | None
    module: str = ""
    record_id: str = ""
    known_path: bool = False

    @property
    def write(self) -> bool:
        return self.op is Op.RECORDS_UPSERT

    @property
    def has_body(self) -> bool:
        return self.op in (Op.RECORDS_UPSERT, Op.COQL)


def resolve(method: str, path: str) -> Route:
    """The route of a path under /crm/v8 (``/Accounts/upsert``); path parameters are percent-decoded."""
    known = False
    for pattern, verb, op in _PATTERNS:
        match = pattern.fullmatch(path)
        if match is None:
            continue
        params = {name: unquote(value) for name, value in match.groupdict().items()}
        if op in RECORD_OPS and params["module"].lower() in _RESERVED:
            continue
        if verb != method.upper():
            known = True
            continue
        return Route(op, params.get("module", ""), params.get("record_id", ""))
    return Route(None, known_path=known)
