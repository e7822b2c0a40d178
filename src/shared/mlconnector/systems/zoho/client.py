"""The Zoho CRM v8 client: the refresh-token grant and its shared token, upsert with per-record results, record
reads and search, module and field metadata, the org.

Sending, counting, retries (429, 5xx, lost connections, Retry-After), the deadline and the one refresh of a refused
token are the shared request core's; what is Zoho's own plugs in: the data centre and api_domain checks
(endpoint.py), the grant and the `Zoho-oauthtoken` header (auth.py), the error envelope and its codes (classify.py),
per-record results (records.py), metadata (metadata.py) and two call budgets, the edition's limit of calls at once
and the sub-limit of heavy calls, shared by every stream of a run (limits.py).
"""

from __future__ import annotations

import json
import logging
import random
import threading
import time
from collections.abc import Callable, Iterator, Mapping, Sequence
from contextlib import contextmanager, nullcontext
from dataclasses import dataclass, field
from typing import Any

from mlconnector.call_budget import CallBudget
from mlconnector.http import Deadline, HttpPolicy, HttpReply, HttpRequest, Jitter, RequestsTransport, Sleep, Transport
from mlconnector.oauth_tokens import AccessToken, CachedTokens, InMemoryTokenCache, TokenCache
from mlconnector.request_core import RequestCore
from mlconnector.systems.zoho import limits
from mlconnector.systems.zoho.auth import MintGuard, authorization, grant_request, token_from_grant
from mlconnector.systems.zoho.classify import (
    ERRORS,
    Call,
    RateLimitStreak,
    credits_left,
    decoded,
    reply_failure,
)
from mlconnector.systems.zoho.credentials import ZohoCredentials
from mlconnector.systems.zoho.endpoint import api_url, check_api_domain
from mlconnector.systems.zoho.envelope import data_items
from mlconnector.systems.zoho.errors import (
    AccountsUnavailable,
    AuthenticationError,
    ParseError,
    RateLimited,
    RequestError,
    TokenRejected,
    TransientError,
)
from mlconnector.systems.zoho.metadata import FieldInfo, ModuleInfo, is_api_name, parse_fields, parse_modules
from mlconnector.systems.zoho.records import UpsertResult, upsert_results
from mlconnector.systems.zoho.token_cache import token_cache_key

_log = logging.getLogger(__name__)

USER_AGENT = "ml-connector-zoho/0.1"
JSON_TYPE = "application/json"
DEFAULT_HTTP = HttpPolicy(connect_timeout=5.0, read_timeout=60.0)
MAX_UPSERT = 100
"""Records per insert/update/upsert call (verified)."""
PAGE_SIZE = 200
"""Records per page of a read or search (the maximum)."""
MAX_FIELDS = 50
"""Fields per record read (`fields` is mandatory since v3)."""
REFRESH_MARGIN_SECONDS = 300.0
"""A token is replaced when less than this is left of its hour."""
MODULE_SCOPE = "ZohoCRM.modules.ALL (or ZohoCRM.modules.{module}.ALL)"
SEARCH_SCOPE = "ZohoSearch.securesearch.READ (with ZohoCRM.modules.ALL)"

Json = dict[str, Any]


@dataclass(frozen=True)
class _Reply:
    status: int
    data: Any = field(repr=False)
    """The decoded body; None for 204 or 304."""


class ZohoClient:
    def __init__(
        self,
        credentials: ZohoCredentials,
        token_cache: TokenCache | None = None,
        *,
        budget: CallBudget | None = None,
        heavy_budget: CallBudget | None = None,
        http: HttpPolicy | None = None,
        transport: Transport | None = None,
        clock: Callable[[], float] = time.time,
        deadline: Deadline | None = None,
        sleep: Sleep = time.sleep,
        jitter: Jitter = random.random,
        mint_guard: MintGuard | None = None,
        refresh_margin_seconds: float = REFRESH_MARGIN_SECONDS,
        rate_limit_stop_after: float = 300.0,
    ) -> None:
        """`token_cache`: the shared (DynamoDB) cache, so every container and run reuses one token; without one, tokens
        live in this process only. `budget` and `heavy_budget`: the org's limits of calls at once, shared by every
        stream (the spec's factory builds them per client from the edition); without them the client keeps its own.
        `rate_limit_stop_after`: 429s going on this long are taken as credits used up."""
        self._credentials = credentials
        self._secrets = credentials.secrets()
        self._budget = budget or limits.call_budget(clock=clock, sleep=sleep)
        self._heavy = heavy_budget or limits.heavy_budget(clock=clock, sleep=sleep)
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
        self._mints = mint_guard or MintGuard(clock=clock)
        self._tokens = CachedTokens(
            token_cache_key(credentials),
            token_cache if token_cache is not None else InMemoryTokenCache(),
            self._mint,
            clock=clock,
            refresh_margin_seconds=refresh_margin_seconds,
        )
        self._streak = RateLimitStreak(rate_limit_stop_after)
        self._lock = threading.Lock()
        self._api_domain: str | None = None
        self._credits: int | None = None
        self._modules: dict[str, ModuleInfo] | None = None
        self._fields: dict[str, dict[str, FieldInfo]] = {}

    @property
    def calls(self) -> int:
        """HTTP requests sent (API and token grants), retries included."""
        return self._core.calls

    @property
    def credentials(self) -> ZohoCredentials:
        return self._credentials

    @property
    def mints(self) -> int:
        """Access tokens this client minted in the last 10 minutes."""
        return self._mints.count

    # ----------------------------------------------------------------- token and org

    def token(self, *, renew: bool = False) -> AccessToken:
        """The access token API calls use (cached, or minted); `renew` mints a new one (ping: checks the grant)."""
        return self._tokens.renew() if renew else self._tokens.current()

    def api_domain(self) -> str:
        """Where API calls go: the current token's api_domain, checked (a token is minted if none is cached)."""
        return self._domain_of(self._tokens.current())

    def org(self) -> Json:
        """GET /org: the org (company_name, currency, `license_details.paid_type` naming the edition, ...)."""
        call = Call("Zoho org", "ZohoCRM.org.READ")
        data = self._call("GET", "org", call=call).data
        orgs = data.get("org") if isinstance(data, dict) else None
        if not isinstance(orgs, list) or not orgs or not isinstance(orgs[0], dict):
            raise ParseError("Zoho org: the reply has no org")
        return dict(orgs[0])

    def credits(self) -> int | None:
        """API credits left in the rolling 24 hours as Zoho's last reply reported them (X-API-CREDITS-REMAINING, sent
        once half of them are used: SECONDARY); None when no reply has carried it. Zoho documents no call that
        reads them."""
        with self._lock:
            return self._credits

    # ----------------------------------------------------------------- metadata

    def modules(self) -> dict[str, ModuleInfo]:
        """Every module of the org by API name, read once per client (so once per run)."""
        with self._lock:
            if self._modules is not None:
                return dict(self._modules)
        call = Call("Zoho modules", "ZohoCRM.settings.modules.READ (or ZohoCRM.settings.ALL)")
        found = parse_modules(self._call("GET", "settings/modules", call=call).data, what=call.what)
        with self._lock:
            self._modules = found
        return dict(found)

    def module_available(self, module: str) -> bool:
        """Listed for this org and usable through the API (Vendors is not on every edition)."""
        info = self.modules().get(module)
        return info is not None and info.available

    def fields(self, module: str) -> dict[str, FieldInfo]:
        """Every field of a module by API name, read once per client. ModuleUnavailable for a module the org lacks."""
        _api_name(module, "module")
        with self._lock:
            if module in self._fields:
                return dict(self._fields[module])
        call = Call(f"Zoho fields of {module}", "ZohoCRM.settings.fields.READ (or ZohoCRM.settings.ALL)", module)
        data = self._call("GET", "settings/fields", call=call, params=(("module", module),)).data
        found = parse_fields(data, what=call.what)
        with self._lock:
            self._fields[module] = found
        return dict(found)

    # ----------------------------------------------------------------- records

    def upsert(
        self,
        module: str,
        records: Sequence[Mapping[str, Any]],
        *,
        duplicate_check_fields: Sequence[str],
        trigger: Sequence[str] = (),
    ) -> list[UpsertResult]:
        """POST /{module}/upsert: insert or update up to 100 records, matched on `duplicate_check_fields` in order
        (name the module's unique external-id field first). Returns exactly one UpsertResult per record, in input
        order. `trigger` names the automations to run (workflow, approval, blueprint); none by default.
        ModuleUnavailable when the org lacks the module; ValueError beyond 100 records.

        Retried like any call: an upsert matched on a unique external id is safe to repeat."""
        _api_name(module, "module")
        if len(records) > MAX_UPSERT:
            raise ValueError(f"Zoho takes at most {MAX_UPSERT} records per upsert, got {len(records)}")
        if not duplicate_check_fields:
            raise ValueError("name the module's unique external-id field in duplicate_check_fields")
        for name in duplicate_check_fields:
            _api_name(name, f"{module} duplicate-check field")
        if not records:
            return []
        body = {
            "data": [dict(record) for record in records],
            "duplicate_check_fields": list(duplicate_check_fields),
            "trigger": list(trigger),
        }
        call = Call(f"Zoho upsert {module}", MODULE_SCOPE.format(module=module.lower()), module)
        heavy = len(records) > limits.HEAVY_RECORDS
        data = self._call("POST", f"{module}/upsert", call=call, body=body, heavy=heavy).data
        items = data_items(data)
        if items is None:
            raise ParseError(f"{call.what}: Zoho's reply has no data list")
        return upsert_results(items, len(records), secrets=self._secrets)

    def get_record(self, module: str, record_id: str, *, fields: Sequence[str] = ()) -> Json | None:
        """GET /{module}/{id}; None when there is no such record (204, or 400 INVALID_DATA "the id given seems to be
        invalid": which one Zoho answers is UNVERIFIED)."""
        _api_name(module, "module")
        if not isinstance(record_id, str) or not (record_id.isascii() and record_id.isdigit()):
            raise ValueError("a Zoho record id is a string of digits")
        call = Call(f"Zoho get {module} {record_id}", MODULE_SCOPE.format(module=module.lower()), module)
        params = (("fields", _field_list(fields)),) if fields else ()
        try:
            reply = self._call("GET", f"{module}/{record_id}", call=call, params=params)
        except RequestError as error:
            if error.code == "INVALID_DATA":
                return None
            raise
        records = _records(reply.data, call.what)
        return records[0] if records else None

    def search(self, module: str, criteria: str, *, fields: Sequence[str] = ()) -> list[Json]:
        """GET /{module}/search?criteria=...: every match, page by page (at most 2,000: Zoho's cap). No match is []
        (Zoho answers 204). `equals` matches like "contains" and the index lags writes by moments: filter the
        results exactly, and do not rely on search to find a record written a moment ago (criteria.py)."""
        _api_name(module, "module")
        call = Call(f"Zoho search {module}", SEARCH_SCOPE, module)
        base: tuple[tuple[str, str], ...] = (("criteria", criteria), ("per_page", str(PAGE_SIZE)))
        if fields:
            base += (("fields", _field_list(fields)),)
        return list(self._pages(f"{module}/search", call, base, {}, heavy=True))

    def records(
        self,
        module: str,
        fields: Sequence[str],
        *,
        modified_since: str | None = None,
        sort_by: str | None = None,
        sort_order: str = "asc",
        page_size: int = PAGE_SIZE,
    ) -> Iterator[Json]:
        """GET /{module}?fields=...: every record, page by page (`page` for the first 2,000, then the `page_token`
        Zoho hands out). `modified_since` (ISO 8601 with offset) is sent as If-Modified-Since: only records changed
        since (Zoho answers 304 when none). Sorting makes it a heavy call. Arguments are checked at once; pages are
        read as the caller iterates."""
        _api_name(module, "module")
        if not fields or len(fields) > MAX_FIELDS:
            raise ValueError(f"name 1 to {MAX_FIELDS} fields to read")
        if sort_order not in ("asc", "desc"):
            raise ValueError("sort_order is asc or desc")
        call = Call(f"Zoho records of {module}", MODULE_SCOPE.format(module=module.lower()), module)
        base: tuple[tuple[str, str], ...] = (
            ("fields", _field_list(fields)),
            ("per_page", str(min(page_size, PAGE_SIZE))),
        )
        if sort_by is not None:
            base += (("sort_by", _api_name(sort_by, "sort field")), ("sort_order", sort_order))
        headers = {"If-Modified-Since": modified_since} if modified_since else {}
        return self._pages(module, call, base, headers, heavy=sort_by is not None)

    def _pages(
        self, path: str, call: Call, base: tuple[tuple[str, str], ...], headers: Mapping[str, str], *, heavy: bool
    ) -> Iterator[Json]:
        page, token, seen = 1, "", set[str]()
        while True:
            params = (*base, ("page_token", token)) if token else (*base, ("page", str(page)))
            reply = self._call("GET", path, call=call, params=params, headers=headers, heavy=heavy)
            records = _records(reply.data, call.what)
            yield from records
            info = _info(reply.data)
            if not records or not info.get("more_records"):
                return
            next_token = info.get("next_page_token")
            if isinstance(next_token, str) and next_token:
                if next_token in seen:
                    raise ParseError(f"{call.what}: Zoho repeated a page_token")
                seen.add(next_token)
                token = next_token
            elif token:
                raise ParseError(f"{call.what}: Zoho said there are more records but gave no page_token")
            page += 1

    # ----------------------------------------------------------------- internals

    def _call(
        self,
        method: str,
        path: str,
        *,
        call: Call,
        params: tuple[tuple[str, str], ...] = (),
        body: Mapping[str, Any] | None = None,
        headers: Mapping[str, str] | None = None,
        heavy: bool = False,
    ) -> _Reply:
        """One API call through the request core, inside the budget slots; INVALID_TOKEN mints a new token once."""
        payload = json.dumps(body, separators=(",", ":")).encode() if body is not None else None
        used: list[AccessToken] = []

        def build() -> HttpRequest:
            token = self._tokens.current()
            used.append(token)
            sent = {**(headers or {}), "Authorization": authorization(token)}
            if payload is not None:
                sent["Content-Type"] = JSON_TYPE
            return HttpRequest(method, api_url(self._domain_of(token), path), params, payload, sent)

        def read(reply: HttpReply) -> _Reply:
            now = self._clock()
            left = self._note_credits(reply.headers)
            data = decoded(reply, what=call.what)
            secrets = (*self._secrets, *(t.token for t in used[-1:]))
            failure = reply_failure(reply, data, call=call, now=now, secrets=secrets, credits_left=left)
            if failure is None:
                with self._lock:
                    self._streak.answered()
                return _Reply(reply.status, None if reply.status in (204, 304) else data)
            if isinstance(failure, RateLimited):
                with self._lock:
                    failure = self._streak.limited(now, failure, call)
                if isinstance(failure, RateLimited):  # every stream sharing the budget backs off
                    self._budget.pause(max(failure.min_wait, failure.retry_after or 0.0))
            raise failure

        def refused_again(exc: TokenRejected) -> AuthenticationError:
            return AuthenticationError(
                f"{call.what}: Zoho refused a newly minted access token; check data_centre (a token of one data "
                "centre is refused by another's API host) and that the client and its refresh token are still valid",
                status=exc.status,
                code=exc.code,
                detail=exc.detail,
            )

        return self._core.refresh_once(
            lambda: self._core.request(build, read, what=call.what, slot=lambda: self._slot(heavy)),
            what=call.what,
            refused=TokenRejected,
            refresh=lambda _: self._tokens.invalidate(used[-1]),
            refused_again=refused_again,
        )

    @contextmanager
    def _slot(self, heavy: bool) -> Iterator[None]:
        """The general slot; for a heavy call, the heavy slot first (never holding a general one while waiting)."""
        with self._heavy.slot(self._deadline) if heavy else nullcontext(), self._budget.slot(self._deadline):
            yield

    def _mint(self) -> AccessToken:
        """One refresh-token grant (transient failures retried; refused credentials and the mint limit are not)."""
        self._mints.check()
        request = grant_request(self._credentials)

        def read(reply: HttpReply) -> AccessToken:
            with self._lock:
                last = self._api_domain
            return token_from_grant(reply, now=self._clock(), credentials=self._credentials, last_api_domain=last)

        try:
            token = self._core.request(lambda: request, read, what="Zoho token grant")
        except (TransientError, ParseError) as exc:
            raise AccountsUnavailable(
                f"Zoho token grant: the accounts server {self._credentials.accounts_url} is unavailable ({exc})",
                status=exc.status,
                code=exc.code,
            ) from None
        self._mints.minted()
        with self._lock:
            self._api_domain = token.endpoint
        return token

    def _domain_of(self, token: AccessToken) -> str:
        """The token's api_domain, checked again (a cached token's comes from DynamoDB)."""
        domain = token.endpoint or self._api_domain or self._credentials.default_api_domain
        return check_api_domain(domain, self._credentials.allowed_sandbox_hosts)

    def _note_credits(self, headers: Mapping[str, str]) -> int | None:
        left = credits_left(headers)
        if left is not None:
            with self._lock:
                self._credits = left
        return left


def _records(data: object, what: str) -> list[Json]:
    """The records of a read (none for 204/304)."""
    if data is None:
        return []
    items = data_items(data)
    if items is None:
        raise ParseError(f"{what}: Zoho's reply has no data list")
    return [item for item in items if isinstance(item, dict)]


def _info(data: object) -> Mapping[str, Any]:
    info = data.get("info") if isinstance(data, dict) else None
    return info if isinstance(info, dict) else {}


def _api_name(value: str, what: str) -> str:
    """A module or field name as the caller gave it, if it is one (it becomes part of a URL); else ValueError."""
    if not is_api_name(value):
        raise ValueError(f"Zoho {what} {str(value)[:40]!r} is not an API name (letters, digits, underscores)")
    return value


def _field_list(fields: Sequence[str]) -> str:
    return ",".join(_api_name(name, "field") for name in fields)


__all__ = ["MAX_UPSERT", "ZohoClient"]
