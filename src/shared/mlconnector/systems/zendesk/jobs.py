"""Bulk jobs (reference §4.2, verified §3.1): a bulk call answers a `job_status` at once; its `results` appear when it
is done. Statuses: queued, working, completed, failed (older docs: killed). Results kept one day.

Result items differ per job type (bulk create: `{id, index}`; bulk update: `{id, action, success, status}`; failures:
`{index?, error, details, status: "Failed"}`; users' carry `email`), `results` may be an object rather than a list,
and their order is not documented: items are matched to what was sent by `index`, then by `id`, `external_id` or
`email`, never by position alone. An item nothing matches is reported, not guessed.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from mlconnector.errors import scrub
from mlconnector.systems.zendesk.classify import details_text
from mlconnector.systems.zendesk.errors import ParseError, RequestError
from mlconnector.systems.zendesk.ids import zendesk_int

DONE = frozenset({"completed", "failed", "killed"})


@dataclass(frozen=True)
class JobItem:
    """One result item of a job."""

    index: int | None
    id: int | None
    action: str
    """`create`, `update`, `delete` (when given)."""
    status: str
    """`Created`, `Updated`, `Deleted`, `Failed` (when given)."""
    success: bool
    error: str = ""
    details: str = ""
    external_id: str | None = None
    email: str | None = None

    def failure(self, what: str) -> RequestError:
        """This item's failure as a per-record error with Zendesk's words."""
        return RequestError(f"{what}: Zendesk refused the record", status=422, error=self.error, detail=self.details)


@dataclass(frozen=True)
class JobStatus:
    """A job as Zendesk reported it."""

    id: str
    status: str
    job_type: str = ""
    total: int | None = None
    progress: int | None = None
    message: str = ""
    items: tuple[JobItem, ...] = field(default=(), repr=False)

    @property
    def done(self) -> bool:
        return self.status in DONE


@dataclass(frozen=True)
class JobResult:
    """A finished job and, in the order the records were sent, each record's item (None: Zendesk reported nothing
    that matches it)."""

    job: JobStatus
    records: tuple[JobItem | None, ...]

    @property
    def failed(self) -> bool:
        return self.job.status != "completed"


def parse_job_status(data: object, *, what: str, secrets: Sequence[str] = ()) -> JobStatus:
    """A `job_status` object (or `{"job_status": {...}}`)."""
    if isinstance(data, Mapping) and isinstance(data.get("job_status"), Mapping):
        data = data["job_status"]
    if not isinstance(data, Mapping):
        raise ParseError(f"{what}: Zendesk's reply has no job_status")
    job_id = data.get("id")
    status = data.get("status")
    if not isinstance(job_id, str) or not job_id or not isinstance(status, str):
        raise ParseError(f"{what}: a job_status without an id or status")
    raw = data.get("results")
    entries = list(raw.values()) if isinstance(raw, Mapping) else raw if isinstance(raw, list) else []
    items = tuple(_item(entry, secrets) for entry in entries if isinstance(entry, Mapping))
    return JobStatus(
        id=job_id,
        status=status.lower(),
        job_type=str(data.get("job_type") or ""),
        total=zendesk_int(data.get("total")),
        progress=zendesk_int(data.get("progress")),
        message=scrub(str(data.get("message") or ""), secrets)[:300],
        items=items,
    )


def match(job: JobStatus, sent: Sequence[Mapping[str, Any]]) -> JobResult:
    """Each sent record's item: by `index` (the position in the request, as Zendesk reports it), else by the
    record's `id`, `external_id` (case-insensitive) or `email` (case-insensitive)."""
    records: list[JobItem | None] = [None] * len(sent)
    by_id = {r.get("id"): i for i, r in enumerate(sent) if r.get("id") is not None}
    by_external = {str(r["external_id"]).casefold(): i for i, r in enumerate(sent) if r.get("external_id")}
    by_email = {str(r["email"]).casefold(): i for i, r in enumerate(sent) if r.get("email")}
    for item in job.items:
        position: int | None = None
        if item.index is not None and 0 <= item.index < len(sent):
            position = item.index
        elif item.id is not None and item.id in by_id:
            position = by_id[item.id]
        elif item.external_id and item.external_id.casefold() in by_external:
            position = by_external[item.external_id.casefold()]
        elif item.email and item.email.casefold() in by_email:
            position = by_email[item.email.casefold()]
        if position is not None and records[position] is None:
            records[position] = item
    return JobResult(job, tuple(records))


def _item(entry: Mapping[str, Any], secrets: Sequence[str]) -> JobItem:
    status = str(entry.get("status") or "")
    error = str(entry.get("error") or "")
    success = entry.get("success")
    ok = success if isinstance(success, bool) else not error and status.lower() != "failed"
    external_id = entry.get("external_id")
    email = entry.get("email")
    return JobItem(
        index=zendesk_int(entry.get("index")),
        id=zendesk_int(entry.get("id")),
        action=str(entry.get("action") or ""),
        status=status,
        success=ok,
        error=scrub(error, secrets)[:120],
        details=scrub(details_text(entry.get("details")), secrets)[:500],
        external_id=str(external_id) if external_id not in (None, "") else None,
        email=email if isinstance(email, str) and email else None,
    )
