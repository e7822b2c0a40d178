"""Marketo admin endpoints (JSON), for tests and tools in other processes:

GET    /_sandbox/companies?offset=0&limit=100       companies (by id)
POST   /_sandbox/companies   {"records": [...]}     pre-create companies
GET    /_sandbox/companies/<externalCompanyId>      one company
PATCH  /_sandbox/companies/<externalCompanyId>  {"fields": {...}}  edit like a UI user
GET    /_sandbox/leads?offset=0&limit=100 · POST /_sandbox/leads · GET|PATCH /_sandbox/leads/<email>
GET    /_sandbox/tokens  {"active": n} · POST /_sandbox/tokens/expire
GET    /_sandbox/usage   {"window", "today", "in_flight"} · POST /_sandbox/usage/reset
GET    /_sandbox/config  the non-secret knobs; PATCH to change some of them
"""

from __future__ import annotations

import re
from dataclasses import fields
from typing import TYPE_CHECKING, Any
from urllib.parse import unquote

from sandbox.core.admin import AdminError, AdminRouter, json_body
from sandbox.core.messages import SimRequest, SimResponse
from sandbox.marketo.config import FieldSpec, MarketoSimConfig
from sandbox.marketo.store import Record

if TYPE_CHECKING:
    from sandbox.marketo.app import MarketoSimulator

_SECRET_FIELDS = frozenset({"client_secret", "extra_clients"})
_SCALARS: dict[str, tuple[type, ...]] = {
    "token_lifetime_s": (int, float),
    "accept_query_token": (bool,),
    "empty_auth_code": (str,),
    "rate_limit_calls": (int,),
    "rate_limit_window_s": (int, float),
    "concurrency_limit": (int,),
    "daily_quota": (int,),
    "crm_enabled": (bool,),
    "company_exists_code": (str,),
    "company_missing_code": (str,),
    "unknown_company_mode": (str,),
    "reject_company_fields_on_linked_leads": (bool,),
}
_CHOICES = {"unknown_company_mode": {"skip", "accept", "create"}}
_FIELD_LISTS = frozenset({"company_custom_fields", "lead_custom_fields"})


def public_config(config: MarketoSimConfig) -> dict[str, Any]:
    data: dict[str, Any] = {}
    for item in fields(config):
        if item.name in _SECRET_FIELDS:
            continue
        value = getattr(config, item.name)
        if item.name in _FIELD_LISTS:
            value = [_field_json(spec) for spec in value]
        data[item.name] = list(value) if isinstance(value, tuple) else value
    return data


def _field_json(spec: FieldSpec) -> dict[str, Any]:
    return {"name": spec.name, "dataType": spec.data_type, "length": spec.length, "displayName": spec.label}


def _field_spec(item: object) -> FieldSpec:
    if not isinstance(item, dict) or not isinstance(item.get("name"), str):
        raise AdminError(400, 'a custom field is {"name": ..., "dataType": ..., "length": ...}')
    length = item.get("length", 255)
    if length is not None and (isinstance(length, bool) or not isinstance(length, int)):
        raise AdminError(400, "length must be an integer or null")
    return FieldSpec(item["name"], str(item.get("dataType", "string")), length, str(item.get("displayName", "")))


def _checked_scalar(key: str, value: object) -> object:
    allowed = _SCALARS.get(key)
    if allowed is None or isinstance(value, bool) != (bool in allowed) or not isinstance(value, allowed):
        raise AdminError(400, f"{key!r} cannot be set to {value!r}")
    if key in _CHOICES and value not in _CHOICES[key]:
        raise AdminError(400, f"{key!r} must be one of {sorted(_CHOICES[key])}")
    return value


def _page(request: SimRequest, records: list[Record]) -> SimResponse:
    offset = int(request.query.get("offset", ["0"])[0])
    limit = int(request.query.get("limit", ["100"])[0])
    return SimResponse.json({"total": len(records), "records": records[offset : offset + limit]})


def _rows(request: SimRequest) -> list[dict[str, object]]:
    rows = json_body(request).get("records")
    if not isinstance(rows, list) or not all(isinstance(row, dict) for row in rows):
        raise AdminError(400, 'body must be {"records": [{...}, ...]}')
    return rows


def _edits(request: SimRequest) -> dict[str, object]:
    values = json_body(request).get("fields")
    if not isinstance(values, dict):
        raise AdminError(400, 'body must be {"fields": {...}}')
    return values


class _MarketoAdmin:
    def __init__(self, sim: MarketoSimulator) -> None:
        self.sim = sim

    def list_companies(self, request: SimRequest, _match: re.Match[str]) -> SimResponse:
        with self.sim.db.lock:
            records = [dict(record) for record in self.sim.db.companies.all()]
        return _page(request, records)

    def list_leads(self, request: SimRequest, _match: re.Match[str]) -> SimResponse:
        with self.sim.db.lock:
            records = [dict(record) for record in self.sim.db.leads.all()]
        return _page(request, records)

    def seed_companies(self, request: SimRequest, _match: re.Match[str]) -> SimResponse:
        return SimResponse.json({"records": self.sim.seed_companies(_rows(request))}, status=201)

    def seed_leads(self, request: SimRequest, _match: re.Match[str]) -> SimResponse:
        return SimResponse.json({"records": self.sim.seed_leads(_rows(request))}, status=201)

    def get_company(self, _request: SimRequest, match: re.Match[str]) -> SimResponse:
        key = unquote(match.group(1))
        record = self.sim.companies.get(key)
        if record is None:
            raise AdminError(404, f"no company {key!r}")
        return SimResponse.json({"record": record})

    def get_lead(self, _request: SimRequest, match: re.Match[str]) -> SimResponse:
        key = unquote(match.group(1)).lower()
        record = self.sim.leads.get(key)
        if record is None:
            raise AdminError(404, f"no lead {key!r}")
        return SimResponse.json({"record": record})

    def edit_company(self, request: SimRequest, match: re.Match[str]) -> SimResponse:
        try:
            return SimResponse.json({"record": self.sim.update_company(unquote(match.group(1)), _edits(request))})
        except KeyError as exc:
            raise AdminError(404, str(exc)) from exc

    def edit_lead(self, request: SimRequest, match: re.Match[str]) -> SimResponse:
        try:
            return SimResponse.json({"record": self.sim.update_lead(unquote(match.group(1)), _edits(request))})
        except KeyError as exc:
            raise AdminError(404, str(exc)) from exc

    def tokens(self, _request: SimRequest, _match: re.Match[str]) -> SimResponse:
        return SimResponse.json({"active": self.sim.tokens.active_count()})

    def expire_tokens(self, _request: SimRequest, _match: re.Match[str]) -> SimResponse:
        return SimResponse.json({"expired": self.sim.expire_tokens()})

    def usage(self, _request: SimRequest, _match: re.Match[str]) -> SimResponse:
        return SimResponse.json(self.sim.usage())

    def reset_usage(self, _request: SimRequest, _match: re.Match[str]) -> SimResponse:
        self.sim.reset_limits()
        return SimResponse.json(self.sim.usage())

    def get_config(self, _request: SimRequest, _match: re.Match[str]) -> SimResponse:
        return SimResponse.json(public_config(self.sim.config))

    def patch_config(self, request: SimRequest, _match: re.Match[str]) -> SimResponse:
        changes: dict[str, object] = {}
        for key, value in json_body(request).items():
            if key in _FIELD_LISTS:
                if not isinstance(value, list):
                    raise AdminError(400, f"{key!r} must be a list of fields")
                try:
                    changes[key] = tuple(_field_spec(item) for item in value)
                except ValueError as exc:
                    raise AdminError(400, str(exc)) from exc
            else:
                changes[key] = _checked_scalar(key, value)
        for key, value in changes.items():  # all or nothing
            setattr(self.sim.config, key, value)
        return SimResponse.json(public_config(self.sim.config))


def register_marketo_routes(router: AdminRouter, sim: MarketoSimulator) -> None:
    admin = _MarketoAdmin(sim)
    router.add("GET", r"companies", admin.list_companies)
    router.add("POST", r"companies", admin.seed_companies)
    router.add("GET", r"companies/([^/]+)", admin.get_company)
    router.add("PATCH", r"companies/([^/]+)", admin.edit_company)
    router.add("GET", r"leads", admin.list_leads)
    router.add("POST", r"leads", admin.seed_leads)
    router.add("GET", r"leads/([^/]+)", admin.get_lead)
    router.add("PATCH", r"leads/([^/]+)", admin.edit_lead)
    router.add("GET", r"tokens", admin.tokens)
    router.add("POST", r"tokens/expire", admin.expire_tokens)
    router.add("GET", r"usage", admin.usage)
    router.add("POST", r"usage/reset", admin.reset_usage)
    router.add("GET", r"config", admin.get_config)
    router.add("PATCH", r"config", admin.patch_config)
