"""Python-level access to the simulator's state for tests and the admin endpoints: read members, stores and
batches as the API would show them, and set up scenarios (a member who unsubscribed or was forgotten, a fake-email
pattern, a required merge field) without going through the API's rules."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from sandbox.mailchimp import batches as batch_views
from sandbox.mailchimp import customers, orders, products
from sandbox.mailchimp import member_records as records
from sandbox.mailchimp import stores as store_views
from sandbox.mailchimp.config import MailchimpSimConfig, MergeFieldSpec
from sandbox.mailchimp.context import ApiContext
from sandbox.mailchimp.member_records import ARCHIVED, STATUSES
from sandbox.mailchimp.merge_fields import add_field
from sandbox.mailchimp.store import Audience, Database
from sandbox.mailchimp.values import Json, subscriber_hash

SCENARIO_STATUSES = frozenset({*STATUSES, ARCHIVED, "forgotten"})


class SimState:
    """Mixed into MailchimpSimulator (which provides the attributes below)."""

    db: Database
    config: MailchimpSimConfig
    list_id: str

    def context(self) -> ApiContext:
        raise NotImplementedError

    def _audience(self, list_id: str | None) -> Audience:
        audience = self.db.lists.get(list_id or self.list_id)
        if audience is None:
            raise KeyError(f"no audience {list_id!r}")
        return audience

    # ------------------------------------------------------------------ audience members
    def members(self, list_id: str | None = None) -> dict[str, Json]:
        """Every member (archived ones too) as the API shows it, by lower-case address."""
        ctx = self.context()
        with self.db.lock:
            audience = self._audience(list_id)
            return {
                str(record["email_address"]).lower(): records.view(ctx, audience, record)
                for record in audience.members.values()
            }

    def member(self, email: str, list_id: str | None = None) -> Json | None:
        return self.members(list_id).get(email.strip().lower())

    def forgotten(self, list_id: str | None = None) -> list[str]:
        """The permanently deleted addresses of an audience."""
        with self.db.lock:
            return sorted(self._audience(list_id).forgotten.values())

    def seed_members(self, rows: Iterable[Mapping[str, Any]], list_id: str | None = None) -> list[Json]:
        """Add members directly (no fake-email or merge checks): ``{"email_address", "status", "merge_fields",
        "tags"}``. ValueError when one exists already."""
        ctx = self.context()
        added: list[Json] = []
        with self.db.lock:
            audience = self._audience(list_id)
            for row in rows:
                email = str(row["email_address"]).strip()
                if subscriber_hash(email) in audience.members:
                    raise ValueError(f"{email} is already a member")
                status = str(row.get("status", "subscribed"))
                if status not in STATUSES:
                    raise ValueError(f"unknown status {status!r}")
                record = records.new_record(ctx, audience, email, status, dict(row.get("merge_fields") or {}))
                records.add_tags(ctx, audience, record, tuple(row.get("tags") or ()))
                audience.members[record["id"]] = record
                added.append(records.view(ctx, audience, record))
        return added

    def set_member_status(self, email: str, status: str, list_id: str | None = None) -> Json | None:
        """Put an address in a state the API cannot (unsubscribed by the person, cleaned by a bounce, archived,
        or "forgotten" = permanently deleted). A missing address is added first. Returns the member (None when
        forgotten)."""
        if status not in SCENARIO_STATUSES:
            raise ValueError(f"status must be one of {sorted(SCENARIO_STATUSES)}")
        ctx = self.context()
        with self.db.lock:
            audience = self._audience(list_id)
            key = subscriber_hash(email)
            if status == "forgotten":
                audience.members.pop(key, None)
                audience.forgotten[key] = email.strip()
                return None
            record = audience.members.get(key)
            if record is None:
                record = records.new_record(ctx, audience, email.strip(), "subscribed", {})
                audience.members[key] = record
            records.set_status(ctx, record, status)
            return records.view(ctx, audience, record)

    def add_fake_email_pattern(self, pattern: str) -> tuple[str, ...]:
        """Refuse addresses matching this fnmatch pattern (e.g. ``*@bad.example.com``) as fake from now on."""
        with self.db.lock:
            if pattern not in self.config.fake_email_patterns:
                self.config.fake_email_patterns = (*self.config.fake_email_patterns, pattern)
            return self.config.fake_email_patterns

    def add_merge_field(self, spec: MergeFieldSpec, list_id: str | None = None) -> Json:
        """Add a merge field (e.g. a required one) to an audience; ValueError when its tag exists."""
        with self.db.lock:
            return dict(add_field(self._audience(list_id), spec))

    def merge_fields(self, list_id: str | None = None) -> dict[str, Json]:
        with self.db.lock:
            return {item["tag"]: dict(item) for item in self._audience(list_id).merge_fields.values()}

    # ------------------------------------------------------------------ e-commerce
    def stores(self) -> dict[str, Json]:
        """Every store with its customers, products (with variants) and orders (with lines), by store id."""
        ctx = self.context()
        with self.db.lock:
            return {
                store_id: {
                    **store_views.view(ctx, shop),
                    "customers": {key: customers.view(ctx, shop, item) for key, item in shop.customers.items()},
                    "products": {key: products.view(ctx, shop, item) for key, item in shop.products.items()},
                    "orders": {key: orders.view(ctx, shop, item) for key, item in shop.orders.items()},
                }
                for store_id, shop in self.db.stores.items()
            }

    def store(self, store_id: str) -> Json:
        return self.stores()[store_id]

    # ------------------------------------------------------------------ batches
    def batches(self) -> dict[str, Json]:
        """Every batch (expired ones too) with its status and parsed results, by id."""
        ctx = self.context()
        with self.db.lock:
            return {
                batch_id: {
                    **batch_views.view(ctx, batch),
                    "expired": batch.expired,
                    "results": batch_views.results(batch),
                }
                for batch_id, batch in self.db.batches.items()
            }

    def advance_batch(self, batch_id: str, steps: int = 4) -> Json:
        """Hurry a batch on (default: to ``finished``); KeyError when unknown."""
        ctx = self.context()
        return batch_views.view(ctx, batch_views.advance(ctx, batch_id, steps))

    def expire_batch(self, batch_id: str) -> None:
        """The batch and its archive are gone: GET answers 404, the download 403."""
        with self.db.lock:
            self.db.batches[batch_id].expired = True
