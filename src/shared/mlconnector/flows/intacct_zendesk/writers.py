"""Zendesk as the engine's destination: organizations (from vendors) and end-users (from their contacts).

Zendesk has no bulk create-or-update of organizations. A batch's organizations are resolved to Zendesk ids (the
stream's links first, then `show_many?external_ids=`), then created with `create_many` and updated with
`update_many` (batch form, by id), 100 records a job and up to ten jobs polled together; each record's result is
matched by index and id.
A name already taken by an organization without our external id fails that vendor naming it (unless adopting
by name is configured, in the client). Two vendors of one name (Intacct allows it, Zendesk does not) both get an
organization: the second is named `<name> (<VENDORID>)`, on creation and on every later update. Jobs still
running when the run's time is up stop the run (RetryLater): the next run finds what they created by external id
and updates it.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field, replace
from itertools import batched
from typing import Any, ClassVar

from mlconnector.engine.records import Action, Outcome, WriteItem
from mlconnector.flows.destination_ids import DestinationIds
from mlconnector.systems.zendesk.client import ZendeskClient
from mlconnector.systems.zendesk.errors import NameTaken
from mlconnector.systems.zendesk.jobs import JobItem, JobResult

MAX_JOB = 100
"""Records per Zendesk bulk job."""
JOBS_AT_ONCE = 10
"""Jobs a write submits before waiting for them together (one poll for all): well under the ~30 an account may have
queued or running, so a batch waits about as long as one job instead of ten in a row."""
BATCH = MAX_JOB * JOBS_AT_ONCE
NAME_TAKEN = ("taken", "duplicate")
"""Words of Zendesk's refusal of a name another organization holds ("Name: has already been taken")."""


@dataclass
class OrganizationWriter:
    system: ClassVar[str] = "zendesk"
    client: ZendeskClient
    ids: DestinationIds
    max_batch: int = BATCH
    names: dict[str, str] = field(default_factory=dict)
    """Names this run gave organizations (trimmed, case-folded, as Zendesk compares them) -> the external id that
    holds each: a later vendor of the same name is created as `<name> (<VENDORID>)` at once, not refused first."""

    def write(self, items: Sequence[WriteItem]) -> list[Outcome]:
        items = self._own_names(items)
        known = {i.record.key: i.destination_id for i in items if i.destination_id}
        unknown = [str(i.payload["external_id"]) for i in items if i.record.key not in known]
        by_external = self.client.organizations_by_external_ids(unknown) if unknown else {}
        for item in items:
            org = by_external.get(str(item.payload["external_id"]))
            if item.record.key not in known and org is not None:
                known[item.record.key] = str(org["id"])
        new = [i for i in items if i.record.key not in known]
        existing = [i for i in items if i.record.key in known]
        outcomes = self._jobs(new, existing, known)
        retry = [i for i in new if _name_taken(outcomes.get(i.record.key))]
        if retry:
            outcomes.update(self._adopt_or_fail(retry))
        renamed = [_with_own_name(i) for i in existing if _name_taken(outcomes.get(i.record.key))]
        if renamed:  # an organization created under `<name> (<id>)` keeps that name
            outcomes.update(self._jobs((), renamed, known))
        for outcome in outcomes.values():
            if outcome.destination_id is not None:
                self.ids.written[outcome.key] = outcome.destination_id
        return [outcomes[i.record.key] for i in items]

    def _own_names(self, items: Sequence[WriteItem]) -> list[WriteItem]:
        """New organizations whose name this run already gave another (earlier, or in this batch) take their own."""
        named: list[WriteItem] = []
        for item in items:
            external_id = str(item.payload["external_id"])
            holder = self.names.setdefault(_name_key(item), external_id)
            own = item
            if holder.casefold() != external_id.casefold() and item.destination_id is None:
                own = _with_own_name(item)
                self.names.setdefault(_name_key(own), external_id)
            named.append(own)
        return named

    def _jobs(
        self, new: Sequence[WriteItem], existing: Sequence[WriteItem], known: Mapping[str, str]
    ) -> dict[str, Outcome]:
        jobs: list[tuple[str, Sequence[WriteItem], Action]] = []
        for chunk in batched(new, MAX_JOB, strict=False):
            created = self.client.create_organizations([dict(i.payload) for i in chunk])
            jobs.append((created.id, chunk, Action.CREATED))
        for chunk in batched(existing, MAX_JOB, strict=False):
            updated = self.client.update_organizations([{**i.payload, "id": int(known[i.record.key])} for i in chunk])
            jobs.append((updated.id, chunk, Action.UPDATED))
        results = self.client.wait_for_jobs([job for job, _, _ in jobs]) if jobs else {}
        outcomes: dict[str, Outcome] = {}
        for job, sent, action in jobs:
            outcomes.update(_outcomes(results[job], sent, action, known))
        return outcomes

    def _adopt_or_fail(self, items: Sequence[WriteItem]) -> dict[str, Outcome]:
        """New organizations refused for their name: the holder is ours (a create whose answer was lost), adopted
        (configured), or someone else's (that vendor's failure, naming it)."""
        outcomes: dict[str, Outcome] = {}
        adopt: dict[str, str] = {}
        suffixed: list[WriteItem] = []
        for item in items:
            try:
                holder = self.client.organization_for_name(str(item.payload["name"]), str(item.payload["external_id"]))
            except NameTaken as taken:
                if taken.external_id:  # another synced record holds the name: both keep an organization
                    suffixed.append(_with_own_name(item))
                else:
                    outcomes[item.record.key] = Outcome(item.record.key, Action.FAILED, error=str(taken))
                continue
            if holder is None:  # freed meanwhile: the next run creates it
                outcomes[item.record.key] = Outcome(item.record.key, Action.FAILED, error="its name was taken; retry")
            else:
                adopt[item.record.key] = str(holder["id"])
        adopted = [i for i in items if i.record.key in adopt]
        if adopted or suffixed:
            outcomes.update(self._jobs(suffixed, adopted, adopt))
        return outcomes


@dataclass
class UserWriter:
    """End-users by create_or_update_many (matched on email), in the organization their vendor became."""

    system: ClassVar[str] = "zendesk"
    client: ZendeskClient
    organizations: DestinationIds
    max_batch: int = BATCH

    def write(self, items: Sequence[WriteItem]) -> list[Outcome]:
        orgs = self.organizations.resolve({str(i.payload["organization_external_id"]) for i in items})
        outcomes: dict[str, Outcome] = {}
        ready: list[WriteItem] = []
        for item in items:
            external = str(item.payload["organization_external_id"])
            if external not in orgs:
                error = f"its organization {external} is not in Zendesk (see that vendor)"
                outcomes[item.record.key] = Outcome(item.record.key, Action.FAILED, error=error)
            else:
                ready.append(item)
        chunks = list(batched(ready, MAX_JOB, strict=False))
        submitted = [
            self.client.create_or_update_users([_user(i.payload, orgs[str(i.payload["organization_external_id"])])
                                                for i in chunk]).id
            for chunk in chunks
        ]  # fmt: skip
        results = self.client.wait_for_jobs(submitted) if submitted else {}
        for job_id, chunk in zip(submitted, chunks, strict=True):
            outcomes.update(_outcomes(results[job_id], chunk, None, {}))
        return [outcomes[i.record.key] for i in items]


def _name_key(item: WriteItem) -> str:
    return str(item.payload["name"]).strip().casefold()


def _with_own_name(item: WriteItem) -> WriteItem:
    """The item under `<name> (<external id>)`: the name another vendor's organization holds, made its own."""
    name = f"{item.payload['name']} ({item.payload['external_id']})"
    return replace(item, payload={**item.payload, "name": name})


def _user(payload: Mapping[str, Any], organization_id: str) -> dict[str, Any]:
    user = {k: v for k, v in payload.items() if k != "organization_external_id" and v is not None}
    return {**user, "organization_id": int(organization_id)}


def _outcomes(
    result: JobResult, sent: Sequence[WriteItem], action: Action | None, known: Mapping[str, str]
) -> dict[str, Outcome]:
    outcomes: dict[str, Outcome] = {}
    for item, job_item in zip(sent, result.records, strict=True):
        key = item.record.key
        if job_item is None:
            why = result.job.message or f"job {result.job.id} {result.job.status}"
            outcomes[key] = Outcome(key, Action.FAILED, error=f"Zendesk reported nothing for it ({why})")
        elif not job_item.success:
            outcomes[key] = Outcome(key, Action.FAILED, error=f"Zendesk refused it: {_reason(job_item)}")
        else:
            destination = str(job_item.id) if job_item.id is not None else known.get(key)
            outcomes[key] = Outcome(key, action or _action(job_item), destination_id=destination)
    return outcomes


def _action(item: JobItem) -> Action:
    said = f"{item.action} {item.status}".lower()
    return Action.CREATED if "creat" in said else Action.UPDATED


def _reason(item: JobItem) -> str:
    return ": ".join(part for part in (item.error, item.details) if part) or "no reason given"


def _name_taken(outcome: Outcome | None) -> bool:
    error = (outcome.error or "").lower() if outcome is not None and outcome.action is Action.FAILED else ""
    return any(word in error for word in NAME_TAKEN)
