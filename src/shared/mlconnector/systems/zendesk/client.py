"""The Zendesk Support API client: organizations (look-up by external id, create_many, update_many, search by name,
fields), users (create_or_update_many), bulk jobs (polled together, results matched by index and id, a cap on jobs in
flight), tickets (the cursor-based incremental export within its 10 requests a minute, show_many) and the current user.

Sending, counting, retries (409, 5xx, lost connections, Retry-After), the deadline and the one refresh of a refused
token are the shared request core's; what is Zendesk's own plugs in: the subdomain and host checks (endpoint.py),
credentials and the Authorization header (credentials.py, auth.py), the rotating OAuth pair shared by every container
(mlconnector.rotating_tokens with state/token_pairs.py), the error bodies (classify.py), jobs (jobs.py), the export
(export.py) and organizations (organizations.py).

A 429 whose Retry-After (or an export window) ends after the run's deadline does not sleep: RetryLater stops the run
cleanly at its checkpoint and the next run resumes.
"""

from __future__ import annotations

import json
import logging
import random
import threading
import time
import uuid
from collections.abc import Callable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from typing import Any

from mlconnector.call_budget import CallBudget
from mlconnector.http import (
    Deadline,
    DeadlineExceeded,
    HttpPolicy,
    HttpReply,
    HttpRequest,
    Jitter,
    RequestsTransport,
    Sleep,
    Transport,
)
from mlconnector.request_core import RequestCore
from mlconnector.rotating_tokens import (
    Granted,
    InMemoryTokenPairs,
    RefreshBusy,
    RefreshLost,
    RotatingTokens,
    TokenPair,
    TokenPairStore,
)
from mlconnector.systems.zendesk import export, jobs
from mlconnector.systems.zendesk.auth import JSON_TYPE, authorization, grant_request, granted
from mlconnector.systems.zendesk.classify import ERRORS, Call, json_body, reply_failure
from mlconnector.systems.zendesk.credentials import AuthMode, ZendeskCredentials
from mlconnector.systems.zendesk.endpoint import api_url
from mlconnector.systems.zendesk.errors import (
    AuthenticationError,
    GrantUnanswered,
    ParseError,
    RateLimited,
    RequestError,
    RetryLater,
    TokenRefreshBusy,
    TokenRejected,
    TransientError,
)
from mlconnector.systems.zendesk.export import TicketPage
from mlconnector.systems.zendesk.jobs import JobResult, JobStatus
from mlconnector.systems.zendesk.organizations import (
    MAX_BATCH,
    OrganizationField,
    name_taken,
    organizations_of,
    parse_fields,
    same_name,
)

_log = logging.getLogger(__name__)

USER_AGENT = "ml-connector-zendesk/0.1"
DEFAULT_HTTP = HttpPolicy(connect_timeout=5.0, read_timeout=60.0)
MAX_JOBS = 30
"""Bulk jobs queued or running per account: "a certain number" (verified); 30 is secondary. At most this many in
flight per client (configurable)."""
JOB_POLL_FIRST = 2.0
JOB_POLL_CAP = 30.0
JOB_MISSING_POLLS = 3
"""Polls a job may be missing from show_many before it counts as gone (results are kept one day)."""
ADMIN = "an admin (the incremental export is for admins only)"
ORG_MANAGER = "an admin, or an agent whose role may manage organizations"
AGENT = "an agent or admin role"

Json = dict[str, Any]
Params = tuple[tuple[str, str], ...]


class ZendeskClient:
    def __init__(
        self,
        credentials: ZendeskCredentials,
        pairs: TokenPairStore | None = None,
        *,
        http: HttpPolicy | None = None,
        transport: Transport | None = None,
        clock: Callable[[], float] = time.time,
        monotonic: Callable[[], float] = time.monotonic,
        deadline: Deadline | None = None,
        sleep: Sleep = time.sleep,
        jitter: Jitter = random.random,
        max_jobs: int = MAX_JOBS,
        export_per_minute: int = export.PER_MINUTE,
        export_budget: CallBudget | None = None,
        adopt_by_name: bool = False,
        owner: str | None = None,
        refresh_wait_seconds: float = 20.0,
    ) -> None:
        """`pairs`: the shared (DynamoDB) store of the rotating OAuth pair, so exactly one container refreshes it and
        every other one uses the new pair; without one, the pair lives in this process only (tests). `max_jobs`: bulk
        jobs in flight at once. `export_per_minute`: the export's limit (30 with High Volume). `adopt_by_name`: an
        organization holding a name without our external id is adopted instead of a per-record failure. `owner`
        names this container in refresh claims."""
        if max_jobs < 1:
            raise ValueError("max_jobs must be at least 1")
        self._credentials = credentials
        self._secrets = credentials.secrets()
        self._core = RequestCore(
            ERRORS,
            http=http or DEFAULT_HTTP,
            transport=transport or RequestsTransport(USER_AGENT, {"Accept": JSON_TYPE}),
            log=_log,
            clock=clock,
            deadline=deadline,
            sleep=sleep,
            jitter=jitter,
        )
        self._clock = clock
        self._deadline = deadline
        self._sleep = sleep
        self._export = export_budget or export.export_budget(export_per_minute, clock=monotonic, sleep=sleep)
        self._tokens = RotatingTokens(
            credentials.pair_key(),
            pairs if pairs is not None else InMemoryTokenPairs(clock),
            self._grant,
            initial_refresh_token=credentials.refresh_token,
            owner=owner or uuid.uuid4().hex,
            clock=clock,
            sleep=sleep,
            wait_seconds=refresh_wait_seconds,
        )
        self._max_jobs = max_jobs
        self._adopt_by_name = adopt_by_name
        self._jobs_lock = threading.Lock()
        self._in_flight: dict[str, tuple[Mapping[str, Any], ...]] = {}
        self._reserved = 0
        self._finished: dict[str, JobResult] = {}

    @property
    def calls(self) -> int:
        """HTTP requests sent (API and token grants), retries included."""
        return self._core.calls

    @property
    def credentials(self) -> ZendeskCredentials:
        return self._credentials

    @property
    def refreshes(self) -> int:
        """Refresh grants this client sent."""
        return self._tokens.refreshes

    @property
    def jobs_in_flight(self) -> int:
        with self._jobs_lock:
            return len(self._in_flight)

    def token(self) -> TokenPair | None:
        """The OAuth pair requests use (stored, or refreshed now); None for other credentials."""
        return self._pair() if self._credentials.mode is AuthMode.OAUTH else None

    # ----------------------------------------------------------------- users and account

    def me(self) -> Json:
        """GET /users/me: the user behind the credentials (`role`: end-user, agent, admin)."""
        data = self._call("GET", "users/me", Call("Zendesk current user", AGENT))
        user = data.get("user") if isinstance(data, dict) else None
        if not isinstance(user, dict):
            raise ParseError("Zendesk current user: the reply has no user")
        return user

    def webhook(self, webhook_id: str) -> Json:
        """GET /webhooks/{id}: a webhook's configuration (admins)."""
        if not webhook_id.isalnum():
            raise ValueError("a Zendesk webhook id is letters and digits")
        call = Call(f"Zendesk webhook {webhook_id}", "an admin (webhooks are managed by admins)")
        data = self._call("GET", f"webhooks/{webhook_id}", call)
        hook = data.get("webhook") if isinstance(data, dict) else None
        if not isinstance(hook, dict):
            raise ParseError(f"{call.what}: the reply has no webhook")
        return hook

    def create_or_update_users(self, users: Sequence[Mapping[str, Any]]) -> JobStatus:
        """POST /users/create_or_update_many (at most 100): users matched on email or external_id, as a job."""
        _batch(users, "users")
        if any(not (u.get("email") or u.get("external_id")) for u in users):
            raise ValueError("each Zendesk user needs an email or an external_id to be matched on")
        call = Call("Zendesk create or update users", AGENT)
        return self._submit("POST", "users/create_or_update_many", "users", users, call, idempotent=True)

    # ----------------------------------------------------------------- organizations

    def organizations_by_external_ids(self, external_ids: Sequence[str]) -> dict[str, Json]:
        """GET /organizations/show_many?external_ids= in batches of 100: each given external id that Zendesk knows,
        mapped to its organization (compared case-insensitively, as Zendesk does); unknown ones are absent."""
        wanted: dict[str, str] = {}
        for external_id in external_ids:
            if not isinstance(external_id, str) or not external_id.strip() or "," in external_id:
                raise ValueError(f"a Zendesk external id is non-empty text without commas: {str(external_id)[:40]!r}")
            wanted.setdefault(external_id.casefold(), external_id)
        found: dict[str, Json] = {}
        keys = list(wanted)
        call = Call("Zendesk organizations by external id", AGENT)
        for start in range(0, len(keys), MAX_BATCH):
            chunk = [wanted[k] for k in keys[start : start + MAX_BATCH]]
            data = self._call("GET", "organizations/show_many", call, params=(("external_ids", ",".join(chunk)),))
            for org in organizations_of(data, what=call.what):
                other = org.get("external_id")
                if other is not None and str(other).casefold() in wanted:
                    found[str(other).casefold()] = org
        return {e: found[e.casefold()] for e in external_ids if e.casefold() in found}

    def create_organizations(self, orgs: Sequence[Mapping[str, Any]]) -> JobStatus:
        """POST /organizations/create_many (at most 100), as a job. Not retried once it may have run (a repeat would
        meet the first one's names)."""
        _batch(orgs, "organizations")
        if any(not str(o.get("name") or "").strip() for o in orgs):
            raise ValueError("each Zendesk organization needs a name")
        call = Call("Zendesk create organizations", ORG_MANAGER)
        return self._submit("POST", "organizations/create_many", "organizations", orgs, call, idempotent=False)

    def update_organizations(self, orgs_with_ids: Sequence[Mapping[str, Any]]) -> JobStatus:
        """PUT /organizations/update_many, batch form (at most 100, each with its Zendesk `id`), as a job."""
        _batch(orgs_with_ids, "organizations")
        if any(not isinstance(o.get("id"), int) or isinstance(o.get("id"), bool) for o in orgs_with_ids):
            raise ValueError("each organization to update needs its Zendesk id (look it up by external id first)")
        call = Call("Zendesk update organizations", ORG_MANAGER)
        return self._submit("PUT", "organizations/update_many", "organizations", orgs_with_ids, call, idempotent=True)

    def search_organization_by_name(self, name: str) -> Json | None:
        """GET /organizations/search?name=: the organization holding `name` (trimmed, case-insensitive), or None."""
        if not name.strip():
            raise ValueError("an organization name is not empty")
        call = Call("Zendesk organization search by name", ORG_MANAGER)
        data = self._call("GET", "organizations/search", call, params=(("name", name.strip()),))
        return next(
            (o for o in organizations_of(data, what=call.what) if same_name(str(o.get("name", "")), name)), None
        )

    def organization_for_name(self, name: str, external_id: str) -> Json | None:
        """Before creating `external_id` under `name`: None when the name is free; the organization when it already
        has our external id or adopting by name is configured; else NameTaken (a per-record failure)."""
        found = self.search_organization_by_name(name)
        if found is None:
            return None
        if str(found.get("external_id") or "").casefold() == external_id.casefold() or self._adopt_by_name:
            return found
        raise name_taken(found, name, external_id)

    def organization_fields(self) -> list[OrganizationField]:
        """GET /organization_fields: the custom organization fields (values are written by `key`)."""
        call = Call("Zendesk organization fields", AGENT)
        return parse_fields(self._call("GET", "organization_fields", call), what=call.what)

    # ----------------------------------------------------------------- jobs

    def wait_for_jobs(self, job_ids: Sequence[str]) -> dict[str, JobResult]:
        """Poll GET /job_statuses/show_many?ids= for all of them at once, with backoff, until each is done; each result
        has the job and, per record sent, its item matched by index and id. A pause past the run's deadline raises
        RetryLater (the jobs go on at Zendesk; their records are read back next run)."""
        results: dict[str, JobResult] = {}
        missing: dict[str, int] = {}
        pause = JOB_POLL_FIRST
        call = Call("Zendesk job statuses", AGENT)
        while True:
            with self._jobs_lock:
                for job_id in job_ids:
                    if job_id in self._finished:
                        results[job_id] = self._finished[job_id]
            pending = [j for j in dict.fromkeys(job_ids) if j not in results]
            if not pending:
                return {j: results[j] for j in job_ids}
            # A job is not done the moment it is queued: pause first, then poll (one poll per job where it can).
            self._pause(pause, f"Zendesk jobs {', '.join(pending[:3])} are still running")
            pause = min(JOB_POLL_CAP, pause * 2)
            self._poll(pending, call, missing)

    def _poll(self, job_ids: Sequence[str], call: Call, missing: dict[str, int]) -> None:
        for start in range(0, len(job_ids), MAX_BATCH):
            chunk = list(job_ids[start : start + MAX_BATCH])
            data = self._call("GET", "job_statuses/show_many", call, params=(("ids", ",".join(chunk)),))
            items = data.get("job_statuses") if isinstance(data, dict) else None
            if not isinstance(items, list):
                raise ParseError(f"{call.what}: Zendesk's reply has no job_statuses list")
            seen = set()
            for item in items:
                job = jobs.parse_job_status(item, what=call.what, secrets=self._secrets)
                seen.add(job.id)
                if job.done and job.id in chunk:
                    with self._jobs_lock:
                        sent = self._in_flight.pop(job.id, ())
                        self._finished[job.id] = jobs.match(job, sent)
            for job_id in chunk:
                if job_id in seen:
                    missing.pop(job_id, None)
                    continue
                missing[job_id] = missing.get(job_id, 0) + 1
                if missing[job_id] >= JOB_MISSING_POLLS:
                    with self._jobs_lock:
                        self._in_flight.pop(job_id, None)
                    raise RequestError(f"{call.what}: Zendesk no longer knows job {job_id} (results are kept a day)")

    def _submit(
        self, method: str, path: str, key: str, records: Sequence[Mapping[str, Any]], call: Call, *, idempotent: bool
    ) -> JobStatus:
        """A bulk call within the cap on jobs in flight: at the cap, poll the running ones until one is done."""
        sent = tuple(dict(r) for r in records)
        missing: dict[str, int] = {}
        pause = JOB_POLL_FIRST
        while True:
            with self._jobs_lock:
                running = list(self._in_flight)
                if len(running) + self._reserved < self._max_jobs:
                    self._reserved += 1
                    break
            self._poll(running, Call("Zendesk job statuses", AGENT), missing)
            if len(running) > self.jobs_in_flight:
                continue
            self._pause(pause, f"{call.what}: {len(running)} Zendesk jobs (the most in flight) are still running")
            pause = min(JOB_POLL_CAP, pause * 2)
        try:
            data = self._call(method, path, call, body={key: list(sent)}, idempotent=idempotent)
            job = jobs.parse_job_status(data, what=call.what, secrets=self._secrets)
            with self._jobs_lock:
                if job.done:
                    self._finished[job.id] = jobs.match(job, sent)
                else:
                    self._in_flight[job.id] = sent
            return job
        finally:
            with self._jobs_lock:
                self._reserved -= 1

    # ----------------------------------------------------------------- tickets

    def export_tickets(self, start_time: int | None, cursor: str | None) -> Iterator[TicketPage]:
        """The cursor-based incremental export: `start_time` (Unix seconds, at least a minute ago) for the first call,
        else `cursor` (a page's after_cursor, persisted by the caller); pages until end_of_stream. Within the export's
        own window (10 a minute), so Zendesk's 429 is not met; a 429 is still honoured. Admins only. Arguments are
        checked at once; pages are read as the caller iterates."""
        if (start_time is None) == (cursor is None):
            raise ValueError("give either start_time (the first export) or cursor (every later one)")
        if start_time is not None:
            if isinstance(start_time, bool) or not isinstance(start_time, int) or start_time < 0:
                raise ValueError("start_time is Unix seconds")
            if start_time > self._clock() - export.MIN_AGE_SECONDS:
                raise ValueError("start_time must be at least a minute in the past")
            first: Params = (("start_time", str(start_time)),)
        else:
            if not isinstance(cursor, str) or not cursor.strip():
                raise ValueError("cursor is a page's after_cursor")
            first = (("cursor", cursor),)
        return self._export_pages((*first, ("include", export.SIDELOADS)))

    def _export_pages(self, params: Params) -> Iterator[TicketPage]:
        call = Call("Zendesk incremental ticket export", ADMIN)
        seen: set[str] = set()
        while True:
            data = self._call("GET", export.PATH, call, params=params, export_window=True)
            page = export.parse_page(data, what=call.what)
            yield page
            if page.end_of_stream:
                return
            if page.after_cursor is None or page.after_cursor in seen:
                raise ParseError(f"{call.what}: Zendesk gave no new after_cursor before end_of_stream")
            seen.add(page.after_cursor)
            params = (("cursor", page.after_cursor), ("include", export.SIDELOADS))

    def tickets_by_ids(self, ids: Sequence[int]) -> list[Json]:
        """GET /tickets/show_many?ids= (at most 100): the tickets Zendesk has of these ids (deleted ones absent)."""
        return list(self.ticket_page_by_ids(ids).tickets)

    def ticket_page_by_ids(self, ids: Sequence[int]) -> TicketPage:
        """GET /tickets/show_many?ids=&include=users,organizations (at most 100): the tickets Zendesk has of these ids
        (deleted ones absent) with their users and organizations, as one TicketPage (no cursor)."""
        if len(ids) > MAX_BATCH:
            raise ValueError(f"Zendesk shows at most {MAX_BATCH} tickets a call, got {len(ids)}")
        if any(isinstance(i, bool) or not isinstance(i, int) or i <= 0 for i in ids):
            raise ValueError("ticket ids are positive integers")
        if not ids:
            return TicketPage((), None, True)
        call = Call("Zendesk tickets by id", AGENT)
        params = (("ids", ",".join(str(i) for i in ids)), ("include", export.SIDELOADS))
        data = self._call("GET", "tickets/show_many", call, params=params)
        tickets = data.get("tickets") if isinstance(data, dict) else None
        if not isinstance(tickets, list):
            raise ParseError(f"{call.what}: Zendesk's reply has no tickets list")
        shown = tuple(t for t in tickets if isinstance(t, dict))
        return TicketPage(shown, None, True, export.sideloaded(data, "users"), export.sideloaded(data, "organizations"))

    def organizations_by_ids(self, ids: Sequence[int]) -> list[Json]:
        """GET /organizations/show_many?ids= in batches of 100: the organizations Zendesk has of these ids (for
        tickets whose organization a reply did not sideload)."""
        if any(isinstance(i, bool) or not isinstance(i, int) or i <= 0 for i in ids):
            raise ValueError("organization ids are positive integers")
        call = Call("Zendesk organizations by id", AGENT)
        found: list[Json] = []
        unique = list(dict.fromkeys(ids))
        for start in range(0, len(unique), MAX_BATCH):
            chunk = ",".join(str(i) for i in unique[start : start + MAX_BATCH])
            found += organizations_of(
                self._call("GET", "organizations/show_many", call, params=(("ids", chunk),)), what=call.what
            )
        return found

    def users_by_ids(self, ids: Sequence[int]) -> list[Json]:
        """GET /users/show_many?ids= in batches of 100 (for requesters a reply did not sideload)."""
        if any(isinstance(i, bool) or not isinstance(i, int) or i <= 0 for i in ids):
            raise ValueError("user ids are positive integers")
        call = Call("Zendesk users by id", AGENT)
        found: list[Json] = []
        unique = list(dict.fromkeys(ids))
        for start in range(0, len(unique), MAX_BATCH):
            chunk = ",".join(str(i) for i in unique[start : start + MAX_BATCH])
            data = self._call("GET", "users/show_many", call, params=(("ids", chunk),))
            users = data.get("users") if isinstance(data, dict) else None
            if not isinstance(users, list):
                raise ParseError(f"{call.what}: Zendesk's reply has no users list")
            found += [u for u in users if isinstance(u, dict)]
        return found

    # ----------------------------------------------------------------- internals

    def _call(
        self,
        method: str,
        path: str,
        call: Call,
        *,
        params: Params = (),
        body: Mapping[str, Any] | None = None,
        idempotent: bool = True,
        export_window: bool = False,
    ) -> Any:
        """One API call through the request core; a refused OAuth access token gets the next pair once."""
        payload = json.dumps(body, separators=(",", ":")).encode() if body is not None else None
        used: list[TokenPair | None] = []
        oauth = self._credentials.mode is AuthMode.OAUTH

        def build() -> HttpRequest:
            pair = self._pair() if oauth else None
            used.append(pair)
            headers = {"Authorization": authorization(self._credentials, pair.access_token if pair else None)}
            if payload is not None:
                headers["Content-Type"] = JSON_TYPE
            return HttpRequest(method, api_url(self._credentials.origin, path), params, payload, headers)

        def read(reply: HttpReply) -> Any:
            now = self._clock()
            secrets = (*self._secrets, *(p.access_token for p in used[-1:] if p and p.access_token))
            failure = reply_failure(reply, call=call, now=now, secrets=secrets)
            if failure is None:
                return json_body(reply, what=call.what)
            if oauth and reply.status == 401:
                raise TokenRejected(failure.context, status=401, error=failure.error, detail=failure.detail)
            if isinstance(failure, RateLimited):
                wait = max(failure.retry_after or 0.0, failure.min_wait)
                if export_window:
                    self._export.pause(wait)
                self._stop_if_past_deadline(failure, wait)
            raise failure

        def refused_again(exc: TokenRejected) -> AuthenticationError:
            return AuthenticationError(
                f"{call.what}: Zendesk refused a newly refreshed access token; check that the OAuth client is still "
                "active and its refresh token was not revoked",
                status=exc.status,
                error=exc.error,
                detail=exc.detail,
            )

        slot = self._export_slot if export_window else None
        return self._core.refresh_once(
            lambda: self._core.request(
                build, read, what=call.what, idempotent=idempotent, write=method != "GET", slot=slot
            ),
            what=call.what,
            refused=TokenRejected,
            refresh=lambda _: self._refused(used[-1]),
            refused_again=refused_again,
        )

    def _affordable(self, wait: float) -> bool:
        """A pause that still leaves time for a request before the run's deadline, and no longer than the policy ever
        waits."""
        left = self._deadline() if self._deadline is not None else None
        policy = self._core.http
        return (left is None or wait + policy.min_request_seconds <= left) and wait <= policy.retry.max_retry_after

    def _pause(self, wait: float, why: str) -> None:
        """Sleep between job polls; a pause past the deadline stops the run instead (the jobs go on at Zendesk)."""
        if not self._affordable(wait):
            raise RetryLater(
                f"{why} at the run's deadline: the run stops here and the next one reads their records back",
                retry_after=wait,
            )
        self._sleep(wait)

    def _stop_if_past_deadline(self, failure: RateLimited, wait: float) -> None:
        """A pause the run cannot afford (past its deadline, or longer than the policy ever waits) is a clean stop."""
        if not self._affordable(wait):
            raise RetryLater(
                f"{failure.context}: Zendesk asks for a {wait:.0f}s pause, beyond the time this run has left; the run "
                "stops at its checkpoint and the next one resumes",
                retry_after=wait,
                status=failure.status,
                error=failure.error,
                detail=failure.detail,
            )

    @contextmanager
    def _export_slot(self) -> Iterator[None]:
        try:
            self._export.acquire(self._deadline)
        except DeadlineExceeded as exc:
            raise RetryLater(
                f"Zendesk incremental export: {exc}; the run stops at its checkpoint and the next one resumes",
                retry_after=export.WINDOW_SECONDS,
            ) from None
        try:
            yield
        finally:
            self._export.release()

    def _pair(self) -> TokenPair:
        try:
            return self._tokens.current()
        except RefreshLost:
            return self._tokens.current()
        except RefreshBusy as exc:
            raise TokenRefreshBusy(f"Zendesk token refresh: {exc}") from None

    def _refused(self, pair: TokenPair | None) -> None:
        if pair is None:  # a static credential: nothing to refresh
            raise AuthenticationError("Zendesk refused the credentials: check them in the Zendesk secret")
        try:
            self._tokens.refused(pair)
        except RefreshBusy as exc:
            raise TokenRefreshBusy(f"Zendesk token refresh: {exc}") from None

    def _grant(self, refresh_token: str) -> Granted:
        """One refresh grant: sent once unless it cannot have reached Zendesk (a repeat would send a dead token)."""
        secrets = (*self._secrets, refresh_token)

        def read(reply: HttpReply) -> Granted:
            return granted(reply, now=self._clock(), secrets=secrets)

        request = grant_request(self._credentials, refresh_token)
        try:
            return self._core.request(lambda: request, read, what="Zendesk token grant", idempotent=False, write=True)
        except (TransientError, ParseError) as exc:
            raise GrantUnanswered(
                f"Zendesk token grant failed ({exc}); if Zendesk applied it without answering, the stored refresh "
                "token is dead: authorise the OAuth client again and put the new refresh_token in the secret",
                status=exc.status,
                error=exc.error,
            ) from None


def _batch(records: Sequence[Mapping[str, Any]], what: str) -> None:
    if len(records) > MAX_BATCH:
        raise ValueError(f"Zendesk takes at most {MAX_BATCH} {what} a call, got {len(records)}")
    if not records:
        raise ValueError(f"no {what} to send")


__all__ = ["MAX_JOBS", "ZendeskClient"]
