"""Batch operations (`/batches`, reference §8, verified §1.2): many calls in one request, run asynchronously.

`POST /batches {"operations": [{method, path, operation_id, body (a JSON *string*: an object is a 400), params}]}`,
then `GET /batches/{id}` until `status` is `finished`, then the gzipped tar at `response_body_url` (a pre-signed link:
fetched without credentials): JSON files, each an array of `{status_code, operation_id, response}` where `response`
is itself JSON in a string. Files may be empty (skipped). Errors inside operations never fail the batch: each
operation's outcome is classified by the same rules as a direct call. An operation the archive does not report
(an unreadable file, an expired batch, a deadline reached while polling) gets a TransientError: ids are ours, so
the next run sends it again and a repeated create answers AlreadyExists.
"""

from __future__ import annotations

import io
import json
import logging
import tarfile
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any, Protocol

from mlconnector.http import Deadline, Sleep
from mlconnector.systems.mailchimp.classify import status_failure
from mlconnector.systems.mailchimp.errors import MailchimpError, NotFound, ParseError, RecordError, TransientError
from mlconnector.systems.mailchimp.problem import problem_of

_log = logging.getLogger(__name__)

METHODS = frozenset({"GET", "POST", "PUT", "PATCH", "DELETE"})
MAX_ARCHIVE_BYTES = 512 * 1024 * 1024
"""Uncompressed bytes read from one archive at most (a guard, far above any real batch)."""


@dataclass(frozen=True)
class Operation:
    """One call in a batch. `path` is relative to the API root (`/lists/{id}/members/{hash}`, no /3.0); `body`
    is sent JSON-encoded as a string; `operation_id` (ours, unique in the batch) keys the outcome."""

    method: str
    path: str
    operation_id: str
    body: Mapping[str, Any] | None = None
    params: Mapping[str, str | int] = field(default_factory=dict)

    def __post_init__(self) -> None:
        if self.method.upper() not in METHODS:
            raise ValueError(f"batch operation {self.operation_id!r}: method must be one of {sorted(METHODS)}")
        if not self.path.startswith("/"):
            raise ValueError(f"batch operation {self.operation_id!r}: path must start with /")
        if not self.operation_id:
            raise ValueError("a batch operation needs an operation_id (its outcome is keyed by it)")
        object.__setattr__(self, "method", self.method.upper())

    def as_json(self) -> dict[str, Any]:
        item: dict[str, Any] = {"method": self.method, "path": self.path, "operation_id": self.operation_id}
        if self.body is not None:
            item["body"] = json.dumps(self.body, separators=(",", ":"))  # a string: an object is a 400
        if self.params:
            item["params"] = {key: str(value) for key, value in self.params.items()}
        return item


@dataclass(frozen=True)
class OperationOutcome:
    """What one operation got: its HTTP status (0 when the archive did not report it), its response body (None
    when empty or not a JSON object) and, unless the status was 2xx, its classified error."""

    operation_id: str
    status_code: int
    body: dict[str, Any] | None
    error: MailchimpError | None


@dataclass(frozen=True)
class BatchStatus:
    id: str
    status: str
    """pending, preprocessing, started, finalizing or finished."""
    total_operations: int = 0
    finished_operations: int = 0
    errored_operations: int = 0
    response_body_url: str = ""

    @property
    def finished(self) -> bool:
        return self.status == "finished"


def batch_body(operations: Sequence[Operation]) -> dict[str, Any]:
    ids = [op.operation_id for op in operations]
    if len(set(ids)) != len(ids):
        raise ValueError("batch operation ids must be unique")
    if not operations:
        raise ValueError("a batch needs at least one operation")
    return {"operations": [op.as_json() for op in operations]}


def batch_status_of(data: Mapping[str, Any], *, what: str) -> BatchStatus:
    batch_id, status = data.get("id"), data.get("status")
    if not isinstance(batch_id, str) or not batch_id or not isinstance(status, str):
        raise ParseError(f"{what}: Mailchimp's batch has no id or status")
    url = data.get("response_body_url")
    return BatchStatus(
        id=batch_id,
        status=status,
        total_operations=_int(data.get("total_operations")),
        finished_operations=_int(data.get("finished_operations")),
        errored_operations=_int(data.get("errored_operations")),
        response_body_url=url if isinstance(url, str) else "",
    )


def parse_archive(data: bytes, *, what: str, secrets: Sequence[str]) -> dict[str, OperationOutcome]:
    """Every operation outcome in a batch's gzipped tar, by operation_id. Empty files are skipped; a file that is
    not a JSON array is logged and skipped (its operations count as missing). An archive that is not a gzipped
    tar at all is a ParseError."""
    outcomes: dict[str, OperationOutcome] = {}
    read = 0
    try:
        with tarfile.open(fileobj=io.BytesIO(data), mode="r:gz") as archive:
            for member in archive:
                if not member.isfile() or member.size == 0:
                    continue
                read += member.size
                if read > MAX_ARCHIVE_BYTES:
                    raise ParseError(f"{what}: the batch archive holds more than {MAX_ARCHIVE_BYTES} bytes")
                extracted = archive.extractfile(member)
                content = extracted.read() if extracted is not None else b""
                outcomes.update(_file_outcomes(content, member.name, what=what, secrets=secrets))
    except (tarfile.TarError, EOFError, OSError) as exc:  # gzip.BadGzipFile is an OSError
        raise ParseError(f"{what}: the batch archive is not a gzipped tar ({type(exc).__name__})") from None
    return outcomes


def _file_outcomes(content: bytes, name: str, *, what: str, secrets: Sequence[str]) -> dict[str, OperationOutcome]:
    if not content.strip():
        return {}
    try:
        entries = json.loads(content)
    except (ValueError, UnicodeDecodeError):
        _log.warning("%s: skipped %s in the batch archive: not JSON", what, name)
        return {}
    if not isinstance(entries, list):
        _log.warning("%s: skipped %s in the batch archive: not a JSON array", what, name)
        return {}
    found = {}
    for entry in entries:
        outcome = _entry_outcome(entry, what=what, secrets=secrets) if isinstance(entry, dict) else None
        if outcome is not None:
            found[outcome.operation_id] = outcome
    return found


def _entry_outcome(entry: Mapping[str, Any], *, what: str, secrets: Sequence[str]) -> OperationOutcome | None:
    operation_id, status = entry.get("operation_id"), entry.get("status_code")
    if not isinstance(operation_id, str) or not isinstance(status, int):
        return None
    response = entry.get("response")
    try:
        decoded = json.loads(response) if isinstance(response, str) and response.strip() else None
    except ValueError:
        decoded = None
    body = decoded if isinstance(decoded, dict) else None
    error = None
    if not 200 <= status < 300:
        label = f"{what} operation {operation_id}"
        error = status_failure(status, problem_of(decoded), what=label, secrets=secrets)
    return OperationOutcome(operation_id, status, body, error)


def unreported(operation_id: str, reason: str, *, may_have_run: bool = True) -> OperationOutcome:
    """The outcome of an operation whose result is unknown: transient, so the next run sends it again."""
    return OperationOutcome(operation_id, 0, None, TransientError(reason, may_have_run=may_have_run))


# --------------------------------------------------------------------------- running a batch


class BatchApi(Protocol):
    """What running a batch needs of the client (each call counted, retried and classified by it)."""

    def submit_batch(self, operations: Sequence[Operation]) -> BatchStatus: ...

    def batch_status(self, batch_id: str) -> BatchStatus: ...

    def download_archive(self, url: str) -> bytes: ...


@dataclass(frozen=True)
class PollPolicy:
    """Pauses between status polls: `first`, doubling up to `cap`; polling stops once the next pause would leave
    less than `reserve` seconds before the run's deadline, or after `max_seconds` of pauses in all."""

    first: float = 1.0
    cap: float = 30.0
    reserve: float = 10.0
    max_seconds: float = 900.0


def run(
    api: BatchApi,
    operations: Sequence[Operation],
    *,
    sleep: Sleep,
    deadline: Deadline | None,
    secrets: Sequence[str],
    policy: PollPolicy = PollPolicy(),
) -> dict[str, OperationOutcome]:
    """Submit, poll until finished, download and read the archive: one outcome per operation, by operation_id."""
    what = "Mailchimp batch"
    batch = api.submit_batch(operations)
    what = f"Mailchimp batch {batch.id}"
    finished = _poll(api, batch, sleep=sleep, deadline=deadline, policy=policy, what=what)
    if isinstance(finished, str):
        return {op.operation_id: unreported(op.operation_id, finished) for op in operations}
    try:
        found = parse_archive(api.download_archive(finished.response_body_url), what=what, secrets=secrets)
    except (RecordError, TransientError) as exc:  # an expired link, an unreadable archive; a bad host is raised
        reason = f"{what}: results unavailable ({exc})"
        return {op.operation_id: unreported(op.operation_id, reason) for op in operations}
    missing = f"{what}: the result archive does not report this operation"
    return {op.operation_id: found.get(op.operation_id) or unreported(op.operation_id, missing) for op in operations}


def _poll(
    api: BatchApi, batch: BatchStatus, *, sleep: Sleep, deadline: Deadline | None, policy: PollPolicy, what: str
) -> BatchStatus | str:
    """The finished batch, or why polling stopped (expired, deadline, too long)."""
    wait, waited = policy.first, 0.0
    while not batch.finished:
        left = deadline() if deadline is not None else None
        if left is not None and wait + policy.reserve > left:
            return f"{what} not finished before the run's deadline ({batch.status}); the next run sends it again"
        if waited + wait > policy.max_seconds:
            return f"{what} not finished after {waited:.0f}s ({batch.status}); the next run sends it again"
        sleep(wait)
        waited += wait
        wait = min(policy.cap, wait * 2)
        try:
            batch = api.batch_status(batch.id)
        except NotFound:
            return f"{what} expired (HTTP 404 while polling) before its results were read"
    if not batch.response_body_url:
        return f"{what} finished without a response_body_url"
    return batch


def _int(value: object) -> int:
    return value if isinstance(value, int) and not isinstance(value, bool) else 0
