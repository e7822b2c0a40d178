"""The Zendesk writers submit a batch as jobs of at most 100 records and wait for them together (one poll for
all), matching each record's result to its job."""

from __future__ import annotations

from collections.abc import Collection, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any, cast

from mlconnector.engine.hashing import content_hash
from mlconnector.engine.records import Action, SourceRecord, WriteItem
from mlconnector.flows.destination_ids import DestinationIds
from mlconnector.flows.intacct_zendesk.writers import BATCH, OrganizationWriter, UserWriter
from mlconnector.systems.zendesk.client import ZendeskClient
from mlconnector.systems.zendesk.jobs import JobItem, JobResult, JobStatus


@dataclass
class FakeZendesk:
    sent: dict[str, list[Mapping[str, Any]]] = field(default_factory=dict)
    waits: list[list[str]] = field(default_factory=list)

    def organizations_by_external_ids(self, external_ids: Sequence[str]) -> dict[str, Any]:
        return {}

    def _job(self, records: Sequence[Mapping[str, Any]]) -> JobStatus:
        assert len(records) <= 100
        job_id = f"job{len(self.sent) + 1}"
        self.sent[job_id] = list(records)
        return JobStatus(job_id, "queued")

    def create_organizations(self, orgs: Sequence[Mapping[str, Any]]) -> JobStatus:
        return self._job(orgs)

    def create_or_update_users(self, users: Sequence[Mapping[str, Any]]) -> JobStatus:
        return self._job(users)

    def wait_for_jobs(self, job_ids: Sequence[str]) -> dict[str, JobResult]:
        self.waits.append(list(job_ids))
        results = {}
        for job_id in job_ids:
            base = int(job_id.removeprefix("job")) * 1000
            items = tuple(JobItem(n, base + n, "create", "Created", True) for n in range(len(self.sent[job_id])))
            results[job_id] = JobResult(JobStatus(job_id, "completed"), items)
        return results


@dataclass
class KnownIds:
    known: dict[str, str] = field(default_factory=dict)
    written: dict[str, str] = field(default_factory=dict)

    def resolve(self, keys: Collection[str]) -> dict[str, str]:
        return {k: self.known[k] for k in keys if k in self.known}


def _item(key: str, payload: dict[str, Any]) -> WriteItem:
    return WriteItem(SourceRecord(key, {}), payload, content_hash(payload), None)


def test_a_batch_of_organizations_is_ten_jobs_waited_for_together() -> None:
    zendesk = FakeZendesk()
    ids = KnownIds()
    writer = OrganizationWriter(cast(ZendeskClient, zendesk), cast(DestinationIds, ids))
    assert writer.max_batch == BATCH == 1000
    items = [_item(f"V{n}", {"name": f"Vendor {n}", "external_id": f"V{n}"}) for n in range(250)]
    outcomes = writer.write(items)
    assert [len(records) for records in zendesk.sent.values()] == [100, 100, 50]
    assert zendesk.waits == [["job1", "job2", "job3"]]
    assert {o.action for o in outcomes} == {Action.CREATED}
    assert outcomes[0].destination_id == "1000"
    assert outcomes[249].destination_id == "3049"  # the 50th record of the third job


def test_users_likewise() -> None:
    zendesk = FakeZendesk()
    orgs = KnownIds({"V1": "77"})
    writer = UserWriter(cast(ZendeskClient, zendesk), cast(DestinationIds, orgs))
    items = [_item(f"c{n}", {"email": f"c{n}@v1.example", "organization_external_id": "V1"}) for n in range(150)]
    outcomes = writer.write(items)
    assert [len(records) for records in zendesk.sent.values()] == [100, 50]
    assert zendesk.waits == [["job1", "job2"]]
    assert all(user["organization_id"] == 77 for records in zendesk.sent.values() for user in records)
    assert [o.action for o in outcomes].count(Action.CREATED) == 150
