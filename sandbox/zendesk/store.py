"""The account's data: organizations (with their unique name and external-id indexes), users, tickets, organization
fields and bulk jobs, behind one lock. Ids are 64-bit-style integers, stable for a seed."""

from __future__ import annotations

import itertools
import threading
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime

from sandbox.zendesk.values import Json, external_key, name_key


@dataclass
class Ticket:
    data: Json  # the REST shape without url
    generated_at: datetime  # when it last changed: the incremental export's key
    deleted: bool = False


@dataclass
class Job:
    id: str
    job_type: str
    total: int
    created_at: datetime
    work: Callable[[datetime], list[Json]] = field(repr=False)  # runs once, when the job completes (at that time)
    status: str = "queued"
    polls: int = 0
    results: list[Json] | None = None


@dataclass
class OrgField:
    id: int
    key: str
    type: str
    title: str
    created_at: datetime
    options: tuple[str, ...] = ()
    active: bool = True


class Database:
    def __init__(self, seed: int, *, name_case_insensitive: bool) -> None:
        self.lock = threading.RLock()
        self._ids = itertools.count(360_000_000_000 + seed * 1_000_000)
        self._ticket_ids = itertools.count(1)
        self.name_case_insensitive = name_case_insensitive
        self.organizations: dict[int, Json] = {}
        self.users: dict[int, Json] = {}
        self.tickets: dict[int, Ticket] = {}
        self.jobs: dict[str, Job] = {}
        self.org_fields: dict[str, OrgField] = {}
        self._org_by_external: dict[str, int] = {}
        self._org_by_name: dict[str, int] = {}
        self._user_by_email: dict[str, int] = {}
        self._user_by_external: dict[str, int] = {}

    def next_id(self) -> int:
        return next(self._ids)

    def next_ticket_id(self) -> int:
        """Tickets are numbered 1, 2, 3 ... as in a new account."""
        return next(self._ticket_ids)

    # ------------------------------------------------------------------ organizations and their indexes
    def org_by_external(self, value: object) -> Json | None:
        key = external_key(value)
        found = self._org_by_external.get(key) if key else None
        return self.organizations.get(found) if found is not None else None

    def org_by_name(self, name: str) -> Json | None:
        found = self._org_by_name.get(name_key(name, self.name_case_insensitive))
        return self.organizations.get(found) if found is not None else None

    def put_org(self, org: Json) -> None:
        """Store (or replace) an org and re-index its name and external id."""
        old = self.organizations.get(org["id"])
        if old is not None:
            self._unindex(old)
        self.organizations[org["id"]] = org
        self._org_by_name[name_key(org["name"], self.name_case_insensitive)] = org["id"]
        key = external_key(org.get("external_id"))
        if key:
            self._org_by_external[key] = org["id"]

    def drop_org(self, org_id: int) -> Json | None:
        org = self.organizations.pop(org_id, None)
        if org is not None:
            self._unindex(org)
        return org

    def _unindex(self, org: Json) -> None:
        self._org_by_name.pop(name_key(org["name"], self.name_case_insensitive), None)
        key = external_key(org.get("external_id"))
        if key and self._org_by_external.get(key) == org["id"]:
            del self._org_by_external[key]

    # ------------------------------------------------------------------ users and their indexes
    def user_by_email(self, email: object) -> Json | None:
        found = self._user_by_email.get(str(email or "").strip().lower())
        return self.users.get(found) if found is not None else None

    def user_by_external(self, value: object) -> Json | None:
        key = external_key(value)
        found = self._user_by_external.get(key) if key else None
        return self.users.get(found) if found is not None else None

    def put_user(self, user: Json) -> None:
        """Store (or replace) a user and re-index its email and external id."""
        old = self.users.get(user["id"])
        if old is not None:
            self._user_by_email.pop(str(old.get("email") or "").lower(), None)
            self._user_by_external.pop(external_key(old.get("external_id")) or "", None)
        self.users[user["id"]] = user
        if user.get("email"):
            self._user_by_email[str(user["email"]).lower()] = user["id"]
        key = external_key(user.get("external_id"))
        if key:
            self._user_by_external[key] = user["id"]
