"""Zoho admin endpoints (JSON), for tests and tools in other processes. ``<module>`` is Accounts, Contacts or Vendors.

GET    /_sandbox/records/<module>                        {"records": [...]} every field, lookups as plain ids
POST   /_sandbox/records/<module>  {"records": [{...}]}  add records directly (values checked, no duplicate check)
GET    /_sandbox/records/<module>/<id> · PATCH {changes} (a UI edit: Modified_Time moves) · DELETE
GET    /_sandbox/counts                                  {"Accounts": n, "Contacts": n, "Vendors": n}
GET    /_sandbox/fields/<module>                         every field with its type, unique, mandatory, options
POST   /_sandbox/fields/<module>  {"api_name", "data_type", "label", "length", "unique", "mandatory", "options",
                                   "restricted", "lookup_module"}
POST   /_sandbox/fields/<module>/<api_name>/options  {"value": "..."}
GET    /_sandbox/edition · POST {"edition": "standard"}  edition, Vendors, concurrency, credits
GET    /_sandbox/credits · POST {"remaining": n} · POST /_sandbox/credits/reset
GET    /_sandbox/tokens                                  {"minted", "live", "grants", "revoked"}
POST   /_sandbox/tokens/expire                           {"expired": n}
POST   /_sandbox/tokens/mint-window/reset                the mint limit starts over
POST   /_sandbox/refresh-tokens  {"scopes": [...]}        {"refresh_token": ...} another grant of the client
GET    /_sandbox/concurrency                             {"open": n, "heavy": n}
GET    /_sandbox/requests · DELETE                       the last API requests (method, path, query, content type,
                                                          body; no auth headers, no token-endpoint bodies)
GET    /_sandbox/config · PATCH /_sandbox/config        the non-secret scalar knobs
"""

from __future__ import annotations

import re
from dataclasses import fields
from typing import TYPE_CHECKING, Any
from urllib.parse import unquote

from sandbox.core.admin import AdminError, AdminRouter, json_body
from sandbox.core.messages import SimRequest, SimResponse
from sandbox.zoho.config import DATA_CENTRES, ZohoSimConfig
from sandbox.zoho.editions import EDITION_ORDER, edition
from sandbox.zoho.fields import FieldSpec

if TYPE_CHECKING:
    from sandbox.zoho.app import ZohoSimulator

_SECRET = frozenset({"client_secret", "refresh_token"})
_NOT_SCALAR = frozenset({"custom_fields", "scopes"})
_MODULE = r"(Accounts|Contacts|Vendors)"


def public_config(config: ZohoSimConfig) -> dict[str, Any]:
    data: dict[str, Any] = {}
    for item in fields(config):
        if item.name in _SECRET:
            continue
        value = getattr(config, item.name)
        if item.name == "custom_fields":
            value = {module: [field_json(spec) for spec in specs] for module, specs in value.items()}
        data[item.name] = list(value) if isinstance(value, tuple) else value
    return data


def field_json(spec: FieldSpec) -> dict[str, Any]:
    return {
        "api_name": spec.api_name,
        "data_type": spec.data_type,
        "label": spec.display_label,
        "length": spec.max_length,
        "unique": spec.unique,
        "mandatory": spec.mandatory,
        "options": list(spec.options),
        "restricted": spec.restricted,
        "lookup_module": spec.lookup_module,
        "read_only": spec.read_only,
        "custom": spec.custom,
    }


_OPTIONAL = frozenset(
    {"api_domain", "credits_per_day", "concurrency_limit", "max_live_tokens", "credits_header_threshold"}
)
_CHOICES: dict[str, frozenset[object]] = {
    "data_centre": frozenset(DATA_CENTRES),
    "edition": frozenset(EDITION_ORDER),
    "vendors_min_edition": frozenset(EDITION_ORDER),
    "foreign_dc_client": frozenset({"invalid_client", "multi_dc"}),
    "vendors_unavailable": frozenset({"absent", "api_unsupported"}),
    "vendors_unavailable_code": frozenset({"INVALID_MODULE", "NOT_SUPPORTED"}),
    "same_call_duplicates": frozenset({"duplicate_data", "sequential"}),
    "unknown_fields": frozenset({"ignore", "invalid_data"}),
    "ids_as": frozenset({"string", "number"}),
    "missing_record": frozenset({"no_content", "invalid_data"}),
    "search_equals": frozenset({"contains", "exact"}),
}
_OPTIONAL_TYPES: dict[str, tuple[type, ...]] = {"api_domain": (str,), "credits_header_threshold": (int, float)}


def _checked(config: ZohoSimConfig, key: str, value: object) -> object:
    """A knob's new value, of the knob's type (and among its choices); AdminError 400 otherwise."""
    if key not in {item.name for item in fields(config)} - _SECRET - _NOT_SCALAR:
        raise AdminError(400, f"{key!r} cannot be set here")
    if value is None and key in _OPTIONAL:
        return value
    current = getattr(config, key)
    expected: tuple[type, ...] = (int, float) if isinstance(current, float) else (type(current),)
    if key in _OPTIONAL:
        expected = _OPTIONAL_TYPES.get(key, (int,))
    if isinstance(value, bool) != (bool in expected) or not isinstance(value, expected):
        raise AdminError(400, f"{key!r} cannot be set to {value!r}")
    if key in _CHOICES and value not in _CHOICES[key]:
        raise AdminError(400, f"{key!r} must be one of {sorted(map(str, _CHOICES[key]))}")
    return value


class _ZohoAdmin:
    def __init__(self, sim: ZohoSimulator) -> None:
        self.sim = sim

    def records(self, _request: SimRequest, match: re.Match[str]) -> SimResponse:
        return SimResponse.json({"records": list(self.sim.records(match.group(1)).values())})

    def add_records(self, request: SimRequest, match: re.Match[str]) -> SimResponse:
        rows = json_body(request).get("records")
        if not isinstance(rows, list) or not all(isinstance(row, dict) for row in rows):
            raise AdminError(400, 'body must be {"records": [{...}, ...]}')
        ids = [self.sim.add_record(match.group(1), row) for row in rows]
        return SimResponse.json({"records": [self.sim.record(match.group(1), record_id) for record_id in ids]}, 201)

    def record(self, _request: SimRequest, match: re.Match[str]) -> SimResponse:
        found = self.sim.record(match.group(1), match.group(2))
        if found is None:
            raise AdminError(404, f"no {match.group(1)} record {match.group(2)}")
        return SimResponse.json({"record": found})

    def update_record(self, request: SimRequest, match: re.Match[str]) -> SimResponse:
        try:
            return SimResponse.json(
                {"record": self.sim.update_record(match.group(1), match.group(2), json_body(request))}
            )
        except KeyError as exc:
            raise AdminError(404, f"no {match.group(1)} record {match.group(2)}") from exc

    def delete_record(self, _request: SimRequest, match: re.Match[str]) -> SimResponse:
        try:
            self.sim.delete_record(match.group(1), match.group(2))
        except KeyError as exc:
            raise AdminError(404, f"no {match.group(1)} record {match.group(2)}") from exc
        return SimResponse.json({"deleted": match.group(2)})

    def counts(self, _request: SimRequest, _match: re.Match[str]) -> SimResponse:
        return SimResponse.json(self.sim.counts())

    def fields(self, _request: SimRequest, match: re.Match[str]) -> SimResponse:
        return SimResponse.json({"fields": [field_json(spec) for spec in self.sim.fields(match.group(1)).values()]})

    def add_field(self, request: SimRequest, match: re.Match[str]) -> SimResponse:
        body = json_body(request)
        api_name = body.get("api_name")
        if not isinstance(api_name, str):
            raise AdminError(400, 'body must be {"api_name": ..., "data_type": ..., ...}')
        options = body.get("options") or []
        if not isinstance(options, list):
            raise AdminError(400, "options must be a list")
        length = body.get("length")
        lookup_module = body.get("lookup_module")
        spec = FieldSpec(
            api_name,
            str(body.get("data_type", "text")),
            str(body.get("label") or ""),
            length=int(length) if isinstance(length, int) else None,
            unique=bool(body.get("unique", False)),
            mandatory=bool(body.get("mandatory", False)),
            options=tuple(str(option) for option in options),
            restricted=bool(body.get("restricted", True)),
            lookup_module=str(lookup_module) if lookup_module is not None else None,
        )
        return SimResponse.json({"field": field_json(self.sim.add_field(match.group(1), spec))}, 201)

    def add_option(self, request: SimRequest, match: re.Match[str]) -> SimResponse:
        value = json_body(request).get("value")
        if not isinstance(value, str) or not value:
            raise AdminError(400, 'body must be {"value": "..."}')
        try:
            spec = self.sim.add_picklist_option(match.group(1), unquote(match.group(2)), value)
        except KeyError as exc:
            raise AdminError(404, f"no field {match.group(2)!r}") from exc
        return SimResponse.json({"field": field_json(spec)}, 201)

    def edition(self, _request: SimRequest, _match: re.Match[str]) -> SimResponse:
        config = self.sim.config
        return SimResponse.json(
            {
                "edition": config.edition,
                "vendors_available": config.vendors_available,
                "concurrency": config.max_concurrency,
                "credits_per_day": config.credit_allowance,
            }
        )

    def set_edition(self, request: SimRequest, match: re.Match[str]) -> SimResponse:
        name = json_body(request).get("edition")
        if not isinstance(name, str):
            raise AdminError(400, 'body must be {"edition": "standard"}')
        edition(name)
        self.sim.set_edition(name)
        return self.edition(request, match)

    def credits(self, _request: SimRequest, _match: re.Match[str]) -> SimResponse:
        allowance = self.sim.config.credit_allowance
        return SimResponse.json(
            {"allowance": allowance, "used": self.sim.credits.used(), "remaining": self.sim.credits_left()}
        )

    def set_credits(self, request: SimRequest, match: re.Match[str]) -> SimResponse:
        remaining = json_body(request).get("remaining")
        if isinstance(remaining, bool) or not isinstance(remaining, int) or remaining < 0:
            raise AdminError(400, 'body must be {"remaining": n}')
        self.sim.set_credits_left(remaining)
        return self.credits(request, match)

    def reset_credits(self, request: SimRequest, match: re.Match[str]) -> SimResponse:
        self.sim.credits.reset()
        return self.credits(request, match)

    def tokens(self, _request: SimRequest, _match: re.Match[str]) -> SimResponse:
        return SimResponse.json(self.sim.tokens.snapshot())

    def expire_tokens(self, _request: SimRequest, _match: re.Match[str]) -> SimResponse:
        return SimResponse.json({"expired": self.sim.expire_tokens()})

    def reset_mint_window(self, _request: SimRequest, _match: re.Match[str]) -> SimResponse:
        self.sim.tokens.reset_mint_window()
        return SimResponse.json(self.sim.tokens.snapshot())

    def add_refresh_token(self, request: SimRequest, _match: re.Match[str]) -> SimResponse:
        scopes = json_body(request).get("scopes")
        if scopes is not None and (not isinstance(scopes, list) or not all(isinstance(s, str) for s in scopes)):
            raise AdminError(400, 'body must be {"scopes": ["ZohoCRM.modules.ALL", ...]}')
        token = self.sim.add_refresh_token(tuple(scopes) if scopes is not None else None)
        return SimResponse.json({"refresh_token": token}, 201)

    def concurrency(self, _request: SimRequest, _match: re.Match[str]) -> SimResponse:
        return SimResponse.json(self.sim.concurrency())

    def requests(self, _request: SimRequest, _match: re.Match[str]) -> SimResponse:
        return SimResponse.json({"requests": [entry.as_json() for entry in self.sim.journal.entries()]})

    def clear_requests(self, _request: SimRequest, _match: re.Match[str]) -> SimResponse:
        self.sim.journal.clear()
        return SimResponse.json({"requests": []})

    def get_config(self, _request: SimRequest, _match: re.Match[str]) -> SimResponse:
        return SimResponse.json(public_config(self.sim.config))

    def patch_config(self, request: SimRequest, _match: re.Match[str]) -> SimResponse:
        config = self.sim.config
        changes = {key: _checked(config, key, value) for key, value in json_body(request).items()}
        for key, value in changes.items():  # all or nothing
            setattr(config, key, value)
        return SimResponse.json(public_config(config))


def register_zoho_routes(router: AdminRouter, sim: ZohoSimulator) -> None:
    admin = _ZohoAdmin(sim)
    router.add("GET", rf"records/{_MODULE}", admin.records)
    router.add("POST", rf"records/{_MODULE}", admin.add_records)
    router.add("GET", rf"records/{_MODULE}/(\d+)", admin.record)
    router.add("PATCH", rf"records/{_MODULE}/(\d+)", admin.update_record)
    router.add("DELETE", rf"records/{_MODULE}/(\d+)", admin.delete_record)
    router.add("GET", r"counts", admin.counts)
    router.add("GET", rf"fields/{_MODULE}", admin.fields)
    router.add("POST", rf"fields/{_MODULE}", admin.add_field)
    router.add("POST", rf"fields/{_MODULE}/([^/]+)/options", admin.add_option)
    router.add("GET", r"edition", admin.edition)
    router.add("POST", r"edition", admin.set_edition)
    router.add("GET", r"credits", admin.credits)
    router.add("POST", r"credits", admin.set_credits)
    router.add("POST", r"credits/reset", admin.reset_credits)
    router.add("GET", r"tokens", admin.tokens)
    router.add("POST", r"tokens/expire", admin.expire_tokens)
    router.add("POST", r"tokens/mint-window/reset", admin.reset_mint_window)
    router.add("POST", r"refresh-tokens", admin.add_refresh_token)
    router.add("GET", r"concurrency", admin.concurrency)
    router.add("GET", r"requests", admin.requests)
    router.add("DELETE", r"requests", admin.clear_requests)
    router.add("GET", r"config", admin.get_config)
    router.add("PATCH", r"config", admin.patch_config)
