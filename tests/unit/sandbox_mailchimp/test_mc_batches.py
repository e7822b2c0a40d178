"""/batches: operations with bodies as JSON strings (an object is a 400 schema error), the status machine, the
tar.gz archive served outside /3.0 without auth (with an empty file), per-operation errors that never fail the
batch, the 500-pending cap, DELETE, expiry."""

from __future__ import annotations

import io
import json
import tarfile
from typing import Any

import requests

from sandbox.mailchimp import MailchimpSimConfig, MailchimpSimulator
from tests.unit.sandbox_mailchimp.api import Api, ok, problem
from tests.unit.sandbox_mailchimp.conftest import StartMailchimp

STAGES = ["preprocessing", "started", "finalizing", "finished"]


def _put(list_id: str, email: str, operation_id: str, **body: Any) -> dict[str, Any]:
    payload = {"email_address": email, "status_if_new": "subscribed", **body}
    return {
        "method": "PUT",
        "path": f"/lists/{list_id}/members/{email}",
        "operation_id": operation_id,
        "body": json.dumps(payload),
    }


def _archive(url: str) -> list[tuple[str, bytes]]:
    response = requests.get(url, timeout=10)  # no credentials: a pre-signed link
    assert response.status_code == 200
    with tarfile.open(fileobj=io.BytesIO(response.content), mode="r|gz") as archive:
        return [(member.name, archive.extractfile(member).read()) for member in archive if member.isfile()]  # type: ignore[union-attr]


def test_a_batch_runs_its_operations_through_the_api(api: Api, sim: MailchimpSimulator) -> None:
    sim.set_member_status("gone@acme.example.com", "unsubscribed")
    operations = [
        _put(api.list_id, "a@acme.example.com", "op-a", merge_fields={"FNAME": "A"}),
        _put(api.list_id, "fake@example.com", "op-fake"),
        {**_put(api.list_id, "gone@acme.example.com", "op-gone"), "body": json.dumps({"status": "subscribed"})},
        {
            "method": "GET",
            "path": f"/lists/{api.list_id}/members",
            "params": {"count": 1, "fields": "total_items"},
            "operation_id": "op-list",
        },
        {"method": "GET", "path": "/ecommerce/stores/nope", "operation_id": "op-404"},
        {
            "method": "POST",
            "path": f"/lists/{api.list_id}/members/a@acme.example.com/tags",
            "body": json.dumps({"tags": [{"name": "t", "status": "active"}]}),
            "operation_id": "op-tags",
        },
    ]
    created = ok(api.post("/batches", {"operations": operations}))
    assert created["status"] == "pending"
    assert (created["total_operations"], created["finished_operations"], created["response_body_url"]) == (6, 0, "")
    assert sim.member("a@acme.example.com") is None, "nothing runs before the batch starts"
    seen = [ok(api.get(f"/batches/{created['id']}")) for _ in STAGES]
    assert [item["status"] for item in seen] == STAGES
    assert sim.member("a@acme.example.com")["merge_fields"]["FNAME"] == "A"  # type: ignore[index]
    finished = seen[-1]
    assert (finished["finished_operations"], finished["errored_operations"]) == (6, 3)
    assert finished["completed_at"]
    files = _archive(finished["response_body_url"])
    assert any(content == b"" for _name, content in files), "an empty file, as the live archives have"
    results = {item["operation_id"]: item for _n, content in files if content for item in json.loads(content)}
    assert {key: item["status_code"] for key, item in results.items()} == {
        "op-a": 200,
        "op-fake": 400,
        "op-gone": 400,
        "op-list": 200,
        "op-404": 404,
        "op-tags": 204,
    }
    assert json.loads(results["op-fake"]["response"])["detail"].endswith(
        "looks fake or invalid, please enter a real email address."
    )
    assert json.loads(results["op-gone"]["response"])["title"] == "Member In Compliance State"
    assert json.loads(results["op-list"]["response"]) == {"total_items": 2}
    assert results["op-tags"]["response"] == ""
    assert sim.calls.count("batches.create") == 1
    assert sim.calls.count("batches.get") == 4
    assert sim.calls.count("batches.archive") == 1
    assert sim.calls.count("members.put") == 0, "operations inside a batch are not HTTP calls"


def test_a_body_given_as_an_object_is_a_schema_error(api: Api, sim: MailchimpSimulator) -> None:
    operations = [
        {"method": "GET", "path": "/ping"},
        {"method": "PUT", "path": f"/lists/{api.list_id}/members/x", "body": {"email_address": "x@acme.example.com"}},
    ]
    body = problem(api.post("/batches", {"operations": operations}), 400, "Invalid Resource")
    assert body["errors"] == [
        {"field": "operations.item:1", "message": "Schema describes string, object found instead"}
    ]
    assert sim.batches() == {}
    missing = problem(api.post("/batches", {"operations": [{"path": "/ping"}]}), 400, "Invalid Resource")
    assert missing["errors"][0]["message"] == "Required fields were not provided: method"


def test_an_operation_with_bad_json_fails_alone(api: Api, sim: MailchimpSimulator) -> None:
    operations = [
        {
            "method": "PATCH",
            "path": f"/lists/{api.list_id}/members/a@acme.example.com",
            "body": "{oops",
            "operation_id": "bad",
        },
        {"method": "PATCH", "path": f"/lists/{api.list_id}", "body": "{}", "operation_id": "verb"},
        {"method": "GET", "path": "/3.0/ping", "operation_id": "ping"},
    ]
    batch = ok(api.post("/batches", {"operations": operations}))
    finished = sim.advance_batch(batch["id"])
    assert finished["status"] == "finished"
    results = {item["operation_id"]: item for item in sim.batches()[batch["id"]]["results"]}
    assert results["bad"]["status_code"] == 400
    assert results["bad"]["response"]["title"] == "JSON Parse Error"
    assert results["verb"]["status_code"] == 405  # PATCH /lists/{id} is not served
    assert results["ping"]["status_code"] == 200


def test_list_and_delete(api: Api) -> None:
    first = ok(api.post("/batches", {"operations": [{"method": "GET", "path": "/ping"}]}))
    ok(api.post("/batches", {"operations": []}))
    listed = ok(api.get("/batches"))
    assert listed["total_items"] == 2
    assert {item["status"] for item in listed["batches"]} == {"pending"}, "listing does not move a batch on"
    assert api.delete(f"/batches/{first['id']}").status_code == 204
    problem(api.get(f"/batches/{first['id']}"), 404, "Resource Not Found")
    assert ok(api.get("/batches"))["total_items"] == 1


def test_500_pending_batches_then_429(start_mailchimp: StartMailchimp) -> None:
    sim = start_mailchimp(config=MailchimpSimConfig(max_pending_batches=3))
    api = Api(sim)
    ids = [ok(api.post("/batches", {"operations": []}))["id"] for _ in range(3)]
    body = problem(api.post("/batches", {"operations": []}), 429, "Too Many Requests")
    assert "pending batches" in body["detail"]
    sim.advance_batch(ids[0])
    ok(api.post("/batches", {"operations": []}))
    assert MailchimpSimConfig().max_pending_batches == 500


def test_an_expired_batch_is_404_and_its_link_403(api: Api, sim: MailchimpSimulator) -> None:
    batch = ok(api.post("/batches", {"operations": [{"method": "GET", "path": "/ping"}]}))
    url = sim.advance_batch(batch["id"])["response_body_url"]
    assert requests.get(url, timeout=10).status_code == 200
    response = requests.post(f"{sim.base_url}/_sandbox/batches/{batch['id']}/expire", timeout=5)
    assert response.status_code == 200
    problem(api.get(f"/batches/{batch['id']}"), 404, "Resource Not Found")
    expired = requests.get(url, timeout=10)
    assert expired.status_code == 403
    assert b"Request has expired" in expired.content


def test_retention_on_the_clock(start_mailchimp: StartMailchimp) -> None:
    sim = start_mailchimp(config=MailchimpSimConfig(batch_retention_s=600, batch_progress="immediate"))
    api = Api(sim)
    batch = ok(api.post("/batches", {"operations": []}))
    assert batch["status"] == "finished"
    sim.clock.advance(599)
    ok(api.get(f"/batches/{batch['id']}"))
    sim.clock.advance(1)
    problem(api.get(f"/batches/{batch['id']}"), 404, "Resource Not Found")


def test_progress_on_the_clock(start_mailchimp: StartMailchimp) -> None:
    sim = start_mailchimp(config=MailchimpSimConfig(batch_progress="clock", batch_stage_seconds=5))
    api = Api(sim)
    batch = ok(api.post("/batches", {"operations": [{"method": "GET", "path": "/ping"}]}))
    assert ok(api.get(f"/batches/{batch['id']}"))["status"] == "pending"
    sim.clock.advance(10)
    assert ok(api.get(f"/batches/{batch['id']}"))["status"] == "started"
    sim.clock.advance(10)
    done = ok(api.get(f"/batches/{batch['id']}"))
    assert (done["status"], done["finished_operations"]) == ("finished", 1)


def test_many_results_are_split_over_files(start_mailchimp: StartMailchimp) -> None:
    sim = start_mailchimp(config=MailchimpSimConfig(batch_results_per_file=2, batch_progress="immediate"))
    api = Api(sim)
    batch = ok(api.post("/batches", {"operations": [{"method": "GET", "path": "/ping"}] * 5}))
    files = _archive(batch["response_body_url"])
    assert sorted(len(json.loads(content)) if content else 0 for _name, content in files) == [0, 1, 2, 2]
