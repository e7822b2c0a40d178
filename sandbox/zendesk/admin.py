"""Zendesk admin endpoints (JSON), for tests and tools in other processes.

GET    /_sandbox/organizations · POST {"organization": {...}}      every org as the API shows it · add one
GET    /_sandbox/organizations/<id>
POST   /_sandbox/organization_fields  {"key", "type", "title", "options"}
GET    /_sandbox/users
GET    /_sandbox/tickets · POST {"organization_external_id", "requester_email", "subject", ...}  -> {"id": n}
GET    /_sandbox/tickets/<id> · PATCH {changes} (updated_at moves) · DELETE (status deleted in the export)
POST   /_sandbox/tickets/<id>/webhook  {"url", "secret", "event_type", "event"}  -> {"status": receiver's}
GET    /_sandbox/jobs · POST /_sandbox/jobs/complete               -> {"completed": n}
GET    /_sandbox/counts
GET    /_sandbox/tokens                                            {"refreshes", "refused", "live_access_tokens", ...}
POST   /_sandbox/tokens/expire                                     {"expired": n}
POST   /_sandbox/rate-limits/reset
GET    /_sandbox/config · PATCH /_sandbox/config                   the knobs (PATCH also takes webhook_url and
                                                                   webhook_secret: ticket events then go there)
"""

from __future__ import annotations

import re
import typing
from dataclasses import fields
from typing import TYPE_CHECKING, Any, Literal

from sandbox.core.admin import AdminError, AdminRouter, json_body
from sandbox.core.messages import SimRequest, SimResponse
from sandbox.zendesk.config import TEST_SECRET, ZendeskSimConfig

if TYPE_CHECKING:
    from sandbox.zendesk.app import ZendeskSimulator

_SECRET = frozenset({"client_secret", "refresh_token", "api_token", "webhook_secret"})  # never shown
_FIXED = frozenset({"client_secret", "refresh_token", "api_token"})  # the credentials: not settable here
_OPTIONAL: dict[str, tuple[type, ...]] = {"job_step_s": (int, float), "webhook_url": (str,)}  # None or these


def public_config(config: ZendeskSimConfig) -> dict[str, Any]:
    return {item.name: getattr(config, item.name) for item in fields(config) if item.name not in _SECRET}


def _choices(name: str) -> tuple[object, ...] | None:
    hint = typing.get_type_hints(ZendeskSimConfig)[name]
    if typing.get_origin(hint) is Literal:
        return typing.get_args(hint)
    aliased = getattr(hint, "__value__", None)
    if aliased is not None and typing.get_origin(aliased) is Literal:
        return typing.get_args(aliased)
    return None


def checked_knob(config: ZendeskSimConfig, key: str, value: object) -> object:
    if key in _FIXED or key not in {item.name for item in fields(config)}:
        raise AdminError(400, f"no settable knob {key!r}")
    if key in _OPTIONAL:
        if value is not None and (isinstance(value, bool) or not isinstance(value, _OPTIONAL[key])):
            raise AdminError(400, f"{key!r} cannot be set to {value!r}")
        return float(value) if isinstance(value, int) else value
    current = getattr(config, key)
    if isinstance(current, bool) != isinstance(value, bool):
        raise AdminError(400, f"{key!r} cannot be set to {value!r}")
    expected: tuple[type, ...] = (int, float) if isinstance(current, float) else (type(current),)
    if not isinstance(value, expected):
        raise AdminError(400, f"{key!r} cannot be set to {value!r}")
    choices = _choices(key)
    if choices is not None and value not in choices:
        raise AdminError(400, f"{key!r} must be one of {list(choices)}")
    return float(value) if isinstance(current, float) and isinstance(value, int) else value


class _ZendeskAdmin:
    def __init__(self, sim: ZendeskSimulator) -> None:
        self.sim = sim

    def organizations(self, _request: SimRequest, _match: re.Match[str]) -> SimResponse:
        return SimResponse.json({"organizations": list(self.sim.organizations().values())})

    def add_organization(self, request: SimRequest, _match: re.Match[str]) -> SimResponse:
        values = json_body(request).get("organization")
        if not isinstance(values, dict):
            raise AdminError(400, 'body must be {"organization": {...}}')
        return SimResponse.json({"organization": self.sim.add_organization(values)}, 201)

    def organization(self, _request: SimRequest, match: re.Match[str]) -> SimResponse:
        found = self.sim.organization(int(match.group(1)))
        if found is None:
            raise AdminError(404, f"no organization {match.group(1)}")
        return SimResponse.json({"organization": found})

    def add_field(self, request: SimRequest, _match: re.Match[str]) -> SimResponse:
        body = json_body(request)
        options = body.get("options") or []
        if not isinstance(body.get("key"), str) or not isinstance(options, list):
            raise AdminError(400, 'body must be {"key": ..., "type": ..., "title": ..., "options": [...]}')
        spec = self.sim.add_organization_field(
            str(body["key"]),
            str(body.get("type", "text")),
            str(body.get("title") or ""),
            tuple(str(option) for option in options),
        )
        return SimResponse.json({"organization_field": spec}, 201)

    def users(self, _request: SimRequest, _match: re.Match[str]) -> SimResponse:
        return SimResponse.json({"users": list(self.sim.users().values())})

    def tickets(self, _request: SimRequest, _match: re.Match[str]) -> SimResponse:
        return SimResponse.json({"tickets": list(self.sim.tickets().values())})

    def add_ticket(self, request: SimRequest, _match: re.Match[str]) -> SimResponse:
        body: dict[str, Any] = dict(json_body(request))
        org = body.pop("organization_external_id", None)
        email = body.pop("requester_email", None)
        subject = str(body.pop("subject", "Sandbox ticket"))
        try:
            ticket_id = self.sim.add_ticket(
                organization_external_id=str(org) if org is not None else None,
                requester_email=str(email) if email is not None else None,
                subject=subject,
                **body,
            )
        except KeyError as exc:
            raise AdminError(404, str(exc)) from exc
        return SimResponse.json({"ticket": self.sim.ticket(ticket_id)}, 201)

    def ticket(self, _request: SimRequest, match: re.Match[str]) -> SimResponse:
        found = self.sim.ticket(int(match.group(1)))
        if found is None:
            raise AdminError(404, f"no ticket {match.group(1)}")
        return SimResponse.json({"ticket": found})

    def update_ticket(self, request: SimRequest, match: re.Match[str]) -> SimResponse:
        try:
            return SimResponse.json({"ticket": self.sim.update_ticket(int(match.group(1)), **json_body(request))})
        except KeyError as exc:
            raise AdminError(404, f"no ticket {match.group(1)}") from exc

    def delete_ticket(self, _request: SimRequest, match: re.Match[str]) -> SimResponse:
        try:
            return SimResponse.json({"ticket": self.sim.delete_ticket(int(match.group(1)))})
        except KeyError as exc:
            raise AdminError(404, f"no ticket {match.group(1)}") from exc

    def webhook(self, request: SimRequest, match: re.Match[str]) -> SimResponse:
        body = json_body(request)
        url, event = body.get("url"), body.get("event")
        if not isinstance(url, str) or not (event is None or isinstance(event, dict)):
            raise AdminError(400, 'body must be {"url": ..., "secret": ..., "event_type": ..., "event": {...}}')
        try:
            status = self.sim.deliver_ticket_webhook(
                url,
                int(match.group(1)),
                str(body.get("secret") or TEST_SECRET),
                str(body.get("event_type") or "ticket.created"),
                event,
            )
        except KeyError as exc:
            raise AdminError(404, f"no ticket {match.group(1)}") from exc
        return SimResponse.json({"status": status})

    def jobs(self, _request: SimRequest, _match: re.Match[str]) -> SimResponse:
        return SimResponse.json({"job_statuses": list(self.sim.jobs().values())})

    def complete_jobs(self, _request: SimRequest, _match: re.Match[str]) -> SimResponse:
        return SimResponse.json({"completed": self.sim.complete_jobs()})

    def counts(self, _request: SimRequest, _match: re.Match[str]) -> SimResponse:
        return SimResponse.json(self.sim.counts())

    def tokens(self, _request: SimRequest, _match: re.Match[str]) -> SimResponse:
        return SimResponse.json(self.sim.tokens.snapshot())

    def expire_tokens(self, _request: SimRequest, _match: re.Match[str]) -> SimResponse:
        return SimResponse.json({"expired": self.sim.expire_tokens()})

    def reset_limits(self, _request: SimRequest, _match: re.Match[str]) -> SimResponse:
        self.sim.reset_rate_limits()
        return SimResponse.json({"reset": True})

    def config(self, _request: SimRequest, _match: re.Match[str]) -> SimResponse:
        return SimResponse.json(public_config(self.sim.config))

    def set_config(self, request: SimRequest, _match: re.Match[str]) -> SimResponse:
        changes = {key: checked_knob(self.sim.config, key, value) for key, value in json_body(request).items()}
        for key, value in changes.items():
            setattr(self.sim.config, key, value)
        return SimResponse.json(public_config(self.sim.config))


def register_zendesk_routes(router: AdminRouter, sim: ZendeskSimulator) -> None:
    admin = _ZendeskAdmin(sim)
    router.add("GET", r"organizations", admin.organizations)
    router.add("POST", r"organizations", admin.add_organization)
    router.add("GET", r"organizations/(\d+)", admin.organization)
    router.add("POST", r"organization_fields", admin.add_field)
    router.add("GET", r"users", admin.users)
    router.add("GET", r"tickets", admin.tickets)
    router.add("POST", r"tickets", admin.add_ticket)
    router.add("GET", r"tickets/(\d+)", admin.ticket)
    router.add("PATCH", r"tickets/(\d+)", admin.update_ticket)
    router.add("DELETE", r"tickets/(\d+)", admin.delete_ticket)
    router.add("POST", r"tickets/(\d+)/webhook", admin.webhook)
    router.add("GET", r"jobs", admin.jobs)
    router.add("POST", r"jobs/complete", admin.complete_jobs)
    router.add("GET", r"counts", admin.counts)
    router.add("GET", r"tokens", admin.tokens)
    router.add("POST", r"tokens/expire", admin.expire_tokens)
    router.add("POST", r"rate-limits/reset", admin.reset_limits)
    router.add("GET", r"config", admin.config)
    router.add("PATCH", r"config", admin.set_config)
