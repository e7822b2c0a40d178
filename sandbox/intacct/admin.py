"""Intacct admin endpoints (JSON), for tests and tools in other processes:

GET    /_sandbox/records/<OBJECT>?offset=0&limit=100   records of an object
GET    /_sandbox/records/<OBJECT>/<KEY>                one record (natural key or RECORDNO)
POST   /_sandbox/records/<OBJECT>          {"fields": {...}}  insert
PATCH  /_sandbox/records/<OBJECT>/<KEY>    {"fields": {...}}  edit like a UI user (WHENMODIFIED moves)
DELETE /_sandbox/records/<OBJECT>/<KEY>
GET    /_sandbox/custom/<integration_name>    records of a custom object (zendesk_ticket), installed or not
GET    /_sandbox/supdocs                   attachments with their files (attachmentdata base64)
GET    /_sandbox/supdocs/<SUPDOCID>        one attachment
GET    /_sandbox/sessions                  {"active": n}
POST   /_sandbox/sessions/expire           expire every session
GET    /_sandbox/config                    the non-secret knobs; PATCH to change some of them
"""

from __future__ import annotations

import re
from dataclasses import fields
from typing import TYPE_CHECKING, Any

from sandbox.core.admin import AdminError, AdminRouter, json_body
from sandbox.core.messages import SimRequest, SimResponse
from sandbox.intacct.config import IntacctSimConfig
from sandbox.intacct.store import StoreError
from sandbox.intacct.values import zone

if TYPE_CHECKING:
    from sandbox.intacct.app import IntacctSimulator

_SECRET_FIELDS = frozenset({"sender_password", "user_password"})
_EDITABLE: dict[str, tuple[type, ...]] = {
    "session_lifetime_s": (int, float),
    "session_endpoint_mode": (str,),
    "timezone": (str,),
    "auth_failure_mode": (str,),
    "sender_authorized": (bool,),
    "duplicate_controlid_style": (str,),
    "duplicate_controlid_errorno": (str,),
    "duplicate_id_errorno": (str,),
    "unknown_object_errorno": (str,),
    "vendor_autonumber": (bool,),
    "bill_document_sequencing": (bool,),
    "adjustment_document_sequencing": (bool,),
    "po_document_sequencing": (bool,),
    "vendor_not_found_errorno": (str,),
    "vendor_on_hold_errorno": (str,),
    "duplicate_document_errorno": (str,),
    "adjustment_key": (str,),
    "po_key_format": (str,),
    "adjustment_billno_must_exist": (bool,),
    "concurrency_limit": (int, type(None)),
    "platform_services": (bool,),
    "custom_objects_installed": (list,),
    "relationship_key": (str,),
    "custom_date_input": (str,),
    "max_records_per_write": (int,),
    "supdoc_autonumber": (bool,),
    "supdoc_folder_must_exist": (bool,),
    "supdocid_must_exist": (bool,),
}
_CHOICES = {
    "session_endpoint_mode": {"login", "session"},
    "auth_failure_mode": {"xml", "http401"},
    "duplicate_controlid_style": {"failure", "no_status"},
    "adjustment_key": {"RECORDNO", "RECORDID"},
    "relationship_key": {"ID", "RECORDNO"},
    "custom_date_input": {"iso", "us", "both"},
}


def public_config(config: IntacctSimConfig) -> dict[str, Any]:
    return {f.name: getattr(config, f.name) for f in fields(config) if f.name not in _SECRET_FIELDS}


def _fields_of(request: SimRequest) -> dict[str, object]:
    payload = json_body(request)
    values = payload.get("fields")
    if not isinstance(values, dict):
        raise AdminError(400, 'body must be {"fields": {...}}')
    return values


class _IntacctAdmin:
    def __init__(self, sim: IntacctSimulator) -> None:
        self.sim = sim

    def list_records(self, request: SimRequest, match: re.Match[str]) -> SimResponse:
        offset = int(request.query.get("offset", ["0"])[0])
        limit = int(request.query.get("limit", ["100"])[0])
        object_name = match.group(1).upper()
        try:
            records = self.sim.store.all(object_name)
        except StoreError as exc:
            raise AdminError(404, str(exc)) from exc
        page = [dict(record) for record in records[offset : offset + limit]]
        return SimResponse.json({"object": object_name, "total": len(records), "records": page})

    def get_record(self, _request: SimRequest, match: re.Match[str]) -> SimResponse:
        try:
            record = self.sim.get_record(match.group(1), match.group(2))
        except KeyError as exc:
            raise AdminError(404, str(exc)) from exc
        if record is None:
            raise AdminError(404, f"{match.group(1)} {match.group(2)} does not exist")
        return SimResponse.json({"record": record})

    def insert(self, request: SimRequest, match: re.Match[str]) -> SimResponse:
        try:
            record = self.sim.insert_record(match.group(1), _fields_of(request))
        except KeyError as exc:
            raise AdminError(404, str(exc)) from exc
        except StoreError as exc:
            raise AdminError(409, str(exc)) from exc
        return SimResponse.json({"record": record}, status=201)

    def edit(self, request: SimRequest, match: re.Match[str]) -> SimResponse:
        try:
            record = self.sim.update_record(match.group(1), match.group(2), _fields_of(request))
        except KeyError as exc:
            raise AdminError(404, str(exc)) from exc
        except StoreError as exc:
            raise AdminError(409, str(exc)) from exc
        return SimResponse.json({"record": record})

    def delete(self, _request: SimRequest, match: re.Match[str]) -> SimResponse:
        try:
            record = self.sim.delete_record(match.group(1), match.group(2))
        except KeyError as exc:
            raise AdminError(404, str(exc)) from exc
        return SimResponse.json({"deleted": record})

    def custom_records(self, _request: SimRequest, match: re.Match[str]) -> SimResponse:
        try:
            records = self.sim.custom_records(match.group(1))
        except KeyError as exc:
            raise AdminError(404, str(exc)) from exc
        return SimResponse.json({"object": match.group(1), "total": len(records), "records": records})

    def supdocs(self, _request: SimRequest, _match: re.Match[str]) -> SimResponse:
        return SimResponse.json({"supdocs": [supdoc.as_json() for supdoc in self.sim.supdocs()]})

    def supdoc(self, _request: SimRequest, match: re.Match[str]) -> SimResponse:
        supdoc = self.sim.supdoc(match.group(1))
        if supdoc is None:
            raise AdminError(404, f"attachment {match.group(1)} does not exist")
        return SimResponse.json({"supdoc": supdoc.as_json()})

    def sessions(self, _request: SimRequest, _match: re.Match[str]) -> SimResponse:
        return SimResponse.json({"active": self.sim.sessions.active_count()})

    def expire_sessions(self, _request: SimRequest, _match: re.Match[str]) -> SimResponse:
        return SimResponse.json({"expired": self.sim.expire_sessions()})

    def get_config(self, _request: SimRequest, _match: re.Match[str]) -> SimResponse:
        return SimResponse.json(public_config(self.sim.config))

    def patch_config(self, request: SimRequest, _match: re.Match[str]) -> SimResponse:
        payload = json_body(request)
        for key, value in payload.items():
            allowed = _EDITABLE.get(key)
            if allowed is None or isinstance(value, bool) != (bool in allowed) or not isinstance(value, allowed):
                raise AdminError(400, f"{key!r} cannot be set to {value!r}")
            if key in _CHOICES and value not in _CHOICES[key]:
                raise AdminError(400, f"{key!r} must be one of {sorted(_CHOICES[key])}")
            if key == "timezone":
                zone(str(value))
            if isinstance(value, list) and not all(isinstance(item, str) for item in value):
                raise AdminError(400, f"{key!r} must be a list of strings")
        for key, value in payload.items():
            setattr(self.sim.config, key, tuple(value) if isinstance(value, list) else value)
        return SimResponse.json(public_config(self.sim.config))


def register_intacct_routes(router: AdminRouter, sim: IntacctSimulator) -> None:
    admin = _IntacctAdmin(sim)
    one = r"records/([A-Za-z_]+)/([^/]+)"
    router.add("GET", r"records/([A-Za-z_]+)", admin.list_records)
    router.add("POST", r"records/([A-Za-z_]+)", admin.insert)
    router.add("GET", one, admin.get_record)
    router.add("PATCH", one, admin.edit)
    router.add("POST", one, admin.edit)
    router.add("DELETE", one, admin.delete)
    router.add("GET", r"custom/([A-Za-z0-9_]+)", admin.custom_records)
    router.add("GET", r"supdocs", admin.supdocs)
    router.add("GET", r"supdocs/([^/]+)", admin.supdoc)
    router.add("GET", r"sessions", admin.sessions)
    router.add("POST", r"sessions/expire", admin.expire_sessions)
    router.add("GET", r"config", admin.get_config)
    router.add("PATCH", r"config", admin.patch_config)
