"""pynamodb models for the three tables.

Several models share one table (single-table style per concern); every key starts with a type prefix and the
connection name, so two connections served by one deployment never see each other's items (see keys.py).
Table names are bound at run time by tables.bind_tables(), not at import.
"""

from __future__ import annotations

from typing import TypeVar

from pynamodb.attributes import JSONAttribute, NumberAttribute, UnicodeAttribute
from pynamodb.indexes import AllProjection, GlobalSecondaryIndex
from pynamodb.models import Model

_M = TypeVar("_M", bound=Model)


class _Unbound:
    table_name = "unbound"
    region: str | None = None
    host: str | None = None


class TokenItem(Model):
    """A cached session or OAuth token for one account of one system (StateTable)."""

    class Meta(_Unbound):
        pass

    pk = UnicodeAttribute(hash_key=True)
    sk = UnicodeAttribute(range_key=True)
    token = UnicodeAttribute()  # secret: never logged; the table is encrypted with the stack's KMS key
    endpoint = UnicodeAttribute(null=True)
    created_at = NumberAttribute()
    expires_at = NumberAttribute()  # also the table's TTL attribute


class TokenPairItem(Model):
    """An OAuth access and refresh token pair that rotates (Zendesk: each refresh deletes the old pair), with its
    version and who may refresh it now (StateTable; see token_pairs.py)."""

    class Meta(_Unbound):
        pass

    pk = UnicodeAttribute(hash_key=True)
    sk = UnicodeAttribute(range_key=True)
    version = NumberAttribute()
    # Secrets, never logged; the table is encrypted with the stack's KMS key. The refresh token here is the current
    # one: the connection's secret holds only the first.
    access_token = UnicodeAttribute(null=True)
    refresh_token = UnicodeAttribute(null=True)
    created_at = NumberAttribute(null=True)
    # Never `expires_at`, the table's TTL attribute: the pair must outlive its access token (DynamoDB deleting it
    # would lose the only valid refresh token and lock the connection out).
    access_expires_at = NumberAttribute(null=True)
    owner = UnicodeAttribute(null=True)
    claimed_until = NumberAttribute(null=True)


class CursorItem(Model):
    """Where a flow's stream has read up to (StateTable)."""

    class Meta(_Unbound):
        pass

    pk = UnicodeAttribute(hash_key=True)
    sk = UnicodeAttribute(range_key=True)
    value = UnicodeAttribute()
    run_id = UnicodeAttribute()
    updated_at = NumberAttribute()


class LeaseItem(Model):
    """A flow's run lease: a conditional write makes sure two runs never overlap (StateTable)."""

    class Meta(_Unbound):
        pass

    pk = UnicodeAttribute(hash_key=True)
    sk = UnicodeAttribute(range_key=True)
    owner = UnicodeAttribute()
    expires_at = NumberAttribute()


class SlotItem(Model):
    """One slot of a counting semaphore across containers, e.g. one of an Intacct company's concurrent-request
    slots (StateTable; see semaphore.py). Holds no secret: a holder id and an expiry."""

    class Meta(_Unbound):
        pass

    pk = UnicodeAttribute(hash_key=True)
    sk = UnicodeAttribute(range_key=True)
    holder = UnicodeAttribute()
    expires_at = NumberAttribute()  # also the table's TTL attribute: an expired slot is free until then


class FailureItem(Model):
    """A record that failed and waits for replay, with the payload that was attempted (StateTable)."""

    class Meta(_Unbound):
        pass

    pk = UnicodeAttribute(hash_key=True)
    sk = UnicodeAttribute(range_key=True)
    flow = UnicodeAttribute()
    stream = UnicodeAttribute()
    source_system = UnicodeAttribute()
    source_object = UnicodeAttribute()
    source_key = UnicodeAttribute()
    payload = JSONAttribute(null=True)
    error = UnicodeAttribute()
    run_id = UnicodeAttribute()
    attempts = NumberAttribute(default=1)
    first_failed_at = NumberAttribute()
    last_failed_at = NumberAttribute()


class LinkItem(Model):
    """Source key → destination id and the hash of the payload last written (LinksTable)."""

    class Meta(_Unbound):
        pass

    pk = UnicodeAttribute(hash_key=True)
    sk = UnicodeAttribute(range_key=True)
    destination_id = UnicodeAttribute(null=True)
    content_hash = UnicodeAttribute()
    run_id = UnicodeAttribute()
    updated_at = NumberAttribute()


class ByRunIndex(GlobalSecondaryIndex[_M]):  # type: ignore[no-untyped-call]  # pynamodb leaves it untyped
    """gsi1: everything one run did (audit entries), and run summaries looked up by run id."""

    class Meta:
        index_name = "gsi1"
        projection = AllProjection()

    gsi1pk = UnicodeAttribute(hash_key=True)
    gsi1sk = UnicodeAttribute(range_key=True)


class AuditEntryItem(Model):
    """One outcome for one record in one run (AuditTable)."""

    class Meta(_Unbound):
        pass

    pk = UnicodeAttribute(hash_key=True)  # the record: history of one source key
    sk = UnicodeAttribute(range_key=True)  # time#run
    gsi1pk = UnicodeAttribute()  # the run
    gsi1sk = UnicodeAttribute()
    by_run: ByRunIndex[AuditEntryItem] = ByRunIndex()
    connection = UnicodeAttribute()
    run_id = UnicodeAttribute()
    flow = UnicodeAttribute()
    stream = UnicodeAttribute()
    source_system = UnicodeAttribute()
    source_object = UnicodeAttribute()
    source_key = UnicodeAttribute()
    destination_system = UnicodeAttribute()
    destination_id = UnicodeAttribute(null=True)
    action = UnicodeAttribute()
    content_hash = UnicodeAttribute(null=True)
    error = UnicodeAttribute(null=True)
    note = UnicodeAttribute(null=True)  # a warning that did not stop the record (what the reader repaired)
    at = UnicodeAttribute()  # ISO-8601 UTC
    expires_at = NumberAttribute()


class RunSummaryItem(Model):
    """The report of one run (AuditTable)."""

    class Meta(_Unbound):
        pass

    pk = UnicodeAttribute(hash_key=True)  # RUNS#connection: recent runs, newest first
    sk = UnicodeAttribute(range_key=True)  # started#run
    gsi1pk = UnicodeAttribute()  # RUNID#run: one run by id
    gsi1sk = UnicodeAttribute()
    by_run: ByRunIndex[RunSummaryItem] = ByRunIndex()
    run_id = UnicodeAttribute()
    connection = UnicodeAttribute()
    flow = UnicodeAttribute()
    status = UnicodeAttribute()
    dry_run = UnicodeAttribute()  # "true"/"false"
    started_at = UnicodeAttribute()
    finished_at = UnicodeAttribute()
    duration_ms = NumberAttribute()
    counts = JSONAttribute()
    api_calls = JSONAttribute()
    error = UnicodeAttribute(null=True)
    expires_at = NumberAttribute()


STATE_MODELS: tuple[type[Model], ...] = (TokenItem, CursorItem, LeaseItem, FailureItem, TokenPairItem, SlotItem)
LINK_MODELS: tuple[type[Model], ...] = (LinkItem,)
AUDIT_MODELS: tuple[type[Model], ...] = (AuditEntryItem, RunSummaryItem)
