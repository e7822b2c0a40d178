"""zenpy 2.0.57, unchanged, against the Zendesk simulator: organizations' bulk jobs and job statuses, show_many by
external ids, search, users' create_or_update_many, the cursor-based incremental ticket export, tickets' show_many,
rate limiting (zenpy's own Retry-After sleep, or its budget exception), errors as zenpy's exceptions."""

from __future__ import annotations

import time
from typing import Any

import pytest
from zenpy import Zenpy
from zenpy.lib.api_objects import JobStatus, Organization, User
from zenpy.lib.exception import APIException, RatelimitBudgetExceeded, RecordNotFoundException

from sandbox.zendesk import ZendeskSimulator
from tests.contract.zendesk.conftest import START, MakeClient


def _finish(zenpy: Zenpy, job: JobStatus) -> Any:
    """Poll as a zenpy user does: job_status(id=...) until completed."""
    for _ in range(5):
        status = zenpy.job_status(id=job.id)
        if status.status == "completed":
            return status
    raise AssertionError(f"job {job.id} never completed")


def test_create_many_returns_a_job_that_completes_with_ids(zenpy: Zenpy, sim: ZendeskSimulator) -> None:
    job = zenpy.organizations.create(
        [Organization(name="Acme Supply", external_id="V100"), Organization(name="Beta Parts", external_id="V101")]
    )
    assert isinstance(job, JobStatus)
    assert job.status == "queued"
    assert zenpy.job_status(id=job.id).status == "working"
    done = _finish(zenpy, job)
    acme, beta = sim.organization_by_external_id("V100"), sim.organization_by_external_id("V101")
    assert acme is not None
    assert beta is not None
    assert [(row.id, row.index) for row in done.results] == [(acme["id"], 0), (beta["id"], 1)]
    assert sim.calls.count("organizations.create_many") == 1


def test_update_many_batch_form_and_show_many_by_external_ids(zenpy: Zenpy, sim: ZendeskSimulator) -> None:
    _finish(
        zenpy, zenpy.organizations.create([Organization(name=f"Org {n}", external_id=f"V{100 + n}") for n in range(3)])
    )
    found = list(zenpy.organizations(external_ids=["v100", "V102", "V999"]))
    assert sorted(org.external_id for org in found) == ["V100", "V102"]
    for org in found:
        org.notes = "synced"
    job = zenpy.organizations.update(found)  # PUT organizations/update_many.json {"organizations": [{id, ...}]}
    assert isinstance(job, JobStatus)
    results = _finish(zenpy, job).results
    assert sorted(row.id for row in results) == sorted(org.id for org in found)
    assert {row.status for row in results} == {"Updated"}
    assert {(org["external_id"], org["notes"]) for org in sim.organizations().values()} == {
        ("V100", "synced"),
        ("V101", None),
        ("V102", "synced"),
    }
    assert sim.calls.count("organizations.update_many") == 1


def test_search_organizations(zenpy: Zenpy, sim: ZendeskSimulator) -> None:
    sim.add_organization({"name": "Acme Supply", "external_id": "V100"})
    found = list(zenpy.search(type="organization", name="Acme Supply"))
    assert [org.external_id for org in found] == ["V100"]
    assert list(zenpy.search(type="organization", name="Nobody")) == []


def test_organizations_external_sends_a_malformed_query(zenpy: Zenpy, sim: ZendeskSimulator) -> None:
    """zenpy's ``organizations.external`` appends ``?page[size]=100`` to a path that already holds ``?external_id=``
    (zenpy#542): the external id Zendesk receives is ``V100?page[size]=100`` and nothing matches. A client must call
    ``/organizations/search?external_id=`` itself or use show_many."""
    sim.add_organization({"name": "Acme Supply", "external_id": "V100"})
    assert list(zenpy.organizations.external("V100")) == []
    assert [org.name for org in zenpy.organizations(external_id="V100")] == ["Acme Supply"]


def test_create_or_update_single_org(zenpy: Zenpy, sim: ZendeskSimulator) -> None:
    created = zenpy.organizations.create_or_update(Organization(name="Acme", external_id="V100"))
    updated = zenpy.organizations.create_or_update(Organization(name="Acme Inc", external_id="v100"))
    assert created.id == updated.id
    assert updated.name == "Acme Inc"
    assert sim.counts()["organizations"] == 1


def test_organization_fields_by_key(zenpy: Zenpy, sim: ZendeskSimulator) -> None:
    sim.add_organization_field("intacct_vendor_id", "text", "Intacct vendor id")
    assert [field.key for field in zenpy.organization_fields()] == ["intacct_vendor_id"]
    org = zenpy.organizations.create(Organization(name="Acme", organization_fields={"intacct_vendor_id": "V100"}))
    assert org.organization_fields == {"intacct_vendor_id": "V100"}


def test_users_create_or_update_many(zenpy: Zenpy, sim: ZendeskSimulator) -> None:
    org = sim.add_organization({"name": "Acme", "external_id": "V100"})
    existing = zenpy.users.create_or_update(User(name="Ann", email="ann@acme.example"))
    job = zenpy.users.create_or_update(
        [
            User(name="Ann Lee", email="ANN@acme.example", organization_id=org["id"]),
            User(name="Bob", email="bob@acme.example", external_id="VC-7"),
        ]
    )
    assert isinstance(job, JobStatus)
    results = _finish(zenpy, job).results
    assert [(row.index, row.status) for row in results] == [(0, "Updated"), (1, "Created")]
    assert results[0].id == existing.id
    ann = sim.user_by_email("ann@acme.example")
    assert ann is not None
    assert ann["organization_id"] == org["id"]
    assert sim.calls.count("users.create_or_update_many") == 1


def test_incremental_cursor_export_follows_after_url_until_end_of_stream(
    zenpy: Zenpy, sim: ZendeskSimulator, make_client: MakeClient
) -> None:
    sim.add_organization({"name": "Acme", "external_id": "V100"})
    ids = [sim.add_ticket(organization_external_id="V100", requester_email="ap@acme.example") for _ in range(1_500)]
    sim.clock.advance(61)
    client = make_client()  # a token minted on the advanced clock
    export = client.tickets.incremental(start_time=int(START.timestamp()) - 60)
    seen = [ticket.id for ticket in export]
    assert seen == ids
    assert export.end_of_stream is True
    assert sim.calls.count("incremental.tickets") == 2  # 1,000 + 500, then zenpy stops on end_of_stream
    cursor = export.after_cursor
    sim.update_ticket(ids[7], status="solved")
    sim.delete_ticket(ids[8])
    sim.clock.advance(61)
    client = make_client()
    changed = client.tickets.incremental(cursor=cursor)
    assert [(ticket.id, ticket.status) for ticket in changed] == [(ids[7], "solved"), (ids[8], "deleted")]


def test_tickets_show_many(zenpy: Zenpy, sim: ZendeskSimulator) -> None:
    sim.add_organization({"name": "Acme", "external_id": "V100"})
    ids = [sim.add_ticket(organization_external_id="V100", subject=f"T{n}") for n in range(3)]
    tickets = list(zenpy.tickets(ids=ids))
    assert [(ticket.id, ticket.subject) for ticket in tickets] == [(ids[0], "T0"), (ids[1], "T1"), (ids[2], "T2")]
    assert sim.calls.count("tickets.show_many") == 1


def test_a_429_is_retried_by_zenpy_after_retry_after(zenpy: Zenpy, sim: ZendeskSimulator) -> None:
    sim.faults.add("rate_limited", seconds=1, match="organizations.show_many")
    sim.add_organization({"name": "Acme", "external_id": "V100"})
    began = time.monotonic()
    found = list(zenpy.organizations(external_ids=["V100"]))
    assert [org.name for org in found] == ["Acme"]
    assert time.monotonic() - began >= 1.0  # zenpy slept Retry-After
    assert sim.calls.count("organizations.show_many") == 2
    assert sim.calls.faults == {"rate_limited": 1}


def test_incremental_limit_surfaces_with_a_rate_limit_budget(make_client: MakeClient, sim: ZendeskSimulator) -> None:
    client = make_client(ratelimit_budget=0)  # raise instead of sleeping (what a Lambda wants)
    for _ in range(10):
        list(client.tickets.incremental(start_time=0))
    with pytest.raises(RatelimitBudgetExceeded):
        list(client.tickets.incremental(start_time=0))
    assert sim.calls.count("incremental.tickets") == 11


def test_a_409_conflict_is_an_api_exception(zenpy: Zenpy, sim: ZendeskSimulator) -> None:
    sim.faults.add("conflict", match="organizations.create")
    with pytest.raises(APIException) as raised:
        zenpy.organizations.create(Organization(name="Acme"))
    assert raised.value.response.status_code == 409


def test_missing_record_and_api_token_auth(make_client: MakeClient, sim: ZendeskSimulator) -> None:
    client = make_client(email=sim.config.email, token=sim.config.api_token)
    assert client.users.me().role == "admin"
    with pytest.raises(RecordNotFoundException):
        client.organizations(id=404)
    refused = make_client(email=sim.config.email, token="wrong")
    with pytest.raises(APIException) as raised:
        refused.users.me()
    assert raised.value.response.status_code == 401
