"""The seeded account: one audience with the default merge fields (plus the configured extra ones), no members
and no e-commerce stores (the connector populates them)."""

from __future__ import annotations

from datetime import datetime

from sandbox.mailchimp.config import MailchimpSimConfig
from sandbox.mailchimp.merge_fields import DEFAULT_FIELDS, add_field
from sandbox.mailchimp.store import Audience, Database
from sandbox.mailchimp.values import short_id, stamp, web_id


def seeded_list_id(seed: int) -> str:
    """A 10-hex audience id like ``1a2df69511``, stable for a seed."""
    return short_id("mlc-sandbox-audience", seed)


def seed_database(db: Database, config: MailchimpSimConfig, seed: int, now: datetime) -> Audience:
    list_id = seeded_list_id(seed)
    audience = Audience(id=list_id, web_id=web_id("list", list_id), name=config.list_name, date_created=stamp(now))
    for spec in (*DEFAULT_FIELDS, *config.extra_merge_fields):
        add_field(audience, spec)
    with db.lock:
        db.lists[list_id] = audience
    return audience
