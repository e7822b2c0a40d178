"""Bulk jobs: results matched to what was sent by index and id (shuffled results, results as an object, failures
with Zendesk's words), several jobs polled with one show_many and backoff, the deadline respected, and at most N jobs
in flight per client."""

from __future__ import annotations

import random
from typing import Any

import pytest

from mlconnector.systems.zendesk.errors import RequestError, RetryLater
from mlconnector.systems.zendesk.jobs import JobItem, match, parse_job_status
from tests.conftest import FakeClock
from tests.unit.zendesk.zendesk_fakes import Call, FakeZendesk, make

ORGS = [{"name": f"Org {i}", "external_id": f"C-{i}"} for i in range(6)]


def test_results_are_matched_by_index_whatever_their_order() -> None:
    results: list[dict[str, Any]] = [{"index": i, "id": 500 + i} for i in range(6)]
    results[4] = {"index": 4, "error": "OrganizationCreateFailed", "details": "Name: has already been taken"}
    random.Random(7).shuffle(results)
    job = parse_job_status({"job_status": {"id": "j", "status": "completed", "results": results}}, what="t")
    matched = match(job, ORGS)
    assert [item.id if item else None for item in matched.records] == [500, 501, 502, 503, None, 505]
    failed = matched.records[4]
    assert failed is not None
    assert not failed.success
    assert failed.error == "OrganizationCreateFailed"
    assert "has already been taken" in str(failed.failure("create Org 4"))


def test_update_results_without_index_are_matched_by_id_never_by_position() -> None:
    sent = [{"id": 11, "name": "A"}, {"id": 12, "name": "B"}, {"id": 13, "name": "C"}]
    results = [
        {"id": 13, "action": "update", "success": True, "status": "Updated"},
        {"id": 11, "action": "update", "success": True, "status": "Updated"},
    ]
    job = parse_job_status({"id": "j", "status": "completed", "results": results}, what="t")
    matched = match(job, sent)
    assert [item.id if item else None for item in matched.records] == [11, None, 13]


def test_results_as_an_object_and_by_email_or_external_id_are_read() -> None:
    sent = [{"email": "A@x.example"}, {"external_id": "U-2", "name": "B"}]
    results = {"a": {"external_id": "u-2", "status": "Updated", "id": 2}, "b": {"email": "a@x.example", "id": 1}}
    job = parse_job_status({"id": "j", "status": "completed", "results": results}, what="t")
    assert [item.id if item else None for item in match(job, sent).records] == [1, 2]


def test_a_job_item_is_a_small_frozen_dataclass() -> None:
    item = JobItem(index=0, id=1, action="create", status="Created", success=True)
    with pytest.raises(AttributeError):
        item.id = 2  # type: ignore[misc]


@pytest.fixture
def fake(clock: FakeClock) -> FakeZendesk:
    return FakeZendesk(clock)


class Jobs:
    """Jobs that finish after `polls` show_many calls each; results shuffled."""

    def __init__(self, fake: FakeZendesk, polls: int = 2) -> None:
        self.fake = fake
        self.polls = polls
        self.sent: dict[str, list[dict[str, Any]]] = {}
        self.seen: dict[str, int] = {}
        fake.handlers[("POST", "/organizations/create_many")] = self.create
        fake.handlers[("GET", "/job_statuses/show_many")] = self.show_many

    def create(self, call: Call) -> Any:
        job_id = f"job{len(self.sent) + 1}"
        self.sent[job_id] = call.json["organizations"]
        self.seen[job_id] = 0
        return {"job_status": {"id": job_id, "status": "queued", "total": None, "progress": None}}

    def show_many(self, call: Call) -> Any:
        statuses: list[dict[str, Any]] = []
        for job_id in call.params["ids"].split(","):
            self.seen[job_id] += 1
            if self.seen[job_id] < self.polls:
                statuses.append({"id": job_id, "status": "working"})
                continue
            results = [{"index": i, "id": 100 * int(job_id[3:]) + i} for i in range(len(self.sent[job_id]))]
            random.Random(job_id).shuffle(results)
            statuses.append({"id": job_id, "status": "completed", "results": results})
        return {"job_statuses": statuses}


def test_several_jobs_are_polled_together_with_backoff_until_done(fake: FakeZendesk) -> None:
    jobs = Jobs(fake, polls=3)
    client, sleep = make(fake)
    a = client.create_organizations(ORGS[:3])
    b = client.create_organizations(ORGS[3:])
    assert client.jobs_in_flight == 2
    results = client.wait_for_jobs([a.id, b.id])
    polls = fake.api_calls("/job_statuses/show_many")
    assert len(polls) == 3
    assert all(p.params["ids"] == "job1,job2" for p in polls)
    assert sleep.waits == [2.0, 4.0, 8.0]  # a pause before each poll: a job is never done the moment it is queued
    assert [i.id if i else None for i in results["job1"].records] == [100, 101, 102]
    assert [i.id if i else None for i in results["job2"].records] == [200, 201, 202]
    assert client.jobs_in_flight == 0
    assert jobs.sent["job1"][0]["external_id"] == "C-0"


def test_waiting_past_the_deadline_stops_the_run_instead(fake: FakeZendesk) -> None:
    Jobs(fake, polls=10)
    ends = fake.clock() + 10.0
    client, sleep = make(fake, deadline=lambda: ends - fake.clock())
    job = client.create_organizations(ORGS[:1])
    with pytest.raises(RetryLater, match="still running"):
        client.wait_for_jobs([job.id])
    assert sleep.waits == [2.0, 4.0]  # the next pause (8 s) would end after the deadline
    assert fake.clock() < ends


def test_at_most_max_jobs_are_in_flight_a_new_one_waits_for_one_to_finish(fake: FakeZendesk) -> None:
    jobs = Jobs(fake, polls=2)
    client, _ = make(fake, max_jobs=2)
    first = client.create_organizations(ORGS[:1])
    client.create_organizations(ORGS[1:2])
    assert client.jobs_in_flight == 2
    third = client.create_organizations(ORGS[2:3])  # polls until a slot frees
    assert len(jobs.sent) == 3
    order = [c.path for c in fake.api_calls()]
    assert order.index("/job_statuses/show_many") < len(order) - 1  # polled before the third create
    assert client.jobs_in_flight <= 2
    results = client.wait_for_jobs([first.id, third.id])
    assert results[first.id].records[0] is not None


def test_a_too_many_jobs_refusal_backs_off_and_submits_again(fake: FakeZendesk) -> None:
    Jobs(fake)
    from tests.unit.zendesk.zendesk_fakes import error  # noqa: PLC0415

    fake.faults = [error(429, "TooManyJobs", "Too many jobs are queued or running", headers={"Retry-After": "3"})]
    client, sleep = make(fake)
    client.token()
    job = client.create_organizations(ORGS[:1])
    assert job.id == "job1"
    assert sleep.waits == [3.0]


def test_a_job_zendesk_no_longer_knows_is_reported(fake: FakeZendesk) -> None:
    Jobs(fake)
    fake.handlers[("GET", "/job_statuses/show_many")] = lambda _call: {"job_statuses": []}
    client, _ = make(fake)
    job = client.create_organizations(ORGS[:1])
    with pytest.raises(RequestError, match="no longer knows job"):
        client.wait_for_jobs([job.id])
