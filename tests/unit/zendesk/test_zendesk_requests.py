"""Golden requests for organizations and users: show_many by external ids in batches of 100 (case-insensitive),
create_many, update_many in batch form, search by name and the name-taken rule, organization fields, users'
create_or_update_many."""

from __future__ import annotations

from typing import Any

import pytest

from mlconnector.rotating_tokens import InMemoryTokenPairs
from mlconnector.systems.zendesk.errors import NameTaken
from tests.conftest import FakeClock
from tests.unit.zendesk.zendesk_fakes import Call, FakeZendesk, make


@pytest.fixture
def fake(clock: FakeClock) -> FakeZendesk:
    fake = FakeZendesk(clock)
    job = {"job_status": {"id": "j1", "status": "queued", "url": "https://acme.zendesk.com/api/v2/job_statuses/j1"}}
    fake.handlers[("POST", "/organizations/create_many")] = lambda _call: job
    fake.handlers[("PUT", "/organizations/update_many")] = lambda _call: job
    fake.handlers[("POST", "/users/create_or_update_many")] = lambda _call: job
    return fake


def test_organizations_by_external_ids_asks_in_batches_of_100_and_matches_case_insensitively(fake: FakeZendesk) -> None:
    def show_many(call: Call) -> Any:
        wanted = call.params["external_ids"].split(",")
        return {"organizations": [{"id": i, "external_id": e.upper()} for i, e in enumerate(wanted) if e != "c-7"]}

    fake.handlers[("GET", "/organizations/show_many")] = show_many
    client, _ = make(fake)
    ids = [f"c-{i}" for i in range(150)] + ["C-1"]  # C-1 is c-1 to Zendesk: asked once
    found = client.organizations_by_external_ids(ids)
    calls = fake.api_calls("/organizations/show_many")
    assert [len(c.params["external_ids"].split(",")) for c in calls] == [100, 50]
    assert calls[0].request.url == "https://acme.zendesk.com/api/v2/organizations/show_many"
    assert "c-7" not in found
    assert found["c-1"]["external_id"] == "C-1"
    assert found["C-1"] is found["c-1"]
    assert len(found) == 150
    with pytest.raises(ValueError, match="without commas"):
        client.organizations_by_external_ids(["a,b"])


def test_create_organizations_posts_create_many(fake: FakeZendesk) -> None:
    client, _ = make(fake)
    orgs = [{"name": "Acme", "external_id": "C-1", "organization_fields": {"intacct_id": "C-1"}}]
    job = client.create_organizations(orgs)
    [call] = fake.api_calls("/organizations/create_many")
    assert call.method == "POST"
    assert call.json == {"organizations": orgs}
    assert call.request.headers["Content-Type"] == "application/json"
    assert (job.id, job.status, job.done) == ("j1", "queued", False)
    with pytest.raises(ValueError, match="at most 100"):
        client.create_organizations([{"name": str(i)} for i in range(101)])
    with pytest.raises(ValueError, match="needs a name"):
        client.create_organizations([{"external_id": "x"}])


def test_update_organizations_puts_the_batch_form_with_ids(fake: FakeZendesk) -> None:
    client, _ = make(fake)
    client.update_organizations([{"id": 11, "name": "A"}, {"id": 12, "notes": "n"}])
    [call] = fake.api_calls("/organizations/update_many")
    assert call.method == "PUT"
    assert call.params == {}
    assert call.json == {"organizations": [{"id": 11, "name": "A"}, {"id": 12, "notes": "n"}]}
    with pytest.raises(ValueError, match="needs its Zendesk id"):
        client.update_organizations([{"external_id": "C-1", "name": "A"}])


def test_search_by_name_and_a_name_taken_by_another_organization(fake: FakeZendesk) -> None:
    held = {"id": 77, "name": "Acme ", "external_id": None}
    fake.handlers[("GET", "/organizations/search")] = lambda call: {
        "organizations": [held] if call.params["name"].lower() == "acme" else [],
        "count": 1,
    }
    pairs = InMemoryTokenPairs(fake.clock)  # one store: the second client must not send the rotated-away token
    client, _ = make(fake, pairs)
    assert client.search_organization_by_name("ACME") == held
    assert fake.api_calls("/organizations/search")[0].params == {"name": "ACME"}
    assert client.search_organization_by_name("Beta") is None
    assert client.organization_for_name("Beta", "C-2") is None
    with pytest.raises(NameTaken, match="already taken by organization 77") as caught:
        client.organization_for_name("acme", "C-1")
    assert caught.value.organization_id == 77
    adopting, _ = make(fake, pairs, adopt_by_name=True)
    assert adopting.organization_for_name("acme", "C-1") == held


def test_organization_fields_are_read_by_key(fake: FakeZendesk) -> None:
    fake.handlers[("GET", "/organization_fields")] = lambda _call: {
        "organization_fields": [
            {"id": 1, "key": "intacct_id", "type": "text", "title": "Intacct ID", "active": True},
            {
                "id": 2,
                "key": "tier",
                "type": "dropdown",
                "title": "Tier",
                "active": False,
                "custom_field_options": [{"name": "Gold", "value": "gold"}],
            },
        ]
    }
    client, _ = make(fake)
    fields = client.organization_fields()
    assert [(f.key, f.type, f.active, f.options) for f in fields] == [
        ("intacct_id", "text", True, ()),
        ("tier", "dropdown", False, ("gold",)),
    ]


def test_users_are_created_or_updated_in_one_job(fake: FakeZendesk) -> None:
    client, _ = make(fake)
    users = [{"email": "a@x.example", "name": "A"}, {"external_id": "U-2", "name": "B"}]
    assert client.create_or_update_users(users).id == "j1"
    [call] = fake.api_calls("/users/create_or_update_many")
    assert (call.method, call.json) == ("POST", {"users": users})
    with pytest.raises(ValueError, match="email or an external_id"):
        client.create_or_update_users([{"name": "nobody"}])
