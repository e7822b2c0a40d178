"""The Intacct XML gateway client: sessions, retries, paging and writes on top of the small pieces.

Reads go with uniqueid=false and are retried per the retry matrix. Writes go with uniqueid=true and
the caller's deterministic controlids; a write whose outcome is unknown raises UnknownOutcome and is
never retried here. An invalid session is renewed once and the request replayed once. Sending, counting,
retries, the refresh and the deadline are the shared request core's (`mlconnector.request_core`); the XML
envelope, the session and the gateway's error matrix are Intacct's own pieces. Every request, logins included, holds
one of the company's concurrent-request slots while on the wire (`budget.py`).
"""

from __future__ import annotations

import logging
import random
import time
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from itertools import batched
from typing import Any, TypeVar

from mlconnector.http import Deadline, HttpPolicy, HttpReply, HttpRequest, Jitter, Sleep, Transport, retry_after_from
from mlconnector.request_core import RequestCore
from mlconnector.state.semaphore import SlotStore
from mlconnector.systems.intacct.budget import DEFAULT_CONCURRENCY_LIMIT, RequestSlots
from mlconnector.systems.intacct.classify import DEFAULT_RULES, ERRORS, ErrorRules
from mlconnector.systems.intacct.credentials import IntacctCredentials
from mlconnector.systems.intacct.endpoint import check_endpoint
from mlconnector.systems.intacct.errors import (
    AuthenticationError,
    IntacctError,
    ParseError,
    SessionExpired,
    UnknownOutcome,
)
from mlconnector.systems.intacct.functions import (
    ApiFunction,
    Create,
    Delete,
    GetAPISession,
    Inspect,
    Lookup,
    ObjectDefinition,
    ObjectType,
    Order,
    Query,
    ReadByName,
    ReadByQuery,
    ReadMore,
    Update,
    stable_order,
)
from mlconnector.systems.intacct.functions.base import MAX_KEYS
from mlconnector.systems.intacct.functions.filters import Filter
from mlconnector.systems.intacct.functions.inspect import parse_inspect
from mlconnector.systems.intacct.functions.lookup import parse_lookup
from mlconnector.systems.intacct.functions.query import MAX_QUERY_PAGESIZE
from mlconnector.systems.intacct.functions.read_by_query import MAX_READ_BY_QUERY_PAGESIZE
from mlconnector.systems.intacct.functions.write import Record
from mlconnector.systems.intacct.redact import redact_xml
from mlconnector.systems.intacct.request import (
    Authentication,
    ControlBlock,
    LoginAuth,
    SessionAuth,
    build_request,
    function_element,
)
from mlconnector.systems.intacct.response import Response, Result, parse_response, selected, with_dotted_fields
from mlconnector.systems.intacct.session import (
    CachedSession,
    SessionCache,
    SessionPolicy,
    Sessions,
    session_from_login,
)
from mlconnector.systems.intacct.transport import XML_HEADERS, http_failure, new_transport
from mlconnector.systems.intacct.xml import forbidden_paths

_log = logging.getLogger(__name__)
T = TypeVar("T")

READS_PER_REQUEST = 10
"""readByName chunks sent together in one request (each chunk is one function of <= 100 keys)."""


@dataclass(frozen=True)
class QueryPage:
    records: list[dict[str, Any]] = field(repr=False)
    totalcount: int
    numremaining: int
    offset: int


@dataclass(frozen=True)
class WriteOutcome:
    """One write function's outcome. `records` echo what was written (RECORDNO and the ID field)."""

    controlid: str
    function: str
    ok: bool
    records: list[dict[str, Any]] = field(repr=False)
    key: str | None = None
    error: IntacctError | None = None


class IntacctClient:
    def __init__(
        self,
        credentials: IntacctCredentials,
        session_cache: SessionCache,
        *,
        http: HttpPolicy | None = None,
        transport: Transport | None = None,
        clock: Callable[[], float] = time.time,
        deadline: Deadline | None = None,
        sleep: Sleep = time.sleep,
        jitter: Jitter = random.random,
        session_policy: SessionPolicy | None = None,
        rules: ErrorRules = DEFAULT_RULES,
        slots: SlotStore | None = None,
        concurrency_limit: int = DEFAULT_CONCURRENCY_LIMIT,
    ) -> None:
        """`slots`: where the company's concurrent-request slots are counted (DynamoDB when deployed, see budget.py);
        None: no company-wide limit (a client built by hand, in tests and benchmarks)."""
        self._credentials = credentials
        http = http or HttpPolicy()
        self._core = RequestCore(
            ERRORS,
            http=http,
            transport=transport or new_transport(),
            log=_log,
            clock=clock,
            deadline=deadline,
            sleep=sleep,
            jitter=jitter,
        )
        self._clock = clock
        self._rules = rules
        self._sessions = Sessions(
            credentials, session_cache, self._login, clock=clock, policy=session_policy or SessionPolicy()
        )
        self._requests = 0
        self.slots = (
            None
            if slots is None
            else RequestSlots(
                slots, credentials, concurrency_limit, http=http, sleep=sleep, deadline=deadline, jitter=jitter
            )
        )

    @property
    def calls(self) -> int:
        """HTTP requests sent to Intacct, including logins and retries."""
        return self._core.calls

    @calls.setter
    def calls(self, value: int) -> None:
        self._core.calls = value

    # ----------------------------------------------------------------- generic execution

    def execute(self, functions: Sequence[ApiFunction], *, write: bool, transaction: bool = False) -> list[Result]:
        """One request with these functions; results in the same order. Failed functions are returned,
        not raised; control, authentication and transport failures raise."""
        return self._execute(list(functions), write=write, transaction=transaction, raise_results=False)

    def execute_writes(self, functions: Sequence[ApiFunction], *, transaction: bool = False) -> list[WriteOutcome]:
        """Several writes in one request, one outcome per function: one bad record never fails the others."""
        return [_outcome(r) for r in self.execute(functions, write=True, transaction=transaction)]

    # ----------------------------------------------------------------- reads

    def query_pages(
        self,
        object: str,
        fields: Sequence[str],
        filter: Filter | None = None,
        orderby: Sequence[Order] = (),
        pagesize: int = MAX_QUERY_PAGESIZE,
        *,
        show_private: bool = True,
        case_insensitive: bool = False,
        docparid: str | None = None,
        tiebreak: str = "RECORDNO",
    ) -> Iterator[QueryPage]:
        """All matching records, page by page with `offset`, in a stable order (`tiebreak` appended: RECORDNO,
        or `id` for a Platform Services custom object)."""
        order = stable_order(orderby, tiebreak)
        offset = 0
        while True:
            query = Query(
                object,
                tuple(fields),
                filter,
                order,
                case_insensitive=case_insensitive,
                show_private=show_private,
                pagesize=pagesize,
                offset=offset,
                docparid=docparid,
            )
            [result] = self._execute([query], write=False, raise_results=True)
            page = _page(result, offset)
            yield page
            if page.numremaining <= 0 or not page.records:
                return
            offset += len(page.records)

    def read_by_query_pages(
        self,
        object: str,
        fields: Sequence[str] = ("*",),
        query: str = "",
        pagesize: int = MAX_READ_BY_QUERY_PAGESIZE,
        *,
        docparid: str | None = None,
    ) -> Iterator[QueryPage]:
        """Legacy paging: readByQuery, then readMore with its resultId until nothing remains.
        A readMore is only retried when it cannot have run (it moves a server-side position);
        otherwise its failure is raised and the caller restarts the query."""
        first = ReadByQuery(object, tuple(fields), query, pagesize, docparid)
        [result] = self._execute([first], write=False, raise_results=True)
        offset = 0
        while True:
            page = _page(result, offset)
            yield page
            if page.numremaining <= 0 or not page.records:
                return
            result_id = result.data.result_id if result.data is not None else None
            if not result_id:
                raise ParseError("Intacct readByQuery reported more rows but no resultId", function=result.function)
            offset += len(page.records)
            more = ReadMore(result_id, fields=first.fields)
            [result] = self._execute([more], write=False, raise_results=True, idempotent=False)

    def read_by_name(
        self,
        object: str,
        keys: Sequence[str],
        fields: Sequence[str] = ("*",),
    ) -> list[dict[str, Any]]:
        """Records by their ID field, 100 keys per function, several functions per request."""
        functions = [ReadByName(object, tuple(chunk), tuple(fields)) for chunk in batched(keys, MAX_KEYS, strict=False)]
        records: list[dict[str, Any]] = []
        for group in batched(functions, READS_PER_REQUEST, strict=False):
            for result in self._execute(list(group), write=False, raise_results=True):
                records.extend(result.records)
        return records

    def lookup(self, object: str) -> dict[str, Any]:
        """The object's field definitions in this tenant."""
        [result] = self._execute([Lookup(object)], write=False, raise_results=True)
        return result.records[0] if result.records else {}

    def object_definition(self, object: str) -> ObjectDefinition:
        """`lookup`, parsed: fields and, for a custom object, relationships (OBJECTPATH, RELATEDBY). A custom
        object the tenant lacks raises the function's error (see `functions.lookup.unknown_object`)."""
        [result] = self._execute([Lookup(object)], write=False, raise_results=True)
        return parse_lookup(result)

    def objects(self) -> list[ObjectType]:
        """`inspect *`: the objects of the tenant, custom objects included where installed."""
        [result] = self._execute([Inspect()], write=False, raise_results=True)
        return parse_inspect(result)

    # ----------------------------------------------------------------- writes

    def create(self, object: str, records: Sequence[Record], controlid: str, *, custom_object: bool = False) -> Result:
        """One generic create (one to 100 objects) with uniqueid=true; raises the function's error."""
        create = Create(object, tuple(records), controlid, custom_object=custom_object)
        [result] = self._execute([create], write=True, raise_results=True)
        return result

    def update(self, object: str, records: Sequence[Record], controlid: str, *, custom_object: bool = False) -> Result:
        update = Update(object, tuple(records), controlid, custom_object=custom_object)
        [result] = self._execute([update], write=True, raise_results=True)
        return result

    def delete(self, object: str, keys: Sequence[str | int], controlid: str) -> Result:
        [result] = self._execute([Delete(object, tuple(keys), controlid)], write=True, raise_results=True)
        return result

    # ----------------------------------------------------------------- sessions

    def ping(self) -> str:
        """Log in afresh (checks sender, user, company and endpoint) and return the session's endpoint."""
        return self._sessions.renew().endpoint

    def _login(self) -> CachedSession:
        creds = self._credentials
        auth = LoginAuth(creds.user_id, creds.company_id, creds.user_password, location_id=creds.entity_id)
        function = GetAPISession()
        try:
            response, result = self._post(
                creds.endpoint_url,
                auth,
                [function],
                lambda r: (r, _matched(r, [function], write=False)[0]),
                write=False,
                what="Intacct login",
            )
        except SessionExpired as exc:
            raise AuthenticationError("Intacct refused the login", exc.errors) from None
        if not result.ok:
            raise AuthenticationError("Intacct getAPISession failed", result.errors, controlid=result.controlid)
        return session_from_login(
            result,
            response.authentication,
            now=self._clock(),
            policy=self._sessions.policy,
            allowed_sandbox_hosts=creds.allowed_sandbox_hosts,
        )

    # ----------------------------------------------------------------- internals

    def _execute(
        self,
        functions: list[ApiFunction],
        *,
        write: bool,
        raise_results: bool,
        transaction: bool = False,
        idempotent: bool = True,
    ) -> list[Result]:
        what = _describe(functions)

        def check(response: Response) -> list[Result]:
            matched = _matched(response, functions, write=write)
            results = [with_dotted_fields(r, selected(f)) for r, f in zip(matched, functions, strict=True)]
            for result in results:
                _log_sanitized(result, what)
            if raise_results:  # inside the retried attempt, so a transient result failure is retried too
                for result in results:
                    result.raise_for_status()
            return results

        def send(session: CachedSession) -> list[Result]:
            auth = SessionAuth(session.session_id)
            return self._post(
                session.endpoint,
                auth,
                functions,
                check,
                write=write,
                what=what,
                transaction=transaction,
                idempotent=idempotent,
            )

        session = [self._sessions.current()]

        def log_in_again(_: SessionExpired) -> None:
            self._sessions.invalidate(session[0])
            session[0] = self._sessions.renew()

        def refused_again(exc: SessionExpired) -> AuthenticationError:
            return AuthenticationError(f"{what}: session refused again right after a fresh login", exc.errors)

        return self._core.refresh_once(
            lambda: send(session[0]),
            what=what,
            refused=SessionExpired,
            refresh=log_in_again,
            refused_again=refused_again,
            credential="session",
        )

    def _post(
        self,
        url: str,
        auth: Authentication,
        functions: list[ApiFunction],
        check: Callable[[Response], T],
        *,
        write: bool,
        what: str,
        transaction: bool = False,
        idempotent: bool = True,
    ) -> T:
        """Send one request (same body and controlids on every retry), parse the reply and `check` it;
        whatever `check` raises is classified and retried like a transport failure."""
        check_endpoint(url, self._credentials.allowed_sandbox_hosts)
        self._requests += 1
        control = ControlBlock(
            self._credentials.sender_id,
            self._credentials.sender_password,
            f"mlc-{int(self._clock())}-{self._requests}",
            uniqueid=write,
        )
        body = build_request(control, auth, functions, transaction=transaction).encode("utf-8")
        self._log_request(functions, body, what)
        secrets = (*self._credentials.secrets(), *([auth.session_id] if isinstance(auth, SessionAuth) else []))

        def read(reply: HttpReply) -> T:
            now = self._clock()
            failure = http_failure(
                reply, write=write, now=now, what=what, rate_limit_min_wait=self._rules.rate_limit_min_wait
            )
            if failure is not None:
                raise failure
            if _log.isEnabledFor(logging.DEBUG):
                _log.debug("%s response: %s", what, redact_xml(reply.body.decode("utf-8", "replace")))
            try:
                response = parse_response(
                    reply.body,
                    used_session=isinstance(auth, SessionAuth),
                    uniqueid=write,
                    http_status=reply.status,
                    retry_after=retry_after_from(reply.headers, now=now),
                    rules=self._rules,
                    secrets=secrets,
                )
            except ParseError as exc:
                if write:
                    raise UnknownOutcome(f"{what}: unreadable response to a write", exc.errors) from exc
                raise
            return check(response)

        request = HttpRequest("POST", url, body=body, headers=XML_HEADERS)
        return self._core.request(lambda: request, read, what=what, idempotent=idempotent, write=write, slot=self.slots)

    def _log_request(self, functions: list[ApiFunction], body: bytes, what: str) -> None:
        stripped = [p for f in functions for p in forbidden_paths(function_element(f))]
        if stripped:
            _log.warning("%s: removed characters XML forbids from %s", what, ", ".join(stripped))
        if _log.isEnabledFor(logging.DEBUG):
            _log.debug("%s request: %s", what, redact_xml(body.decode("utf-8")))


def _matched(response: Response, functions: Sequence[ApiFunction], *, write: bool) -> list[Result]:
    """Results in the order of `functions`; a missing result is an unknown outcome for a write."""
    by_id = response.by_controlid()
    missing = [f.controlid for f in functions if f.controlid not in by_id]
    if missing:
        context = f"Intacct response has no result for controlid {', '.join(missing)}"
        raise UnknownOutcome(context) if write else ParseError(context)
    return [by_id[f.controlid] for f in functions]


def _log_sanitized(result: Result, what: str) -> None:
    """Name the records that lost characters XML forbids (by RECORDNO or position; fields, never values)."""
    if result.data is None or not result.data.sanitized:
        return
    named = [
        f"{result.records[i].get('RECORDNO') or f'#{i + 1}'} ({', '.join(fields)})"
        for i, fields in sorted(result.data.sanitized.items())
    ]
    _log.warning("%s: removed characters XML forbids from records %s", what, "; ".join(named))


def _page(result: Result, offset: int) -> QueryPage:
    records = result.records
    data = result.data
    totalcount = data.totalcount if data is not None and data.totalcount is not None else offset + len(records)
    numremaining = data.numremaining if data is not None and data.numremaining is not None else 0
    return QueryPage(records=records, totalcount=totalcount, numremaining=numremaining, offset=offset)


def _outcome(result: Result) -> WriteOutcome:
    return WriteOutcome(
        controlid=result.controlid,
        function=result.function,
        ok=result.ok,
        records=result.records,
        key=result.key,
        error=result.error,
    )


def _describe(functions: Sequence[ApiFunction]) -> str:
    """e.g. "Intacct query VENDOR" or "Intacct create APBILL x3" — names what failed, never values."""
    first = functions[0]
    name = first.to_element().tag
    obj = getattr(first, "object", "")
    label = f"Intacct {name} {obj}".strip()
    return f"{label} x{len(functions)}" if len(functions) > 1 else label
