"""Mailchimp admin endpoints (JSON), for tests and tools in other processes. ``list_id`` (query) defaults to the
seeded audience; ``<email>`` is URL-encoded.

GET    /_sandbox/lists                                  audiences with their merge fields and member counts
GET    /_sandbox/members                                {"members": [...], "forgotten": [...]} (archived ones too)
POST   /_sandbox/members  {"members": [{...}]}          add members directly (no API rules)
GET    /_sandbox/members/<email>                        one member (status, tags, merge fields)
PATCH  /_sandbox/members/<email>  {"status": s}         unsubscribed | cleaned | archived | forgotten | ...
GET    /_sandbox/merge-fields · POST {"tag", "name", "type", "required", "choices"}
GET    /_sandbox/fake-emails · POST {"pattern": "*@bad.example.com"}
GET    /_sandbox/stores · GET /_sandbox/stores/<id>     stores with customers, products, orders (with lines)
GET    /_sandbox/batches                                batches with status and parsed results
POST   /_sandbox/batches/<id>/advance {"steps": n} · POST /_sandbox/batches/<id>/expire
GET    /_sandbox/connections                            {"open": n} requests in flight
GET    /_sandbox/config · PATCH /_sandbox/config        the non-secret knobs
"""

from __future__ import annotations

import re
from dataclasses import fields
from typing import TYPE_CHECKING, Any
from urllib.parse import unquote

from sandbox.core.admin import AdminError, AdminRouter, json_body
from sandbox.core.messages import SimRequest, SimResponse
from sandbox.mailchimp.config import MailchimpSimConfig, MergeFieldSpec

if TYPE_CHECKING:
    from sandbox.mailchimp.app import MailchimpSimulator

_SECRET = frozenset({"api_key", "extra_api_keys", "oauth_tokens"})
_SCALARS: dict[str, tuple[type, ...]] = {
    "wrong_dc_status": (int,),
    "key_disabled": (bool,),
    "accept_api_key_as_bearer": (bool,),
    "problem_type": (bool,),
    "max_connections": (int,),
    "throttle_style": (str,),
    "max_batch_subscribe": (int,),
    "max_pending_batches": (int,),
    "default_count": (int,),
    "max_count": (int,),
    "put_requires_status_if_new": (bool,),
    "batch_progress": (str,),
    "batch_stage_seconds": (int, float),
    "batch_results_per_file": (int,),
    "batch_empty_file": (bool,),
    "batch_retention_s": (int, float, type(None)),
    "max_customer_id_length": (int,),
    "product_put": (bool,),
}
_CHOICES: dict[str, frozenset[object]] = {
    "wrong_dc_status": frozenset({401, 403}),
    "throttle_style": frozenset({"problem", "empty_429", "empty_403"}),
    "batch_progress": frozenset({"per_get", "clock", "immediate"}),
}


def public_config(config: MailchimpSimConfig) -> dict[str, Any]:
    data: dict[str, Any] = {}
    for item in fields(config):
        if item.name in _SECRET:
            continue
        value = getattr(config, item.name)
        if item.name == "extra_merge_fields":
            value = [
                {"tag": spec.tag, "name": spec.name, "type": spec.type, "required": spec.required} for spec in value
            ]
        data[item.name] = list(value) if isinstance(value, tuple) else value
    return data


def _checked(key: str, value: object) -> object:
    if key == "fake_email_patterns":
        if not isinstance(value, list) or not all(isinstance(item, str) for item in value):
            raise AdminError(400, "fake_email_patterns must be a list of strings")
        return tuple(value)
    allowed = _SCALARS.get(key)
    if allowed is None or isinstance(value, bool) != (bool in allowed) or not isinstance(value, allowed):
        raise AdminError(400, f"{key!r} cannot be set to {value!r}")
    if key in _CHOICES and value not in _CHOICES[key]:
        raise AdminError(400, f"{key!r} must be one of {sorted(map(str, _CHOICES[key]))}")
    return value


def _choices(raw: object) -> list[object]:
    if raw is None:
        return []
    if not isinstance(raw, list):
        raise AdminError(400, "choices must be a list")
    return raw


class _MailchimpAdmin:
    def __init__(self, sim: MailchimpSimulator) -> None:
        self.sim = sim

    @staticmethod
    def _list_id(request: SimRequest) -> str | None:
        return request.query.get("list_id", [None])[-1]

    def lists(self, _request: SimRequest, _match: re.Match[str]) -> SimResponse:
        with self.sim.db.lock:
            audiences = [
                {"id": audience.id, "name": audience.name, "members": len(audience.members)}
                for audience in self.sim.db.lists.values()
            ]
        for audience in audiences:
            audience["merge_fields"] = list(self.sim.merge_fields(str(audience["id"])).values())
        return SimResponse.json({"lists": audiences})

    def members(self, request: SimRequest, _match: re.Match[str]) -> SimResponse:
        list_id = self._list_id(request)
        try:
            found = list(self.sim.members(list_id).values())
            return SimResponse.json({"members": found, "forgotten": self.sim.forgotten(list_id)})
        except KeyError as exc:
            raise AdminError(404, str(exc)) from exc

    def seed_members(self, request: SimRequest, _match: re.Match[str]) -> SimResponse:
        rows = json_body(request).get("members")
        if not isinstance(rows, list) or not all(isinstance(row, dict) and "email_address" in row for row in rows):
            raise AdminError(400, 'body must be {"members": [{"email_address": ..., "status": ...}, ...]}')
        return SimResponse.json({"members": self.sim.seed_members(rows, self._list_id(request))}, status=201)

    def member(self, request: SimRequest, match: re.Match[str]) -> SimResponse:
        email = unquote(match.group(1))
        found = self.sim.member(email, self._list_id(request))
        if found is None:
            raise AdminError(404, f"no member {email!r}")
        return SimResponse.json({"member": found})

    def set_status(self, request: SimRequest, match: re.Match[str]) -> SimResponse:
        status = json_body(request).get("status")
        if not isinstance(status, str):
            raise AdminError(400, 'body must be {"status": ...}')
        member = self.sim.set_member_status(unquote(match.group(1)), status, self._list_id(request))
        return SimResponse.json({"member": member})

    def merge_fields(self, request: SimRequest, _match: re.Match[str]) -> SimResponse:
        return SimResponse.json({"merge_fields": list(self.sim.merge_fields(self._list_id(request)).values())})

    def add_merge_field(self, request: SimRequest, _match: re.Match[str]) -> SimResponse:
        body = json_body(request)
        tag = body.get("tag")
        if not isinstance(tag, str) or not tag:
            raise AdminError(400, 'body must be {"tag": ..., "name": ..., "type": ..., "required": ...}')
        spec = MergeFieldSpec(
            tag.upper(),
            str(body.get("name") or tag),
            str(body.get("type", "text")),
            bool(body.get("required", False)),
            tuple(str(choice) for choice in _choices(body.get("choices"))),
        )
        return SimResponse.json({"merge_field": self.sim.add_merge_field(spec, self._list_id(request))}, status=201)

    def fake_emails(self, _request: SimRequest, _match: re.Match[str]) -> SimResponse:
        return SimResponse.json({"patterns": list(self.sim.config.fake_email_patterns)})

    def add_fake_email(self, request: SimRequest, _match: re.Match[str]) -> SimResponse:
        pattern = json_body(request).get("pattern")
        if not isinstance(pattern, str) or not pattern.strip():
            raise AdminError(400, 'body must be {"pattern": "*@bad.example.com"}')
        return SimResponse.json({"patterns": list(self.sim.add_fake_email_pattern(pattern.strip()))}, status=201)

    def stores(self, _request: SimRequest, _match: re.Match[str]) -> SimResponse:
        return SimResponse.json({"stores": list(self.sim.stores().values())})

    def store(self, _request: SimRequest, match: re.Match[str]) -> SimResponse:
        found = self.sim.stores().get(unquote(match.group(1)))
        if found is None:
            raise AdminError(404, f"no store {match.group(1)!r}")
        return SimResponse.json({"store": found})

    def batches(self, _request: SimRequest, _match: re.Match[str]) -> SimResponse:
        return SimResponse.json({"batches": list(self.sim.batches().values())})

    def advance_batch(self, request: SimRequest, match: re.Match[str]) -> SimResponse:
        steps = json_body(request).get("steps", 4)
        if isinstance(steps, bool) or not isinstance(steps, int) or steps < 1:
            raise AdminError(400, "steps must be a positive integer")
        try:
            return SimResponse.json({"batch": self.sim.advance_batch(match.group(1), steps)})
        except KeyError as exc:
            raise AdminError(404, f"no batch {match.group(1)!r}") from exc

    def expire_batch(self, _request: SimRequest, match: re.Match[str]) -> SimResponse:
        try:
            self.sim.expire_batch(match.group(1))
        except KeyError as exc:
            raise AdminError(404, f"no batch {match.group(1)!r}") from exc
        return SimResponse.json({"expired": match.group(1)})

    def connections(self, _request: SimRequest, _match: re.Match[str]) -> SimResponse:
        return SimResponse.json({"open": self.sim.connections.count()})

    def get_config(self, _request: SimRequest, _match: re.Match[str]) -> SimResponse:
        return SimResponse.json(public_config(self.sim.config))

    def patch_config(self, request: SimRequest, _match: re.Match[str]) -> SimResponse:
        changes = {key: _checked(key, value) for key, value in json_body(request).items()}
        for key, value in changes.items():  # all or nothing
            setattr(self.sim.config, key, value)
        return SimResponse.json(public_config(self.sim.config))


def register_mailchimp_routes(router: AdminRouter, sim: MailchimpSimulator) -> None:
    admin = _MailchimpAdmin(sim)
    router.add("GET", r"lists", admin.lists)
    router.add("GET", r"members", admin.members)
    router.add("POST", r"members", admin.seed_members)
    router.add("GET", r"members/([^/]+)", admin.member)
    router.add("PATCH", r"members/([^/]+)", admin.set_status)
    router.add("GET", r"merge-fields", admin.merge_fields)
    router.add("POST", r"merge-fields", admin.add_merge_field)
    router.add("GET", r"fake-emails", admin.fake_emails)
    router.add("POST", r"fake-emails", admin.add_fake_email)
    router.add("GET", r"stores", admin.stores)
    router.add("GET", r"stores/([^/]+)", admin.store)
    router.add("GET", r"batches", admin.batches)
    router.add("POST", r"batches/([0-9a-f]+)/advance", admin.advance_batch)
    router.add("POST", r"batches/([0-9a-f]+)/expire", admin.expire_batch)
    router.add("GET", r"connections", admin.connections)
    router.add("GET", r"config", admin.get_config)
    router.add("PATCH", r"config", admin.patch_config)
