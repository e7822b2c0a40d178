"""The Marketo REST client: tokens, the shared call budget, retries, describe, sync and query.

Every attempt builds its request afresh, Authorization header included (a retry never loses the
token). A refused token (601/602) is dropped and the request replayed once with a new one. Sending, counting,
retries, the refresh and the deadline are the shared request core's (`mlconnector.request_core`); what is
Marketo's own plugs in: errors inside HTTP 200 (`envelope`, `classify`) and the shared call budget's slot.
"""

from __future__ import annotations

import logging
import random
import time
from collections.abc import Callable, Mapping, Sequence
from contextlib import AbstractContextManager
from dataclasses import replace
from functools import partial
from itertools import batched
from typing import Any, TypeVar
from urllib.parse import urlencode

from mlconnector.call_budget import CallBudget
from mlconnector.http import Deadline, HttpPolicy, HttpReply, Jitter, Sleep, retry_after_from
from mlconnector.request_core import RequestCore
from mlconnector.systems.marketo.auth import IdentityStyle, TokenPolicy, Tokens, identity_request, token_from_reply
from mlconnector.systems.marketo.classify import (
    DEFAULT_RULES,
    ERRORS,
    ErrorRules,
    http_failure,
    identity_failure,
    is_empty_search,
    response_failure,
)
from mlconnector.systems.marketo.credentials import MarketoCredentials
from mlconnector.systems.marketo.describe import Describe, parse_describe
from mlconnector.systems.marketo.endpoint import check_base_url, rest_url
from mlconnector.systems.marketo.envelope import Envelope, parse_envelope
from mlconnector.systems.marketo.errors import (
    AuthenticationError,
    ErrorDetail,
    IdentityUnavailable,
    ParseError,
    RateLimited,
    TokenRejected,
    TransientError,
    scrub_details,
)
from mlconnector.systems.marketo.payload import MAX_BODY_BYTES, encode_json, split_to_fit
from mlconnector.systems.marketo.records import (
    RECORD_TOO_LARGE,
    SKIPPED,
    RecordResult,
    company_problem,
    lead_problem,
    results_in_input_order,
    skipped,
)
from mlconnector.systems.marketo.token_cache import AccessToken, TokenCache, token_cache_key
from mlconnector.systems.marketo.transport import FORM_TYPE, JSON_TYPE, HttpRequest, Transport, new_transport

_log = logging.getLogger(__name__)
T = TypeVar("T")
Record = Mapping[str, Any]

MAX_BATCH = 300
"""Records per sync call and filter values per query call (Marketo's Lead-DB limit)."""
COMPANY_ACTIONS = frozenset({"createOnly", "updateOnly", "createOrUpdate"})
LEAD_ACTIONS = COMPANY_ACTIONS | {"createDuplicate"}

READ_COMPANY = "Read-Only Company"
WRITE_COMPANY = "Read-Write Company"
READ_LEAD = "Read-Only Lead"
WRITE_LEAD = "Read-Write Lead"

DEFAULT_HTTP = HttpPolicy(connect_timeout=5.0, read_timeout=95.0)
"""Read timeout above Marketo's own server-side limits (Sync Leads 90 s, Sync Companies 60 s)."""

MAX_CALLS_PER_WINDOW = 100
WINDOW_SECONDS = 20.0
MAX_IN_FLIGHT = 10
"""Marketo's limits per instance: 100 calls in any 20 seconds, 10 at once."""


def call_budget(*, clock: Callable[[], float] = time.monotonic, sleep: Sleep = time.sleep) -> CallBudget:
    """A call budget with Marketo's limits; share one between every client of a run."""
    return CallBudget(MAX_CALLS_PER_WINDOW, WINDOW_SECONDS, MAX_IN_FLIGHT, system="Marketo", clock=clock, sleep=sleep)


class MarketoClient:
    def __init__(
        self,
        credentials: MarketoCredentials,
        token_cache: TokenCache,
        *,
        budget: CallBudget | None = None,
        http: HttpPolicy | None = None,
        transport: Transport | None = None,
        clock: Callable[[], float] = time.time,
        deadline: Deadline | None = None,
        sleep: Sleep = time.sleep,
        jitter: Jitter = random.random,
        token_policy: TokenPolicy | None = None,
        rules: ErrorRules = DEFAULT_RULES,
        identity_style: IdentityStyle = "query",
        max_body_bytes: int = MAX_BODY_BYTES,
    ) -> None:
        """`budget`: share one CallBudget between every client of a run (Marketo's limits are per instance);
        without one the client keeps its own."""
        self._credentials = credentials
        self._base = check_base_url(credentials.base, credentials.munchkin_id, credentials.allowed_sandbox_hosts)
        self._budget = budget or call_budget(clock=clock, sleep=sleep)
        self._core = RequestCore(
            ERRORS,
            http=http or DEFAULT_HTTP,
            transport=transport or new_transport(),
            log=_log,
            clock=clock,
            deadline=deadline,
            sleep=sleep,
            jitter=jitter,
        )
        self._clock = clock
        self._deadline = deadline
        self._rules = rules
        self._identity_style = identity_style
        self._max_body = max_body_bytes
        self._tokens = Tokens(
            token_cache_key(credentials),
            token_cache,
            self._fetch_token,
            clock=clock,
            sleep=sleep,
            deadline=deadline,
            policy=token_policy,
        )

    @property
    def calls(self) -> int:
        """HTTP requests sent to Marketo, including identity calls and retries."""
        return self._core.calls

    # ----------------------------------------------------------------- describe

    def describe_companies(self) -> Describe:
        envelope = self._call(
            "GET",
            "v1/companies/describe.json",
            what="Marketo describe companies",
            permission=READ_COMPANY,
            check=_envelope,
        )
        return parse_describe(envelope.result, default_name="Company")

    def describe_leads(self) -> Describe:
        """Lead fields by REST name; the dedupe field is the default lookup field, email."""
        envelope = self._call(
            "GET", "v1/leads/describe.json", what="Marketo describe leads", permission=READ_LEAD, check=_envelope
        )
        return parse_describe(envelope.result, default_name="Lead", default_dedupe=("email",))

    # ----------------------------------------------------------------- sync

    def sync_companies(
        self, records: Sequence[Record], *, action: str = "createOrUpdate", dedupe_by: str = "dedupeFields"
    ) -> list[RecordResult]:
        """Upsert up to 300 companies; one RecordResult per record, in input order (Marketo's `seq`)."""
        _check_batch(records)
        if action not in COMPANY_ACTIONS:
            raise ValueError(f"company sync action must be one of {sorted(COMPANY_ACTIONS)}")
        if dedupe_by not in ("dedupeFields", "idField"):
            raise ValueError("dedupe_by must be 'dedupeFields' or 'idField'")
        if dedupe_by == "idField" and action != "updateOnly":
            raise ValueError("dedupe_by='idField' only works with action='updateOnly' (ids are Marketo-assigned)")
        return self._sync(
            "v1/companies.json",
            records,
            {"action": action, "dedupeBy": dedupe_by},
            problem=company_problem,
            by_seq=True,
            what="Marketo sync companies",
            permission=WRITE_COMPANY,
            idempotent=True,
        )

    def sync_leads(
        self,
        records: Sequence[Record],
        *,
        action: str = "createOrUpdate",
        lookup_field: str = "email",
        partition: str | None = None,
    ) -> list[RecordResult]:
        """Upsert up to 300 leads; one RecordResult per record, in input order (lead results have no seq).
        A createDuplicate batch is never re-sent once it may have reached Marketo."""
        _check_batch(records)
        if action not in LEAD_ACTIONS:
            raise ValueError(f"lead sync action must be one of {sorted(LEAD_ACTIONS)}")
        if lookup_field == "id" and action != "updateOnly":
            raise ValueError("lookup_field='id' only works with action='updateOnly'")
        fields: dict[str, Any] = {"action": action, "lookupField": lookup_field}
        if partition is not None:
            fields["partitionName"] = partition
        return self._sync(
            "v1/leads.json",
            records,
            fields,
            problem=lead_problem,
            by_seq=False,
            what="Marketo sync leads",
            permission=WRITE_LEAD,
            idempotent=action != "createDuplicate",
        )

    # ----------------------------------------------------------------- query

    def query_companies(
        self, filter_type: str, values: Sequence[str | int], fields: Sequence[str] = ()
    ) -> list[dict[str, Any]]:
        """Companies whose `filter_type` field matches any of `values` (300 per call, every page)."""
        return self._query(
            "v1/companies.json", filter_type, values, fields, what="Marketo query companies", permission=READ_COMPANY
        )

    def query_leads(
        self, filter_type: str, values: Sequence[str | int], fields: Sequence[str] = ()
    ) -> list[dict[str, Any]]:
        return self._query(
            "v1/leads.json", filter_type, values, fields, what="Marketo query leads", permission=READ_LEAD
        )

    # ----------------------------------------------------------------- ping

    def ping(self) -> str:
        """Fetch a new token (checks client id and secret) and describe companies (checks the REST API and the
        role); returns the base URL."""
        self._tokens.renew()
        self.describe_companies()
        return self._base

    # ----------------------------------------------------------------- internals

    def _sync(
        self,
        resource: str,
        records: Sequence[Record],
        fields: Mapping[str, Any],
        *,
        problem: Callable[[Record], ErrorDetail | None],
        by_seq: bool,
        what: str,
        permission: str,
        idempotent: bool,
    ) -> list[RecordResult]:
        """Records Marketo would refuse are skipped locally; the rest go in bodies within the size limit."""
        results: dict[int, RecordResult] = {}
        sendable: list[tuple[int, Record]] = []
        for index, record in enumerate(records):
            found = problem(record)
            if found is not None:
                results[index] = RecordResult(index, SKIPPED, None, (found,))
            else:
                sendable.append((index, record))

        def body_of(part: Sequence[tuple[int, Record]]) -> bytes:
            return encode_json({**fields, "input": [record for _, record in part]})

        parts, oversized = split_to_fit(sendable, lambda part: len(body_of(part)), self._max_body)
        for index, _ in oversized:
            results[index] = skipped(
                index, RECORD_TOO_LARGE, f"record alone exceeds the {self._max_body}-byte body limit"
            )
        for part in parts:
            check = partial(_sync_results, count=len(part), by_seq=by_seq)
            sent = self._call(
                "POST",
                resource,
                what=what,
                permission=permission,
                check=check,
                body=body_of(part),
                idempotent=idempotent,
            )
            for (index, _), result in zip(part, sent, strict=True):
                results[index] = replace(result, index=index)
        return [results[index] for index in range(len(records))]

    def _query(
        self,
        resource: str,
        filter_type: str,
        values: Sequence[str | int],
        fields: Sequence[str],
        *,
        what: str,
        permission: str,
    ) -> list[dict[str, Any]]:
        """POST with `_method=GET` and a form body (documented for long queries), so 300 values never hit the
        8 KB URI limit. Pages follow nextPageToken until Marketo reports no more."""
        texts = [str(v) for v in values]
        if any(not t or "," in t for t in texts):
            raise ValueError("query values must be non-empty and free of commas (Marketo separates them by commas)")
        records: list[dict[str, Any]] = []
        for chunk in batched(texts, MAX_BATCH, strict=False):
            seen: set[str] = set()
            page_token: str | None = None
            while True:
                form = [("filterType", filter_type), ("filterValues", ",".join(chunk)), ("batchSize", str(MAX_BATCH))]
                if fields:
                    form.append(("fields", ",".join(fields)))
                if page_token is not None:
                    form.append(("nextPageToken", page_token))
                page = self._call(
                    "POST",
                    resource,
                    what=what,
                    permission=permission,
                    check=_envelope,
                    params=(("_method", "GET"),),
                    body=urlencode(form).encode(),
                    content_type=FORM_TYPE,
                    empty_search_ok=True,
                )
                records.extend(page.result)
                page_token = page.next_page_token
                if page_token is None or page.more_result is False:
                    break
                if page_token in seen:
                    raise ParseError(f"{what}: Marketo repeated a nextPageToken")
                seen.add(page_token)
        return records

    def _call(
        self,
        method: str,
        resource: str,
        *,
        what: str,
        permission: str,
        check: Callable[[Envelope], T],
        params: tuple[tuple[str, str], ...] = (),
        body: bytes | None = None,
        content_type: str = JSON_TYPE,
        idempotent: bool = True,
        empty_search_ok: bool = False,
    ) -> T:
        """One REST call through the request core; whatever `check` raises inside an attempt is classified like
        the rest. A refused token (601/602) is dropped and the call replayed once with a new one."""
        url = rest_url(self._base, resource)
        used: list[AccessToken] = []

        def build() -> HttpRequest:
            token = self._tokens.current()
            used.append(token)
            headers = {"Authorization": f"Bearer {token.token}"}  # fresh for every attempt
            if body is not None:
                headers["Content-Type"] = content_type
            return HttpRequest(method, url, params, body, headers)

        def read(reply: HttpReply) -> T:
            now = self._clock()
            failure = http_failure(reply, what=what, now=now, rules=self._rules)
            if failure is None:
                envelope = parse_envelope(reply.body, what=what)
                if envelope.success or (empty_search_ok and is_empty_search(envelope.errors, self._rules)):
                    return check(envelope)
                failure = response_failure(
                    scrub_details(envelope.errors, (*self._credentials.secrets(), used[-1].token)),
                    what=what,
                    permission=permission,
                    retry_after=retry_after_from(reply.headers, now=now),
                    rules=self._rules,
                )
            if isinstance(failure, RateLimited) and failure.window_full:
                self._budget.pause(failure.min_wait)  # every flow sharing the budget waits for the window
            raise failure

        def run() -> T:
            return self._core.request(build, read, what=what, idempotent=idempotent, slot=self._slot)

        def refused_again(exc: TokenRejected) -> AuthenticationError:
            return AuthenticationError(f"{what}: Marketo refused a freshly issued token", exc.errors)

        return self._core.refresh_once(
            run,
            what=what,
            refused=TokenRejected,
            refresh=lambda _: self._tokens.invalidate(used[-1]),
            refused_again=refused_again,
        )

    def _slot(self) -> AbstractContextManager[object]:
        return self._budget.slot(self._deadline)

    def _fetch_token(self) -> AccessToken:
        """One identity call with retries for transient failures; bad credentials fail at once."""
        request = identity_request(self._credentials, self._identity_style)
        secrets = self._credentials.secrets()

        def read(reply: HttpReply) -> AccessToken:
            now = self._clock()
            failure = identity_failure(reply, now=now, secrets=secrets)
            if failure is not None:
                raise failure
            return token_from_reply(reply.body, now=now, secrets=secrets)

        try:
            return self._core.request(lambda: request, read, what="Marketo identity")
        except TransientError as exc:
            raise IdentityUnavailable(f"Marketo identity unavailable: {exc}", exc.errors) from None


def _check_batch(records: Sequence[Record]) -> None:
    if len(records) > MAX_BATCH:
        raise ValueError(f"Marketo takes at most {MAX_BATCH} records per sync call, got {len(records)}")


def _sync_results(envelope: Envelope, *, count: int, by_seq: bool) -> list[RecordResult]:
    return results_in_input_order(envelope.result, count, by_seq=by_seq)


def _envelope(envelope: Envelope) -> Envelope:
    return envelope
