"""Every API operation by name."""

from __future__ import annotations

from collections.abc import Callable

from sandbox.zendesk import export, org_fields, organizations, search, tickets, users, webhook_resource
from sandbox.zendesk import jobs as job_statuses
from sandbox.zendesk.context import ApiContext, Call, Reply
from sandbox.zendesk.errors import bad_request
from sandbox.zendesk.routes import Op
from sandbox.zendesk.values import comma_list

Operation = Callable[[ApiContext, Call], Reply]


def _job_show(ctx: ApiContext, call: Call) -> Reply:
    return Reply({"job_status": job_statuses.show(ctx, call.record_id)})


def _job_show_many(ctx: ApiContext, call: Call) -> Reply:
    ids = comma_list(call.query.get("ids", ""))
    if not ids:
        raise bad_request("ids is required", "InvalidParameter")
    return Reply({"job_statuses": job_statuses.show_many(ctx, ids)})


def _job_list(ctx: ApiContext, call: Call) -> Reply:
    del call
    found = job_statuses.listing(ctx)
    return Reply({"job_statuses": found, "next_page": None, "previous_page": None, "count": len(found)})


OPERATIONS: dict[Op, Operation] = {
    Op.ORGS_LIST: organizations.listing,
    Op.ORGS_SHOW: organizations.show,
    Op.ORGS_SHOW_MANY: organizations.show_many,
    Op.ORGS_SEARCH: organizations.search,
    Op.ORGS_CREATE: organizations.create,
    Op.ORGS_CREATE_MANY: organizations.create_many,
    Op.ORGS_CREATE_OR_UPDATE: organizations.create_or_update,
    Op.ORGS_UPDATE: organizations.update,
    Op.ORGS_UPDATE_MANY: organizations.update_many,
    Op.ORGS_DELETE: organizations.delete,
    Op.ORG_FIELDS_LIST: org_fields.listing,
    Op.ORG_FIELDS_CREATE: org_fields.create,
    Op.USERS_ME: users.me,
    Op.USERS_SHOW: users.show,
    Op.USERS_SHOW_MANY: users.show_many,
    Op.USERS_SEARCH: users.search,
    Op.USERS_CREATE_OR_UPDATE: users.create_or_update,
    Op.USERS_CREATE_OR_UPDATE_MANY: users.create_or_update_many,
    Op.JOBS_LIST: _job_list,
    Op.JOBS_SHOW: _job_show,
    Op.JOBS_SHOW_MANY: _job_show_many,
    Op.TICKETS_SHOW: tickets.show,
    Op.TICKETS_SHOW_MANY: tickets.show_many,
    Op.INCREMENTAL_TICKETS: export.tickets_cursor,
    Op.SEARCH: search.search,
    Op.WEBHOOKS_SHOW: webhook_resource.show,
    Op.WEBHOOKS_SIGNING_SECRET: webhook_resource.signing_secret,
}
