"""The operation behind each API route, and the scopes each needs."""

from __future__ import annotations

from collections.abc import Callable

from sandbox.zoho import coql, metadata, reads, search, upsert
from sandbox.zoho.config import ZohoSimConfig
from sandbox.zoho.context import ApiContext, Call, Reply
from sandbox.zoho.routes import Op
from sandbox.zoho.scopes import (
    COQL_NEED,
    FIELDS_META_NEED,
    MODULES_META_NEED,
    ORG_NEED,
    READ,
    SEARCH_NEED,
    USERS_NEED,
    WRITE,
    Need,
    module_need,
)

Operation = Callable[[ApiContext, Call], Reply]

OPERATIONS: dict[Op, Operation] = {
    Op.RECORDS_LIST: reads.list_records,
    Op.RECORDS_GET: reads.get_record,
    Op.RECORDS_UPSERT: upsert.upsert,
    Op.RECORDS_SEARCH: search.search,
    Op.MODULES_LIST: metadata.list_modules,
    Op.MODULES_GET: metadata.get_module,
    Op.FIELDS_LIST: metadata.list_fields,
    Op.USERS_LIST: metadata.list_users,
    Op.ORG_GET: metadata.get_org,
    Op.COQL: coql.run,
}


_FIXED_NEEDS: dict[Op, list[Need]] = {
    Op.MODULES_LIST: [MODULES_META_NEED],
    Op.MODULES_GET: [MODULES_META_NEED],
    Op.FIELDS_LIST: [FIELDS_META_NEED],
    Op.USERS_LIST: [USERS_NEED],
    Op.ORG_GET: [ORG_NEED],
    Op.COQL: [COQL_NEED],  # and the module's read scope, checked once the query names it
}


def needs(op: Op, module: str, config: ZohoSimConfig) -> list[Need]:
    """The scopes a call needs; module scopes name the module in lower case (``ZohoCRM.modules.accounts.READ``)."""
    if op is Op.RECORDS_UPSERT:
        return [module_need(module.lower(), WRITE)]
    if op is Op.RECORDS_SEARCH and config.search_needs_securesearch_scope:
        return [module_need(module.lower(), READ), SEARCH_NEED]
    if op in (Op.RECORDS_SEARCH, Op.RECORDS_LIST, Op.RECORDS_GET):
        return [module_need(module.lower(), READ)]
    return list(_FIXED_NEEDS.get(op, []))
