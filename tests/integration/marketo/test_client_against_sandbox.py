"""The Marketo client against the sandbox simulator over loopback HTTP: tokens, describe, sync and query
round trips, per-record reasons, and the error model under injected faults.

The simulator's clock is frozen and moves only when the client "sleeps", so rate windows and token
lifetimes are deterministic and no test waits in real time."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field

import pytest

from mlconnector.call_budget import CallBudget
from mlconnector.http import HttpPolicy, RetryPolicy
from mlconnector.systems.marketo import (
    AuthenticationError,
    InMemoryTokenCache,
    MarketoClient,
    MarketoCredentials,
    PermissionDenied,
    QuotaExceeded,
    call_budget,
    is_crm_managed,
)
from mlconnector.systems.marketo.records import NON_ASCII_EMAIL
from sandbox.core.clock import SimClock
from sandbox.core.server import LoopbackServer
from sandbox.marketo import MarketoSimulator

pytestmark = pytest.mark.integration

IDENTITY = "identity"


@dataclass
class Harness:
    simulator: MarketoSimulator
    credentials: MarketoCredentials
    sleeps: list[float] = field(default_factory=list)
    budget: CallBudget = field(init=False)
    """Shared by every client of a test, on the simulator's clock, like one run's flows."""

    def __post_init__(self) -> None:
        self.budget = call_budget(clock=self.now, sleep=self.sleep)

    def now(self) -> float:
        return self.simulator.clock.now().timestamp()

    def sleep(self, seconds: float) -> None:
        self.sleeps.append(seconds)
        self.simulator.clock.advance(seconds)

    def client(self, credentials: MarketoCredentials | None = None, **kwargs: object) -> MarketoClient:
        return MarketoClient(
            credentials or self.credentials,
            InMemoryTokenCache(),
            budget=self.budget,
            clock=self.now,
            sleep=self.sleep,
            jitter=lambda: 1.0,
            http=HttpPolicy(connect_timeout=2, read_timeout=10, retry=RetryPolicy(base=0.5, cap=4, max_attempts=4)),
            **kwargs,  # type: ignore[arg-type]
        )


@pytest.fixture
def harness() -> Iterator[Harness]:
    simulator = MarketoSimulator(seed=5, clock=SimClock(frozen=True))
    with LoopbackServer(simulator):
        credentials = MarketoCredentials.from_secret(
            simulator.credentials.as_dict(), allowed_sandbox_hosts=("127.0.0.1",)
        )
        yield Harness(simulator, credentials)


def vendors(start: int, count: int) -> list[dict[str, object]]:
    return [{"externalCompanyId": f"V{i:04d}", "company": f"Vendor {i}"} for i in range(start, start + count)]


def test_ping_and_describe(harness: Harness) -> None:
    client = harness.client()
    assert client.ping() == harness.credentials.base
    companies = client.describe_companies()
    assert companies.dedupe_fields == ("externalCompanyId",)
    assert "company" in companies.updateable()
    assert not companies.fields["externalCompanyId"].updateable
    leads = client.describe_leads()
    assert {"email", "firstName", "externalCompanyId"} <= set(leads.fields)
    assert harness.simulator.calls.count(IDENTITY) == 1  # ping's fresh token is reused afterwards


def test_companies_sync_then_resync_then_query(harness: Harness) -> None:
    client = harness.client()
    records = vendors(0, 350)
    first = client.sync_companies(records[:300]) + client.sync_companies(records[300:])
    assert [r.index for r in first[:300]] == list(range(300))
    assert {r.status for r in first} == {"created"}
    assert len({r.id for r in first}) == 350

    again = client.sync_companies([{**records[0], "company": "Renamed"}, records[1], records[0]])
    assert [r.status for r in again[:2]] == ["updated", "updated"]
    assert again[2].reason_codes == ("1036",)  # the same key twice in one request
    assert again[0].id == first[0].id

    keys = [str(r["externalCompanyId"]) for r in records]
    found = client.query_companies("externalCompanyId", keys, ["externalCompanyId", "company"])
    assert sorted(r["externalCompanyId"] for r in found) == sorted(keys)  # 2 calls: 300 + 50 values
    assert next(r["company"] for r in found if r["externalCompanyId"] == "V0000") == "Renamed"
    assert client.query_companies("externalCompanyId", ["NOPE"]) == []
    assert harness.simulator.companies["V0001"]["company"] == "Vendor 1"


def test_leads_link_to_companies_and_report_per_record(harness: Harness) -> None:
    client = harness.client()
    client.sync_companies(vendors(0, 1))
    leads = [
        {"email": "ap@v0.example", "firstName": "Ann", "externalCompanyId": "V0000"},
        {"email": "jürgen@v0.example", "firstName": "Jürgen"},
        {"email": "bob@v9.example", "externalCompanyId": "NO-SUCH-COMPANY"},
        {"email": "cy@v0.example"},
    ]
    results = client.sync_leads(leads)
    assert [r.index for r in results] == [0, 1, 2, 3]
    assert [r.status for r in results] == ["created", "skipped", "skipped", "created"]
    assert results[1].reason_codes == (NON_ASCII_EMAIL,)
    assert results[2].reasons  # Marketo's own reason, kept per record
    found = client.query_leads("email", ["ap@v0.example", "cy@v0.example"], ["email", "firstName"])
    assert sorted(str(r["email"]) for r in found) == ["ap@v0.example", "cy@v0.example"]
    assert "jürgen@v0.example" not in harness.simulator.leads


def test_crm_managed_companies_are_recognised(harness: Harness) -> None:
    harness.simulator.config.crm_enabled = True
    [result] = harness.client().sync_companies(vendors(0, 1))
    assert is_crm_managed(result)


def test_606_waits_for_the_window_and_the_header_survives_retries(harness: Harness) -> None:
    client = harness.client()
    harness.simulator.inject_error("606", times=2)
    assert client.describe_companies().name == "Company"
    assert harness.sleeps == [20.0, 20.0]


def test_the_budget_keeps_the_client_under_the_instance_window(harness: Harness) -> None:
    harness.simulator.config.rate_limit_calls = 10  # a small window keeps the test short; same rule as 100
    harness.budget = CallBudget(max_calls=10, clock=harness.now, sleep=harness.sleep)
    client = harness.client()
    for _ in range(13):
        client.describe_companies()
    assert client.calls == 14  # one identity call, no 606 retry
    assert harness.sleeps == [20.0]  # the budget waited once for the window, before Marketo refused anything


def test_without_the_budget_the_simulator_refuses_with_606(harness: Harness) -> None:
    """The counter-test: the same calls through a budget that allows more than the instance limit."""
    harness.simulator.config.rate_limit_calls = 10
    harness.budget = CallBudget(max_calls=1000, clock=harness.now, sleep=harness.sleep)
    client = harness.client()
    for _ in range(13):
        client.describe_companies()
    assert client.calls > 14  # 606 refusals were retried after waiting for the window
    assert 20.0 in harness.sleeps


def test_expired_token_is_refreshed_once(harness: Harness) -> None:
    client = harness.client()
    client.describe_companies()
    harness.simulator.expire_tokens()
    client.describe_companies()
    assert harness.simulator.calls.count(IDENTITY) == 2
    assert harness.sleeps == []


def test_token_renewed_ahead_of_expiry(harness: Harness) -> None:
    client = harness.client()
    client.describe_companies()
    harness.simulator.clock.advance(3600 - 50)  # inside the 60 s margin
    client.describe_companies()
    client.describe_companies()
    assert harness.simulator.calls.count(IDENTITY) == 2  # the reused token is not re-fetched per call
    harness.simulator.clock.advance(60)
    client.describe_companies()
    assert harness.simulator.calls.count(IDENTITY) == 3


def test_server_errors_and_dropped_connections_are_retried(harness: Harness) -> None:
    client = harness.client()
    harness.simulator.faults.add("status", status=502, path="/rest/*")
    harness.simulator.faults.add("drop_before", path="/rest/*")
    harness.simulator.inject_error("604")
    assert client.describe_leads().name == "Lead"
    assert len(harness.sleeps) == 3


def test_quota_and_permission_errors_are_raised_without_retry(harness: Harness) -> None:
    client = harness.client()
    client.describe_companies()
    harness.simulator.inject_error("607")
    with pytest.raises(QuotaExceeded):
        client.sync_companies(vendors(0, 2))
    harness.simulator.inject_error("603")
    with pytest.raises(PermissionDenied, match="Read-Write Company"):
        client.sync_companies(vendors(0, 2))
    assert client.calls == 4  # identity, describe, one 607, one 603
    assert harness.sleeps == []
    assert harness.simulator.companies == {}


def test_bad_client_secret_fails_fast(harness: Harness) -> None:
    secret = {**harness.simulator.credentials.as_dict(), "client_secret": "wrong-secret-value"}
    client = harness.client(MarketoCredentials.from_secret(secret, allowed_sandbox_hosts=("127.0.0.1",)))
    with pytest.raises(AuthenticationError) as raised:
        client.describe_companies()
    assert "wrong-secret-value" not in str(raised.value)
    assert client.calls == 1
    assert harness.sleeps == []


def test_form_style_identity_is_accepted_by_the_simulator(harness: Harness) -> None:
    client = harness.client(identity_style="form")
    assert client.describe_companies().name == "Company"
