"""State stores against moto: keys scoped by connection, leases, links, failures, audit queries, runs."""

from __future__ import annotations

import pytest

from mlconnector.oauth_tokens import AccessToken
from mlconnector.state import ConnectionState
from mlconnector.state.audit import AuditEntry
from mlconnector.state.failures import Failure
from mlconnector.state.leases import LeaseHeldError
from mlconnector.state.links import Link
from mlconnector.state.models import LinkItem
from mlconnector.state.runs import RunSummary
from mlconnector.state.token_cache import StoredTokenCache
from mlconnector.state.tokens import StoredToken
from tests.conftest import FakeClock


def _entry(key: str, run: str, action: str = "created") -> AuditEntry:
    return AuditEntry(run, "intacct-marketo", "companies", "intacct", "VENDOR", key, "marketo", action, f"m-{key}")


def test_connections_never_see_each_others_items(state: ConnectionState, clock: FakeClock) -> None:
    other = ConnectionState.open("globex", retention_days=30, clock=clock)
    state.cursors.put("f", "s", "01/01/2026 00:00:00", "r1")
    state.links.put_many("f", "s", [Link("V1", "d1", "h1")], "r1")
    state.tokens.put("intacct", "acct", StoredToken("secret-session", "https://x", 1.0, 2.0))
    state.failures.put_many([Failure("f", "s", "intacct", "VENDOR", "V1", "bad", "r1")])
    assert other.cursors.get("f", "s") is None
    assert other.links.get_many("f", "s", ["V1"]) == {}
    assert other.tokens.get("intacct", "acct") is None
    assert other.failures.pending() == []
    assert state.cursors.get("f", "s") == "01/01/2026 00:00:00"


def test_lease_is_exclusive_until_released_or_expired(state: ConnectionState, clock: FakeClock) -> None:
    state.leases.acquire("flow", "run-a", seconds=100)
    with pytest.raises(LeaseHeldError, match="already running"):
        state.leases.acquire("flow", "run-b", seconds=100)
    state.leases.acquire("flow", "run-a", seconds=100)  # the owner may renew
    state.leases.release("flow", "run-b")  # not the owner: no effect
    with pytest.raises(LeaseHeldError):
        state.leases.acquire("flow", "run-b", seconds=100)
    clock.advance(101)
    state.leases.acquire("flow", "run-b", seconds=100)  # expired: taken over
    state.leases.release("flow", "run-b")
    state.leases.acquire("flow", "run-c", seconds=100)


def test_links_round_trip_in_batches_beyond_dynamodb_limits(state: ConnectionState) -> None:
    links = [Link(f"V{i:04d}", f"d{i}", f"h{i}") for i in range(260)]  # > 25 per write, > 100 per read
    state.links.put_many("f", "s", links, "r1")
    got = state.links.get_many("f", "s", [link.source_key for link in links] + ["missing"])
    assert len(got) == 260
    assert got["V0259"] == Link("V0259", "d259", "h259")
    assert LinkItem.count() == 260


def test_tokens_are_stored_and_deleted(state: ConnectionState) -> None:
    token = StoredToken("s3cr3t", "https://api.intacct.com/ia/xml/xmlgw.phtml", 10.0, 20.0)
    state.tokens.put("intacct", "acct", token)
    assert state.tokens.get("intacct", "acct") == token
    assert "s3cr3t" not in repr(token)
    state.tokens.delete("intacct", "acct")
    assert state.tokens.get("intacct", "acct") is None


def test_an_oauth_token_keeps_where_to_use_it(state: ConnectionState) -> None:
    cache = StoredTokenCache(state.tokens, "zoho", AccessToken)
    with_domain = AccessToken("1000.abc", 10.0, 3610.0, "https://www.zohoapis.eu")
    cache.put("key", with_domain)
    assert cache.get("key") == with_domain
    cache.put("key", AccessToken("tok", 10.0, 20.0))
    assert cache.get("key") == AccessToken("tok", 10.0, 20.0, None)


def test_failures_count_attempts_and_filter_by_flow(state: ConnectionState, clock: FakeClock) -> None:
    failure = Failure("f1", "companies", "intacct", "VENDOR", "V1", "invalid email", "r1", {"name": "x"})
    state.failures.put_many([failure, Failure("f2", "leads", "intacct", "CONTACT", "C1", "bad", "r1")])
    clock.advance(60)
    state.failures.put_many([failure])
    again = state.failures.get("f1", "companies", "V1")
    assert again is not None
    assert again.attempts == 2
    assert again.payload == {"name": "x"}
    assert [f.source_key for f in state.failures.pending("f1")] == ["V1"]
    assert [f.source_key for f in state.failures.pending("f2", "leads")] == ["C1"]
    state.failures.delete_many("f1", "companies", ["V1"])
    assert [f.flow for f in state.failures.pending()] == ["f2"]


def test_audit_answers_history_and_by_run(state: ConnectionState, clock: FakeClock) -> None:
    state.audit.record([_entry("V1", "run1"), _entry("V2", "run1")])
    clock.advance(5)
    state.audit.record([_entry("V1", "run2", "updated")])
    history = state.audit.history("intacct", "VENDOR", "V1")
    assert [(e.run_id, e.action) for e in history] == [("run1", "created"), ("run2", "updated")]
    assert sorted(e.source_key for e in state.audit.by_run("run1")) == ["V1", "V2"]
    assert [e.source_key for e in state.audit.by_run("run2")] == ["V1"]


def test_recent_runs_newest_first_and_by_id(state: ConnectionState) -> None:
    for n in range(3):
        state.runs.put(
            RunSummary(f"run{n}", "flow", "completed", False, f"2026-01-0{n + 1}T00:00:00.000Z", "x", 5, {"created": n})
        )
    assert [r.run_id for r in state.runs.recent()] == ["run2", "run1", "run0"]
    run = state.runs.get("run1")
    assert run is not None
    assert run.counts == {"created": 1}
    assert state.runs.get("nope") is None


def test_every_model_connection_shares_one_botocore_data_loader(state: ConnectionState) -> None:
    """Parsed once per process: each pynamodb connection's botocore session reads the same loader's models."""
    from mlconnector.state.models import AUDIT_MODELS, LINK_MODELS, STATE_MODELS  # noqa: PLC0415

    models = (*STATE_MODELS, *LINK_MODELS, *AUDIT_MODELS)
    loaders = {id(m._get_connection().connection.session.get_component("data_loader")) for m in models}
    assert len(models) > 3
    assert len(loaders) == 1
