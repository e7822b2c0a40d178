"""The operation behind each route, called once auth and limits have let the call through."""

from __future__ import annotations

from collections.abc import Callable

from sandbox.core.messages import SimRequest
from sandbox.marketo import companies, leads
from sandbox.marketo.context import ApiContext, Reply
from sandbox.marketo.params import json_body, query_params
from sandbox.marketo.routes import Op, Route

Operation = Callable[[ApiContext, SimRequest, Route], Reply]


def _describe_companies(ctx: ApiContext, _request: SimRequest, _route: Route) -> Reply:
    return companies.describe(ctx)


def _query_companies(ctx: ApiContext, request: SimRequest, route: Route) -> Reply:
    return companies.query(ctx, query_params(request, route))


def _sync_companies(ctx: ApiContext, request: SimRequest, _route: Route) -> Reply:
    return companies.sync(ctx, json_body(request))


def _delete_companies(ctx: ApiContext, request: SimRequest, _route: Route) -> Reply:
    return companies.delete(ctx, json_body(request))


def _describe_leads(ctx: ApiContext, _request: SimRequest, _route: Route) -> Reply:
    return leads.describe(ctx)


def _describe2_leads(ctx: ApiContext, _request: SimRequest, _route: Route) -> Reply:
    return leads.describe2(ctx)


def _query_leads(ctx: ApiContext, request: SimRequest, route: Route) -> Reply:
    return leads.query(ctx, query_params(request, route))


def _get_lead(ctx: ApiContext, request: SimRequest, route: Route) -> Reply:
    return leads.get(ctx, route.lead_id or 0, query_params(request, route))


def _sync_leads(ctx: ApiContext, request: SimRequest, _route: Route) -> Reply:
    return leads.sync(ctx, json_body(request))


OPERATIONS: dict[Op, Operation] = {
    Op.COMPANIES_DESCRIBE: _describe_companies,
    Op.COMPANIES_QUERY: _query_companies,
    Op.COMPANIES_SYNC: _sync_companies,
    Op.COMPANIES_DELETE: _delete_companies,
    Op.LEADS_DESCRIBE: _describe_leads,
    Op.LEADS_DESCRIBE2: _describe2_leads,
    Op.LEADS_QUERY: _query_leads,
    Op.LEADS_GET: _get_lead,
    Op.LEADS_SYNC: _sync_leads,
}
