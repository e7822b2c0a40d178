"""Bulk jobs: create_many and update_many for organizations, users' create_or_update_many; statuses moving queued ->
working -> completed across polls, the result shapes, show_many, the one-day retention, the job limit, 100 items."""

from __future__ import annotations

from typing import Any

import requests

from sandbox.zendesk import ZendeskSimConfig, ZendeskSimulator
from tests.unit.sandbox_zendesk.api import Api
from tests.unit.sandbox_zendesk.conftest import StartZendesk


def _create_many(api: Api, orgs: list[dict[str, Any]]) -> dict[str, Any]:
    response = api.call("POST", "/organizations/create_many.json", {"organizations": orgs})
    assert response.status_code == 200, response.text
    job: dict[str, Any] = response.json()["job_status"]
    return job


def test_create_many_moves_through_its_states_and_reports_id_and_index(api: Api, sim: ZendeskSimulator) -> None:
    job = _create_many(api, [{"name": "Acme", "external_id": "V100"}, {"name": "acme"}, {"name": "Beta"}])
    assert job["status"] == "queued"
    assert job["results"] is None
    assert job["total"] == 3
    assert job["url"] == f"{sim.base_url}/api/v2/job_statuses/{job['id']}.json"
    assert sim.counts()["organizations"] == 0  # nothing is written before the job runs
    working = api.get(f"/job_statuses/{job['id']}.json").json()["job_status"]
    assert working["status"] == "working"
    assert working["results"] is None
    done = api.get(f"/job_statuses/{job['id']}").json()["job_status"]
    assert done["status"] == "completed"
    assert done["progress"] == 3
    acme, beta = sim.organization_by_external_id("V100"), sim.organizations()
    assert acme is not None
    results = done["results"]
    assert results[0] == {"id": acme["id"], "index": 0}
    assert results[1]["index"] == 1
    assert results[1]["status"] == "Failed"
    assert results[1]["error"] == "OrganizationCreateFailed"
    assert "already been taken" in results[1]["details"]
    assert results[2]["index"] == 2
    assert results[2]["id"] in beta


def test_polls_per_step(start_zendesk: StartZendesk) -> None:
    sim = start_zendesk(config=ZendeskSimConfig(polls_per_step=2))
    api = Api(sim, sim.access_token())
    job = _create_many(api, [{"name": "Acme"}])
    states = [api.get(f"/job_statuses/{job['id']}").json()["job_status"]["status"] for _ in range(4)]
    assert states == ["queued", "working", "working", "completed"]


def test_update_many_batch_form_by_id(api: Api, sim: ZendeskSimulator) -> None:
    api.finish(_create_many(api, [{"name": "Acme", "external_id": "V100"}, {"name": "Beta", "external_id": "V101"}]))
    acme, beta = (sim.organization_by_external_id(key) for key in ("V100", "V101"))
    assert acme is not None
    assert beta is not None
    body = {"organizations": [{"id": acme["id"], "notes": "a"}, {"id": beta["id"], "name": "Acme"}, {"id": 5}]}
    response = api.call("PUT", "/organizations/update_many.json", body)
    results = api.finish(response.json()["job_status"])["results"]
    assert results[0] == {"id": acme["id"], "action": "update", "success": True, "status": "Updated"}
    assert results[1]["success"] is False
    assert results[1]["status"] == "Failed"
    assert results[1]["index"] == 1
    assert results[2]["error"] == "RecordNotFound"
    assert results[2]["id"] == 5
    assert sim.organization(acme["id"]) is not None
    assert (sim.organization(acme["id"]) or {})["notes"] == "a"


def test_update_many_batch_by_external_id_is_a_knob(start_zendesk: StartZendesk) -> None:
    for allowed in (False, True):
        sim = start_zendesk(config=ZendeskSimConfig(batch_update_by_external_id=allowed))
        api = Api(sim, sim.access_token())
        sim.add_organization({"name": "Acme", "external_id": "V100"})
        body = {"organizations": [{"external_id": "v100", "notes": "changed"}]}
        results = api.finish(api.call("PUT", "/organizations/update_many", body).json()["job_status"])["results"]
        assert results[0]["success"] is allowed
        assert ((sim.organization_by_external_id("V100") or {})["notes"] == "changed") is allowed


def test_update_many_bulk_form_by_ids_or_external_ids(api: Api, sim: ZendeskSimulator) -> None:
    first = sim.add_organization({"name": "Acme", "external_id": "V100"})
    sim.add_organization({"name": "Beta", "external_id": "V101"})
    by_ids = api.call("PUT", f"/organizations/update_many.json?ids={first['id']}", {"organization": {"notes": "x"}})
    api.finish(by_ids.json()["job_status"])
    by_external = api.call(
        "PUT", "/organizations/update_many?external_ids=V100,v101", {"organization": {"tags": ["t"]}}
    )
    results = api.finish(by_external.json()["job_status"])["results"]
    assert [row["status"] for row in results] == ["Updated", "Updated"]
    assert [org["tags"] for org in sim.organizations().values()] == [["t"], ["t"]]
    assert (sim.organization(first["id"]) or {})["notes"] == "x"


def test_more_than_100_items_is_too_many_values(api: Api) -> None:
    response = api.call("POST", "/organizations/create_many", {"organizations": [{"name": str(n)} for n in range(101)]})
    assert response.status_code == 400
    assert response.json()["error"] == "TooManyValues"
    users = api.call("POST", "/users/create_or_update_many", {"users": [{"name": str(n)} for n in range(101)]})
    assert users.status_code == 400
    assert users.json()["error"] == "TooManyValues"


def test_job_statuses_show_many_and_list(api: Api) -> None:
    jobs = [_create_many(api, [{"name": f"Org {n}"}]) for n in range(2)]
    many = api.get("/job_statuses/show_many.json", ids=f"{jobs[0]['id']},{jobs[1]['id']},nope").json()
    assert [job["status"] for job in many["job_statuses"]] == ["working", "working"]
    assert len(api.get("/job_statuses.json").json()["job_statuses"]) == 2


def test_jobs_are_kept_one_day(api: Api, sim: ZendeskSimulator) -> None:
    job = _create_many(api, [{"name": "Acme"}])
    sim.clock.advance(86_399)
    api.token = sim.access_token()  # the first one expired meanwhile
    assert api.get(f"/job_statuses/{job['id']}").status_code == 200
    sim.clock.advance(2)
    gone = api.get(f"/job_statuses/{job['id']}")
    assert gone.status_code == 404
    assert gone.json()["error"] == "RecordNotFound"


def test_job_limit_refuses_more_running_jobs(start_zendesk: StartZendesk) -> None:
    sim = start_zendesk(config=ZendeskSimConfig(job_limit=2))
    api = Api(sim, sim.access_token())
    first = _create_many(api, [{"name": "A"}])
    _create_many(api, [{"name": "B"}])
    refused = api.call("POST", "/organizations/create_many", {"organizations": [{"name": "C"}]})
    assert refused.status_code == 429
    assert refused.json()["error"] == "TooManyJobs"
    assert "Retry-After" in refused.headers
    api.finish(first)
    assert api.call("POST", "/organizations/create_many", {"organizations": [{"name": "C"}]}).status_code == 200


def test_admin_completes_jobs(api: Api, sim: ZendeskSimulator) -> None:
    _create_many(api, [{"name": "A"}])
    assert requests.post(sim.base_url + "/_sandbox/jobs/complete", timeout=5).json() == {"completed": 1}
    listed = requests.get(sim.base_url + "/_sandbox/jobs", timeout=5).json()["job_statuses"]
    assert [job["status"] for job in listed] == ["completed"]
    assert sim.counts()["organizations"] == 1


def test_users_create_or_update_many_matches_email_or_external_id(api: Api, sim: ZendeskSimulator) -> None:
    org = sim.add_organization({"name": "Acme", "external_id": "V100"})
    existing = api.call("POST", "/users/create_or_update.json", {"user": {"name": "Ann", "email": "Ann@x.example"}})
    assert existing.status_code == 201
    ann_id = existing.json()["user"]["id"]
    users = [
        {"name": "Ann Lee", "email": "ann@x.example", "organization_id": org["id"]},
        {"name": "Bob", "external_id": "C-1", "email": "bob@x.example"},
        {"name": "Bob B", "external_id": "c-1"},
        {"email": "noname@x.example"},
    ]
    job = api.call("POST", "/users/create_or_update_many.json", {"users": users}).json()["job_status"]
    results = api.finish(job)["results"]
    assert results[0] == {"id": ann_id, "index": 0, "status": "Updated", "email": "ann@x.example"}
    bob = sim.user_by_external_id("C-1")
    assert bob is not None
    assert results[1] == {
        "id": bob["id"],
        "index": 1,
        "status": "Created",
        "email": "bob@x.example",
        "external_id": "C-1",
    }
    assert results[2]["status"] == "Updated"
    assert results[2]["id"] == bob["id"]
    assert results[3]["status"] == "Failed"
    assert results[3]["index"] == 3
    assert bob["name"] == "Bob B"
    assert (sim.user_by_email("ann@x.example") or {})["organization_id"] == org["id"]


def test_users_show_many_and_search(api: Api, sim: ZendeskSimulator) -> None:
    user = api.call(
        "POST", "/users/create_or_update", {"user": {"name": "Ann", "email": "a@x.example", "external_id": "C-1"}}
    ).json()["user"]
    assert api.get(f"/users/{user['id']}.json").json()["user"]["email"] == "a@x.example"
    assert api.get("/users/show_many", external_ids="c-1").json()["users"][0]["id"] == user["id"]
    assert api.get("/users/search.json", query="a@x.example").json()["count"] == 1
    assert api.get("/users/search.json", external_id="C-1").json()["users"][0]["id"] == user["id"]
    clash = api.call(
        "POST", "/users/create_or_update", {"user": {"name": "B", "external_id": "C-1", "email": "other@x.example"}}
    )
    assert clash.status_code == 200  # matched on external_id: the email is changed
    duplicate = api.call(
        "POST", "/users/create_or_update", {"user": {"name": "C", "email": "new@x.example", "external_id": "C-9"}}
    ).json()["user"]
    refused = api.call("PUT", "/users/create_or_update", {"user": {}})
    assert refused.status_code == 404
    assert duplicate["external_id"] == "C-9"
    assert sim.counts()["users"] == 3  # the admin and two end-users


def test_jobs_can_run_on_the_clock(start_zendesk: StartZendesk) -> None:
    sim = start_zendesk(config=ZendeskSimConfig(job_step_s=2))
    api = Api(sim, sim.access_token())
    job = _create_many(api, [{"name": "Acme"}])
    sim.clock.advance(2)
    assert sim.jobs()[job["id"]]["status"] == "working"
    sim.clock.advance(2)
    assert sim.jobs()[job["id"]]["status"] == "completed"  # nobody polled
    assert sim.counts()["organizations"] == 1
    patched = requests.patch(sim.base_url + "/_sandbox/config", json={"job_step_s": None}, timeout=5)
    assert patched.json()["job_step_s"] is None
    assert requests.patch(sim.base_url + "/_sandbox/config", json={"job_step_s": "x"}, timeout=5).status_code == 400
