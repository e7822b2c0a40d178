"""Faults (generic and Zoho's own) by operation name, call counting, the admin endpoints and Python accessors that
inspect state and set up scenarios, the seed and the credentials a connection's Zoho secret holds."""

from __future__ import annotations

from typing import Any

import pytest
import requests

from sandbox.zoho import ZohoFault, ZohoSimulator
from tests.unit.sandbox_zoho.api import Api, error, ok


def _admin(sim: ZohoSimulator, method: str, path: str, body: Any = None) -> requests.Response:
    return requests.request(method, f"{sim.base_url}/_sandbox/{path}", json=body, timeout=5)


def test_a_status_fault_by_operation_name(api: Api, sim: ZohoSimulator) -> None:
    sim.faults.add("status", status=503, match="records.upsert", times=1)
    assert api.upsert("Accounts", [{"Account_Name": "A"}]).status_code == 503
    assert sim.counts()["Accounts"] == 0, "nothing was processed"
    api.upsert_one("Accounts", {"Account_Name": "A"})
    assert sim.calls.by_name == {"oauth.token": 1, "records.upsert": 2}
    assert sim.calls.faults == {"status": 1}


def test_drop_after_commits_then_hangs_up(api: Api, sim: ZohoSimulator) -> None:
    sim.faults.add("drop_after", match="records.upsert")
    with pytest.raises(requests.ConnectionError):
        api.upsert("Accounts", [{"Account_Name": "A"}])
    assert sim.counts()["Accounts"] == 1


@pytest.mark.parametrize(
    ("kind", "status", "code"),
    [
        (ZohoFault.TOO_MANY_REQUESTS, 429, "TOO_MANY_REQUESTS"),
        (ZohoFault.CREDITS_EXHAUSTED, 429, "TOO_MANY_REQUESTS"),
        (ZohoFault.INTERNAL_ERROR, 500, "INTERNAL_ERROR"),
        (ZohoFault.INVALID_TOKEN, 401, "INVALID_TOKEN"),
        (ZohoFault.EXPIRE_TOKENS, 401, "INVALID_TOKEN"),
    ],
)
def test_zoho_faults_answer_in_zohos_envelope(api: Api, sim: ZohoSimulator, kind: str, status: int, code: str) -> None:
    sim.faults.add(kind)
    error(api.upsert("Accounts", [{"Account_Name": "A"}]), status, code)
    assert sim.counts()["Accounts"] == 0
    if kind == ZohoFault.EXPIRE_TOKENS:
        error(api.get("/org"), 401, "INVALID_TOKEN")  # the tokens stay expired
        api.login()
    ok(api.get("/org"))  # one time only


def test_accounts_server_faults_leave_the_api_alone(api: Api, sim: ZohoSimulator) -> None:
    sim.faults.add(ZohoFault.ACCESS_DENIED)
    sim.faults.add(ZohoFault.TOKEN_ERROR, body="invalid_client")
    ok(api.get("/org"))
    assert ok(api.mint())["error"] == "Access Denied"
    assert ok(api.mint()) == {"error": "invalid_client"}
    assert "access_token" in ok(api.mint())


def test_records_through_the_admin_endpoints(api: Api, sim: ZohoSimulator) -> None:
    parent = api.upsert_one("Accounts", {"Account_Name": "Parent", "Intacct_ID": "P"})["details"]["id"]
    added = _admin(sim, "POST", "records/Accounts", {"records": [{"Account_Name": "Child", "Parent_Account": parent}]})
    child = added.json()["records"][0]
    assert added.status_code == 201
    assert child["Parent_Account"] == parent
    listed = _admin(sim, "GET", "records/Accounts").json()["records"]
    assert [record["Account_Name"] for record in listed] == ["Parent", "Child"]
    assert _admin(sim, "GET", "counts").json() == {"Accounts": 2, "Contacts": 0, "Vendors": 0}
    patched = _admin(sim, "PATCH", f"records/Accounts/{parent}", {"Phone": "555"}).json()["record"]
    assert patched["Phone"] == "555"
    assert _admin(sim, "DELETE", f"records/Accounts/{parent}").json() == {"deleted": parent}
    assert sim.record("Accounts", child["id"])["Parent_Account"] is None  # type: ignore[index]
    assert _admin(sim, "GET", f"records/Accounts/{parent}").status_code == 404
    assert _admin(sim, "POST", "records/Accounts", {"records": [{"Nope": 1}]}).status_code == 400


def test_records_through_the_accessors(api: Api, sim: ZohoSimulator) -> None:
    account = sim.add_record("Accounts", {"Account_Name": "Acme", "Intacct_ID": "C-1"})
    contact = sim.add_record("Contacts", {"Last_Name": "Lee", "Account_Name": account})
    assert sim.record_by("Accounts", "Intacct_ID", "C-1")["id"] == account  # type: ignore[index]
    assert sim.record("Contacts", contact)["Account_Name"] == account  # type: ignore[index]
    sim.clock.advance(10)
    assert (
        sim.update_record("Accounts", account, {"Account_Name": "Acme Ltd"})["Modified_Time"]
        == "2026-03-10T12:00:10+00:00"
    )
    shown = ok(api.get(f"/Contacts/{contact}"))["data"][0]["Account_Name"]
    assert shown == {"name": "Acme Ltd", "id": account}
    with pytest.raises(ValueError, match="Department"):
        sim.add_record("Accounts", {"Account_Name": "B", "Department": "Nope"})
    with pytest.raises(KeyError):
        sim.update_record("Accounts", "1", {"Phone": "1"})


def test_fields_and_options_through_the_admin_endpoints(api: Api, sim: ZohoSimulator) -> None:
    added = _admin(sim, "POST", "fields/Accounts", {"api_name": "Region", "data_type": "picklist", "options": ["East"]})
    assert added.status_code == 201
    assert added.json()["field"]["options"] == ["East"]
    option = _admin(sim, "POST", "fields/Accounts/Region/options", {"value": "West"})
    assert option.json()["field"]["options"] == ["East", "West"]
    api.upsert_one("Accounts", {"Account_Name": "A", "Region": "West"})
    names = [field["api_name"] for field in _admin(sim, "GET", "fields/Accounts").json()["fields"]]
    assert names[-1] == "Region"
    assert "Intacct_ID" in names
    assert _admin(sim, "POST", "fields/Accounts", {"api_name": "Bad__Name"}).status_code == 400
    assert _admin(sim, "POST", "fields/Accounts/Phone/options", {"value": "x"}).status_code == 400


def test_edition_credits_tokens_and_config_through_the_admin_endpoints(api: Api, sim: ZohoSimulator) -> None:
    assert _admin(sim, "POST", "edition", {"edition": "standard"}).json() == {
        "edition": "standard",
        "vendors_available": False,
        "concurrency": 10,
        "credits_per_day": 50_750,
    }
    error(api.get("/settings/fields", {"module": "Vendors"}), 400, "INVALID_MODULE")
    assert _admin(sim, "POST", "edition", {"edition": "platinum"}).status_code == 400
    assert _admin(sim, "POST", "credits", {"remaining": 0}).json()["remaining"] == 0
    error(api.get("/org"), 429, "TOO_MANY_REQUESTS")
    assert _admin(sim, "POST", "credits/reset").json()["used"] == 0
    assert _admin(sim, "GET", "tokens").json() == {"minted": 1, "live": 1, "grants": 1, "revoked": 0}
    refresh = _admin(sim, "POST", "refresh-tokens", {"scopes": ["ZohoCRM.org.READ"]}).json()["refresh_token"]
    assert "access_token" in ok(api.mint(refresh_token=refresh))
    config = _admin(sim, "PATCH", "config", {"mint_limit": 2, "api_domain": "https://www.zohoapis.com"}).json()
    assert (config["mint_limit"], config["api_domain"]) == (2, "https://www.zohoapis.com")
    assert "client_secret" not in config
    assert "refresh_token" not in config
    assert "access_token" in ok(api.mint())  # the second of this refresh token's two
    assert ok(api.mint())["error"] == "Access Denied"
    assert _admin(sim, "POST", "tokens/mint-window/reset").json()["minted"] == 3
    assert ok(api.mint())["api_domain"] == "https://www.zohoapis.com"
    assert _admin(sim, "PATCH", "config", {"mint_limit": "many"}).status_code == 400
    assert _admin(sim, "PATCH", "config", {"client_secret": "x"}).status_code == 400
    assert _admin(sim, "PATCH", "config", {"ids_as": "float"}).status_code == 400
    assert _admin(sim, "PATCH", "config", {"accept_bearer": 1}).status_code == 400
    patched = _admin(sim, "PATCH", "config", {"credits_per_day": None, "ids_as": "number", "token_lifetime_s": 60})
    assert (patched.json()["ids_as"], patched.json()["token_lifetime_s"]) == ("number", 60)


def test_the_request_journal_keeps_api_bodies_but_no_secrets(api: Api, sim: ZohoSimulator) -> None:
    api.upsert_one("Accounts", {"Account_Name": "A"})
    entries = _admin(sim, "GET", "requests").json()["requests"]
    assert [(entry["method"], entry["path"]) for entry in entries] == [
        ("POST", "/oauth/v2/token"),
        ("POST", "/crm/v8/Accounts/upsert"),
    ]
    assert entries[0]["body"] == ""
    assert '"Account_Name": "A"' in entries[1]["body"]
    assert api.token not in str(entries)
    assert _admin(sim, "DELETE", "requests").json() == {"requests": []}


def test_seed_and_credentials(sim: ZohoSimulator) -> None:
    secret = sim.credentials.as_dict()
    assert set(secret) == {"client_id", "client_secret", "refresh_token", "accounts_url", "data_centre"}
    assert sim.credentials.public == {"accounts_url": sim.base_url, "data_centre": "US"}
    assert secret["client_id"].startswith("1000.")
    assert secret["refresh_token"].startswith("1000.")
    assert secret["client_secret"] not in repr(sim.credentials)
    assert sim.counts() == {"Accounts": 0, "Contacts": 0, "Vendors": 0}
    assert ZohoSimulator(seed=4).db.user_id == sim.db.user_id
    assert ZohoSimulator(seed=5).db.user_id != sim.db.user_id
    assert sim.name == "zoho"
    assert sim.api_url == sim.base_url + "/crm/v8"
