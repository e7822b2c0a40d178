"""Faults (generic and Zendesk's: 429 with Retry-After, 409, JSON 5xx, expired tokens), admin endpoints, the seeded
account and the call names."""

from __future__ import annotations

import requests

from sandbox.zendesk import ZendeskSimConfig, ZendeskSimulator
from tests.unit.sandbox_zendesk.api import Api
from tests.unit.sandbox_zendesk.conftest import StartZendesk


def test_rate_limited_fault(api: Api, sim: ZendeskSimulator) -> None:
    sim.faults.add("rate_limited", seconds=7, times=1)
    refused = api.get("/users/me")
    assert refused.status_code == 429
    assert refused.headers["Retry-After"] == "7"
    assert api.get("/users/me").status_code == 200
    sim.faults.add("rate_limited")
    assert (
        api.get("/incremental/tickets/cursor", start_time=0)
        .json()["description"]
        .startswith("Number of allowed incremental export")
    )


def test_conflict_and_server_error_faults_match_by_call_name(api: Api, sim: ZendeskSimulator) -> None:
    sim.faults.add("conflict", match="organizations.create")
    sim.faults.add("server_error", status=503, match="organizations.show_many")
    assert api.call("POST", "/organizations", {"organization": {"name": "A"}}).status_code == 409
    assert sim.counts()["organizations"] == 0
    failed = api.get("/organizations/show_many", ids="1")
    assert failed.status_code == 503
    assert failed.json()["error"] == "InternalError"
    assert api.call("POST", "/organizations", {"organization": {"name": "A"}}).status_code == 201


def test_faults_through_the_admin_endpoint_and_generic_kinds(api: Api, sim: ZendeskSimulator) -> None:
    added = requests.post(sim.base_url + "/_sandbox/faults", json={"kind": "status", "status": 502}, timeout=5)
    assert added.status_code == 201
    assert api.get("/users/me").status_code == 502
    kinds = requests.get(sim.base_url + "/_sandbox/faults", timeout=5).json()["kinds"]
    assert {"rate_limited", "conflict", "server_error", "expire_tokens", "drop_after"} <= set(kinds)


def test_zendesk_faults_leave_the_token_endpoint_alone(api: Api, sim: ZendeskSimulator) -> None:
    sim.faults.add("server_error", times=None)
    secret = sim.credentials.as_dict()
    token = requests.post(
        sim.base_url + "/oauth/tokens",
        json={
            "grant_type": "refresh_token",
            "client_id": secret["client_id"],
            "client_secret": secret["client_secret"],
            "refresh_token": secret["refresh_token"],
        },
        timeout=5,
    )
    assert token.status_code == 200


def test_expire_tokens_fault(api: Api, sim: ZendeskSimulator) -> None:
    sim.faults.add("expire_tokens")
    assert api.get("/users/me").status_code == 401
    assert requests.post(sim.base_url + "/_sandbox/tokens/expire", timeout=5).json() == {"expired": 0}


def test_call_names_are_counted(api: Api, sim: ZendeskSimulator) -> None:
    api.call("POST", "/organizations/create_many.json", {"organizations": [{"name": "A"}]})
    api.get("/organizations/show_many", external_ids="x")
    api.get("/incremental/tickets/cursor.json", start_time=0)
    counted = sim.calls.by_name
    assert counted["organizations.create_many"] == 1
    assert counted["organizations.show_many"] == 1
    assert counted["incremental.tickets"] == 1


def test_admin_records_and_config(api: Api, sim: ZendeskSimulator) -> None:
    base = sim.base_url + "/_sandbox"
    org = requests.post(
        base + "/organizations", json={"organization": {"name": "Acme", "external_id": "V100"}}, timeout=5
    )
    assert org.status_code == 201
    assert requests.post(base + "/organizations", json={"organization": {"name": "acme"}}, timeout=5).status_code == 400
    ticket = requests.post(
        base + "/tickets",
        json={"organization_external_id": "V100", "requester_email": "a@b.example", "subject": "Hi", "priority": "low"},
        timeout=5,
    ).json()["ticket"]
    assert ticket["priority"] == "low"
    assert ticket["organization_id"] == org.json()["organization"]["id"]
    sim.clock.advance(10)
    patched = requests.patch(f"{base}/tickets/{ticket['id']}", json={"status": "open"}, timeout=5).json()["ticket"]
    assert patched["status"] == "open"
    assert patched["updated_at"] == "2026-03-10T12:00:40Z"
    assert requests.patch(f"{base}/tickets/{ticket['id']}", json={"status": "nope"}, timeout=5).status_code == 400
    deleted = requests.delete(f"{base}/tickets/{ticket['id']}", timeout=5).json()["ticket"]
    assert deleted["status"] == "deleted"
    counts = requests.get(base + "/counts", timeout=5).json()
    assert counts == {"organizations": 1, "users": 2, "tickets": 1, "deleted_tickets": 1, "jobs": 0}
    assert len(requests.get(base + "/users", timeout=5).json()["users"]) == 2
    field = requests.post(
        base + "/organization_fields", json={"key": "tier", "type": "dropdown", "options": ["a"]}, timeout=5
    )
    assert field.status_code == 201
    config = requests.get(base + "/config", timeout=5).json()
    assert "client_secret" not in config
    assert "api_token" not in config
    assert config["job_limit"] == 30
    changed = requests.patch(base + "/config", json={"incremental_per_minute": 30, "export_exclusion_s": 0}, timeout=5)
    assert changed.json()["incremental_per_minute"] == 30
    assert sim.config.export_exclusion_s == 0.0
    for bad in ({"incremental_per_minute": "x"}, {"signature_order": "nope"}, {"api_token": "x"}, {"nope": 1}):
        assert requests.patch(base + "/config", json=bad, timeout=5).status_code == 400
    assert requests.patch(base + "/config", json={"signature_order": "body_timestamp"}, timeout=5).status_code == 200


def test_seeded_account(start_zendesk: StartZendesk) -> None:
    sim = start_zendesk(size=10)
    counts = sim.counts()
    assert counts == {"organizations": 0, "users": 11, "tickets": 10, "deleted_tickets": 0, "jobs": 0}
    assert all(ticket["organization_id"] is None for ticket in sim.tickets().values())
    again = start_zendesk(size=10)
    assert [t["subject"] for t in again.tickets().values()] == [t["subject"] for t in sim.tickets().values()]
    with_vendors = start_zendesk(config=ZendeskSimConfig(vendor_tickets=3, background_tickets_per_size=0), size=10)
    orgs = sorted(org["external_id"] for org in with_vendors.organizations().values())
    assert orgs == ["V100", "V101", "V102"]
    assert all(ticket["organization_id"] is not None for ticket in with_vendors.tickets().values())
