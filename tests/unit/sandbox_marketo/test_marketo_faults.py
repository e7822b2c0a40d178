"""Fault injection (Marketo error codes, expired tokens, generic HTTP faults) and the admin endpoints."""

from __future__ import annotations

import requests

from sandbox.marketo import MarketoSimulator
from sandbox.registry import start_all
from tests.unit.sandbox_marketo.api import Api, error_codes

COMPANY = [{"externalCompanyId": "V1", "company": "One"}]


def test_injected_error_codes_refuse_n_calls_without_executing(api: Api, sim: MarketoSimulator) -> None:
    sim.inject_error("606", times=2, match="companies.sync")
    sim.inject_error("604")
    first = api.post("/rest/v1/companies.json", {"input": COMPANY})
    assert error_codes(first) == ["606"]
    assert error_codes(api.get("/rest/v1/leads/describe.json")) == ["604"]
    assert error_codes(api.post("/rest/v1/companies.json", {"input": COMPANY})) == ["606"]
    assert sim.companies == {}
    assert api.sync_companies(COMPANY)[0]["status"] == "created"
    assert sim.usage()["window"] == 1


def test_marketo_rules_are_not_used_up_by_identity_calls(api: Api, sim: MarketoSimulator) -> None:
    sim.inject_error("611")
    sim.faults.add("api_error", body="713")
    api.login()
    assert error_codes(api.get("/rest/v1/leads/describe.json")) == ["611"]
    assert error_codes(api.get("/rest/v1/leads/describe.json")) == ["713"]
    assert api.ok(api.get("/rest/v1/leads/describe.json"))


def test_expire_tokens_fault_answers_602(api: Api, sim: MarketoSimulator) -> None:
    sim.faults.add("expire_tokens", match="leads.sync")
    assert error_codes(api.post("/rest/v1/leads.json", {"input": [{"email": "a@x.example"}]})) == ["602"]
    assert sim.leads == {}
    api.login()
    assert api.sync_leads([{"email": "a@x.example"}])[0]["status"] == "created"


def test_generic_faults_apply(api: Api, sim: MarketoSimulator) -> None:
    sim.faults.add("status", status=502, match="companies.sync")
    sim.faults.add("status_after_commit", match="companies.sync")
    assert api.post("/rest/v1/companies.json", {"input": COMPANY}).status_code == 502
    assert sim.companies == {}
    assert api.post("/rest/v1/companies.json", {"input": COMPANY}).status_code == 524
    assert set(sim.companies) == {"V1"}


def test_admin_endpoints(api: Api, sim: MarketoSimulator) -> None:
    base = sim.base_url + "/_sandbox"
    seeded = requests.post(base + "/companies", json={"records": COMPANY}, timeout=10)
    assert seeded.status_code == 201
    requests.post(base + "/leads", json={"records": [{"email": "a@x.example", "externalCompanyId": "V1"}]}, timeout=10)
    assert requests.get(base + "/companies", timeout=10).json()["total"] == 1
    assert requests.get(base + "/leads/A@x.example", timeout=10).json()["record"]["company"] == "One"
    sim.clock.advance(60)
    edited = requests.patch(base + "/companies/V1", json={"fields": {"company": "Renamed"}}, timeout=10).json()
    assert edited["record"]["updatedAt"] > seeded.json()["records"][0]["updatedAt"]
    assert requests.patch(base + "/companies/V9", json={"fields": {}}, timeout=10).status_code == 404
    rule = requests.post(base + "/faults", json={"kind": "rate_limit", "times": 1}, timeout=10).json()["rules"][0]
    assert rule["path"] == "/rest/*"
    assert error_codes(api.get("/rest/v1/leads/describe.json")) == ["606"]
    assert requests.post(base + "/tokens/expire", timeout=10).json() == {"expired": 1}
    config = requests.patch(
        base + "/config",
        json={"crm_enabled": True, "lead_custom_fields": [{"name": "score2", "dataType": "integer"}]},
        timeout=10,
    ).json()
    assert config["crm_enabled"] is True
    assert "client_secret" not in config
    assert sim.config.lead_custom_fields[0].name == "score2"
    assert requests.patch(base + "/config", json={"client_secret": "x"}, timeout=10).status_code == 400
    assert requests.patch(base + "/config", json={"unknown_company_mode": "maybe"}, timeout=10).status_code == 400


def test_registered_in_the_sandbox() -> None:
    with start_all(seed=1, size=5) as sandbox:
        sim = sandbox.simulators["marketo"]
        assert isinstance(sim, MarketoSimulator)
        creds = sandbox.credentials["marketo"].as_dict()
        assert creds["base_url"] == sandbox.urls["marketo"]
        assert creds["munchkin_id"] == "123-ABC-456"
        token = requests.get(
            creds["base_url"] + "/identity/oauth/token",
            params={
                "grant_type": "client_credentials",
                "client_id": creds["client_id"],
                "client_secret": creds["client_secret"],
            },
            timeout=10,
        )
        assert token.status_code == 200
        assert sim.companies == {}
