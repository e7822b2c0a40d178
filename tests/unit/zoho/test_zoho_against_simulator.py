"""The client against the Zoho simulator over real HTTP on loopback: a round trip (upsert insert then update, a record
by id, search, reads, metadata), tokens shared by two containers through one token store, an expired token, the mint
limit, an api_domain outside Zoho, Vendors on an edition without it, credits used up, ids sent as numbers, and the
edition's concurrency limit kept by the client's budget."""

from __future__ import annotations

from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from typing import Any

import pytest

from mlconnector.http import HttpPolicy, RetryPolicy
from mlconnector.oauth_tokens import AccessToken, InMemoryTokenCache, TokenCache
from mlconnector.state import ConnectionState
from mlconnector.state.token_cache import StoredTokenCache
from mlconnector.systems.zoho.client import ZohoClient
from mlconnector.systems.zoho.credentials import ZohoCredentials
from mlconnector.systems.zoho.errors import (
    ConfigurationError,
    CreditsExhausted,
    ModuleUnavailable,
    RateLimited,
    TokenMintLimited,
)
from mlconnector.systems.zoho.limits import call_budget
from sandbox.zoho import ZohoFault, ZohoSimConfig, ZohoSimulator
from tests.conftest import FakeClock, Serve
from tests.unit.marketo.marketo_fakes import SleepRecorder

SANDBOX = ("127.0.0.1",)
Start = Callable[..., tuple[ZohoClient, ZohoSimulator]]


@pytest.fixture
def start(serve: Serve) -> Start:
    def build(
        config: ZohoSimConfig | None = None, cache: TokenCache | None = None, **client: Any
    ) -> tuple[ZohoClient, ZohoSimulator]:
        simulator = ZohoSimulator(seed=3, config=config)
        serve(simulator)
        return connect(simulator, cache, **client), simulator

    return build


def connect(simulator: ZohoSimulator, cache: TokenCache | None = None, **client: Any) -> ZohoClient:
    credentials = ZohoCredentials.from_secret(simulator.credentials.as_dict(), allowed_sandbox_hosts=SANDBOX)
    options: dict[str, Any] = {
        "sleep": lambda _seconds: None,
        "jitter": lambda: 0.0,
        "http": HttpPolicy(retry=RetryPolicy(base=0.01, cap=0.05, floor=0.0, max_attempts=6)),
        **client,
    }
    return ZohoClient(credentials, cache if cache is not None else InMemoryTokenCache(), **options)


def test_a_round_trip(start: Start) -> None:
    client, simulator = start()
    assert client.org()["license_details"]["paid_type"] == "professional"
    assert {m for m in ("Accounts", "Contacts", "Vendors") if client.module_available(m)} == {
        "Accounts",
        "Contacts",
        "Vendors",
    }
    assert client.fields("Accounts")["Intacct_ID"].unique
    assert client.fields("Accounts")["Parent_Account"].lookup_module == "Accounts"
    parent = {"Account_Name": "Acme Holding", "Intacct_ID": "C-1000"}
    [made] = client.upsert("Accounts", [parent], duplicate_check_fields=["Intacct_ID"])
    assert made.action == "insert"
    assert made.id is not None
    assert len(made.id) == 19
    child = {"Account_Name": "Acme Ltd", "Intacct_ID": "C-1001", "Parent_Account": {"id": made.id}}
    results = client.upsert(
        "Accounts",
        [child, {**parent, "Phone": "+44 20 7946 0000"}, {"Intacct_ID": "C-1002"}],
        duplicate_check_fields=["Intacct_ID"],
    )
    assert [(r.index, r.action, r.code) for r in results] == [
        (0, "insert", "SUCCESS"),
        (1, "update", "SUCCESS"),
        (2, "failed", "MANDATORY_NOT_FOUND"),
    ]
    assert results[1].id == made.id
    assert results[2].field == "Account_Name"
    record = client.get_record("Accounts", results[0].id or "")
    assert record is not None
    assert record["Parent_Account"]["id"] == made.id
    assert client.get_record("Accounts", "4150868000000000999") is None
    assert [r["Intacct_ID"] for r in client.search("Accounts", "(Intacct_ID:equals:C-1001)")] == ["C-1001"]
    assert client.search("Accounts", "(Intacct_ID:equals:C-9999)") == []
    read = list(client.records("Accounts", ["Account_Name", "Intacct_ID"]))
    assert {r["Intacct_ID"] for r in read} >= {"C-1000", "C-1001"}
    assert all(isinstance(r["id"], str) for r in read)
    assert simulator.tokens.mints() == 1


def test_two_containers_and_a_later_run_share_one_token(start: Start, state: ConnectionState) -> None:
    client, simulator = start(cache=StoredTokenCache(state.tokens, "zoho", AccessToken))
    client.org()
    for _ in range(3):
        connect(simulator, StoredTokenCache(state.tokens, "zoho", AccessToken)).modules()
    assert simulator.tokens.mints() == 1


def test_an_expired_token_is_replaced_once(start: Start) -> None:
    client, simulator = start()
    client.org()
    simulator.faults.add(ZohoFault.EXPIRE_TOKENS)
    assert client.modules()
    assert simulator.tokens.mints() == 2


def test_the_mint_limit_stops_the_run(start: Start) -> None:
    client, simulator = start(ZohoSimConfig(mint_limit=1))
    client.org()
    simulator.faults.add(ZohoFault.EXPIRE_TOKENS)
    with pytest.raises(TokenMintLimited, match="wait about 10 minutes"):
        client.org()


def test_an_api_domain_outside_zoho_gets_no_token(start: Start) -> None:
    client, simulator = start(ZohoSimConfig(api_domain="https://www.zohoapis.com.attacker.example"))
    with pytest.raises(ConfigurationError, match=r"attacker\.example' is not a Zoho API host"):
        client.org()
    assert simulator.tokens.mints() == 1
    assert client.calls == 1  # the grant only: nothing went to the api_domain


@pytest.mark.parametrize("listing", ["absent", "api_unsupported"])
@pytest.mark.parametrize("code", ["INVALID_MODULE", "NOT_SUPPORTED"])
def test_vendors_on_an_edition_without_them(start: Start, listing: Any, code: Any) -> None:
    config = ZohoSimConfig(edition="standard", vendors_unavailable=listing, vendors_unavailable_code=code)
    client, _ = start(config)
    assert not client.module_available("Vendors")
    assert client.module_available("Accounts")
    with pytest.raises(ModuleUnavailable) as caught:
        client.upsert("Vendors", [{"Vendor_Name": "V", "Intacct_ID": "V100"}], duplicate_check_fields=["Intacct_ID"])
    assert caught.value.module == "Vendors"


@pytest.mark.parametrize(("status", "code"), [(429, "TOO_MANY_REQUESTS"), (400, "LIMIT_REACHED")])
def test_credits_used_up(start: Start, status: int, code: str) -> None:
    config = ZohoSimConfig(credits_per_day=3, credits_exhausted_status=status, credits_exhausted_code=code)
    client, _ = start(config)
    client.org()
    client.modules()
    client.fields("Accounts")
    with pytest.raises(CreditsExhausted, match="the next run resumes"):
        client.org()


def test_ids_sent_as_numbers_stay_exact_text(start: Start) -> None:
    client, _ = start(ZohoSimConfig(ids_as="number"))
    [made] = client.upsert(
        "Accounts", [{"Account_Name": "A", "Intacct_ID": "C-1"}], duplicate_check_fields=["Intacct_ID"]
    )
    assert isinstance(made.id, str)
    record = client.get_record("Accounts", made.id or "")
    assert record is not None
    assert record["id"] == made.id


def test_older_token_replies_and_a_missing_api_domain(start: Start) -> None:
    client, simulator = start(ZohoSimConfig(legacy_expires_in_ms=True, api_domain_in_token_response=False))
    token = client.token()
    assert token.seconds_left(token.created_at) == 3600
    assert token.endpoint == simulator.base_url
    client.org()


def test_the_budget_keeps_within_the_editions_concurrency(start: Start) -> None:
    """The simulator refuses a 5th call at once with 429; the client's budget of 3 never lets it happen (a budget of
    one less than the limit: the server counts a call until it has sent the reply, the client frees its slot once it
    has it, so a call may start a moment before the server let the last one go)."""
    client, simulator = start(ZohoSimConfig(concurrency_limit=4), budget=call_budget(3))
    simulator.latency = 0.05
    client.token()
    with ThreadPoolExecutor(max_workers=8) as pool:
        list(pool.map(lambda _i: client.org(), range(16)))
    assert client.calls == 1 + 16  # no 429, no retry
    clock = FakeClock()  # the 429 pauses of the shared budget pass on this clock, not in real time
    loose = connect(simulator, budget=call_budget(8, clock=clock, sleep=SleepRecorder(clock)))  # the counter-test
    loose.token()

    def org_or_refused(_i: int) -> bool:
        try:
            loose.org()
        except RateLimited:
            return False
        return True

    with ThreadPoolExecutor(max_workers=8) as pool:
        list(pool.map(org_or_refused, range(16)))
    assert loose.calls > 1 + 16  # refused with 429 (and retried)
