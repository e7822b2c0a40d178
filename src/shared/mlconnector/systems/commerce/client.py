"""The Adobe Commerce REST client: authentication per flavour, retries, searchCriteria paging, and the calls the
connector needs (sales documents, customers, B2B companies and purchase orders, ping).

Every attempt builds its request afresh, Authorization included: an OAuth 1.0a signature (nonce, timestamp) is
never replayed, and a retry after an IMS refresh carries the new token. A 401 on SaaS drops the token and
replays once with a new one; a second 401, or any 401 on PaaS, is an AuthenticationError saying what to check.
"""

from __future__ import annotations

import json
import logging
import random
import time
from collections.abc import Callable, Iterable, Iterator, Mapping
from dataclasses import dataclass
from itertools import batched
from typing import Any, TypeVar

from mlconnector.http import Deadline, HttpPolicy, HttpReply, HttpRequest, Jitter, RequestsTransport, Sleep, Transport
from mlconnector.oauth_tokens import CachedTokens
from mlconnector.request_core import RequestCore
from mlconnector.systems.commerce.auth import (
    ims_headers,
    ims_request,
    oauth1_authorization,
    token_from_reply,
)
from mlconnector.systems.commerce.classify import ERRORS, http_failure, ims_failure
from mlconnector.systems.commerce.credentials import CommerceCredentials
from mlconnector.systems.commerce.endpoint import Flavour
from mlconnector.systems.commerce.entities import (
    COMPANIES,
    CREDIT_MEMOS,
    CUSTOMERS,
    INVOICES,
    ORDERS,
    PURCHASE_ORDERS,
    Entity,
    entity,
)
from mlconnector.systems.commerce.errors import (
    AuthenticationError,
    B2BUnavailable,
    ParseError,
    TokenRejected,
)
from mlconnector.systems.commerce.search import Filter, SearchCriteria, SearchPage, parse_search_page, query_string
from mlconnector.systems.commerce.token_cache import AccessToken, InMemoryTokenCache, TokenCache, token_cache_key

_log = logging.getLogger(__name__)
T = TypeVar("T")

USER_AGENT = "ml-connector-commerce/0.1"
JSON_TYPE = "application/json"
DEFAULT_HTTP = HttpPolicy(connect_timeout=5.0, read_timeout=60.0)
COMPANY_ADMINS_PER_SEARCH = 100
EMAILS_PER_SEARCH = 100


@dataclass(frozen=True)
class PingResult:
    flavour: Flavour
    rest_root: str
    auth: str
    """oauth1, bearer or ims."""
    orders: int
    """total_count of orders visible to the credentials."""
    b2b: bool
    """The B2B company route answers (the B2B extension is installed)."""
    purchase_orders: bool
    """The purchase-order routes answer (UNVERIFIED paths, see entities.py)."""
    notes: tuple[str, ...] = ()


class CommerceClient:
    def __init__(
        self,
        credentials: CommerceCredentials,
        token_cache: TokenCache | None = None,
        *,
        http: HttpPolicy | None = None,
        transport: Transport | None = None,
        clock: Callable[[], float] = time.time,
        deadline: Deadline | None = None,
        sleep: Sleep = time.sleep,
        jitter: Jitter = random.random,
        ims_refresh_margin_seconds: float = 3600.0,
    ) -> None:
        """`token_cache` holds SaaS IMS tokens (shared by every container); unused on PaaS. Without one, tokens
        live in this process only."""
        self._credentials = credentials
        self._instance = credentials.instance
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
        self._tokens: CachedTokens | None = None
        if self._instance.flavour == "saas":
            # IMS tokens live about 24 h and client credentials have no refresh token: re-minted once less than
            # the margin is left, or when Commerce refuses one.
            self._tokens = CachedTokens(
                token_cache_key(credentials),
                token_cache if token_cache is not None else InMemoryTokenCache(),
                self._fetch_token,
                clock=clock,
                refresh_margin_seconds=ims_refresh_margin_seconds,
            )

    @property
    def calls(self) -> int:
        """HTTP requests sent (Commerce and IMS), retries included."""
        return self._core.calls

    @property
    def auth_mode(self) -> str:
        return "ims" if self._tokens is not None else self._credentials.paas_auth

    # ----------------------------------------------------------------- search

    def search(self, name: str | Entity, criteria: SearchCriteria) -> SearchPage:
        """One page of a getList endpoint."""
        spec = entity(name)
        what = f"Commerce search {spec.name}"
        return self._call(
            "GET",
            spec.search_path,
            what=what,
            entity=spec,
            params=criteria.params(),
            parse=lambda body: parse_search_page(body, criteria, what=what),
        )

    def search_pages(self, name: str | Entity, criteria: SearchCriteria) -> Iterator[SearchPage]:
        """Every page from `criteria.current_page` on, by page number. Stops on total_count, and also when a page
        repeats the previous one (an out-of-range page returns the last page again, reference §4): never loops."""
        spec = entity(name)
        number = criteria.current_page
        previous: list[object] | None = None
        while True:
            page = self.search(spec, criteria.page(number))
            ids = [item.get(spec.id_key) for item in page.items]
            if previous is not None and ids == previous:
                _log.warning("Commerce search %s: page %d repeated the previous page; stopping", spec.name, number)
                return
            yield page
            if page.last:
                return
            previous = ids
            number += 1

    def search_all(self, name: str | Entity, criteria: SearchCriteria) -> list[dict[str, Any]]:
        return [item for page in self.search_pages(name, criteria) for item in page.items]

    # ----------------------------------------------------------------- sales documents

    def get_order(self, order_id: int | str) -> dict[str, Any]:
        return self._get(ORDERS, order_id)

    def get_invoice(self, invoice_id: int | str) -> dict[str, Any]:
        return self._get(INVOICES, invoice_id)

    def get_credit_memo(self, credit_memo_id: int | str) -> dict[str, Any]:
        return self._get(CREDIT_MEMOS, credit_memo_id)

    # ----------------------------------------------------------------- customers

    def get_customer(self, customer_id: int | str) -> dict[str, Any]:
        return self._get(CUSTOMERS, customer_id)

    def search_customers_by_email(self, email: str) -> list[dict[str, Any]]:
        """Every customer with this email (one per website when accounts are not shared across websites)."""
        if not email.strip():
            raise ValueError("email must not be empty")
        criteria = SearchCriteria(page_size=50).where(Filter("email", email.strip(), "eq"))
        return self.search_all(CUSTOMERS, criteria)

    def search_customers_by_emails(self, emails: Iterable[str]) -> list[dict[str, Any]]:
        """Every customer with one of these emails: `in` searches of 100 emails; an email holding a comma (the `in`
        separator) is searched on its own."""
        wanted = sorted({e.strip() for e in emails if e.strip()})
        plain = [e for e in wanted if "," not in e]
        found: list[dict[str, Any]] = []
        for chunk in batched(plain, EMAILS_PER_SEARCH, strict=False):
            criteria = SearchCriteria(page_size=EMAILS_PER_SEARCH).where(Filter("email", ",".join(chunk), "in"))
            found.extend(self.search_all(CUSTOMERS, criteria))
        for email in (e for e in wanted if "," in e):
            found.extend(self.search_customers_by_email(email))
        return found

    def create_customer(self, payload: Mapping[str, Any], *, password: str | None = None) -> dict[str, Any]:
        """POST /V1/customers. Not idempotent: retried only when the request cannot have reached Commerce."""
        body: dict[str, Any] = {"customer": dict(payload)}
        if password is not None:
            body["password"] = password
        return self._call(
            "POST",
            CUSTOMERS.search_path.removesuffix("/search"),
            what="Commerce create customer",
            entity=CUSTOMERS,
            body=body,
            idempotent=False,
            parse=lambda reply: _object(reply, what="Commerce create customer"),
        )

    def update_customer(self, customer_id: int | str, payload: Mapping[str, Any]) -> dict[str, Any]:
        """PUT /V1/customers/{id} (the id is also set in the body, as Commerce expects)."""
        path = CUSTOMERS.get(customer_id)
        body = {"customer": {**payload, "id": int(customer_id)}}
        what = "Commerce update customer"
        return self._call("PUT", path, what=what, entity=CUSTOMERS, body=body, parse=lambda r: _object(r, what=what))

    # ----------------------------------------------------------------- B2B

    def has_b2b(self) -> bool:
        """The B2B company routes answer (one cheap search); False when the extension is not installed."""
        return self._answers(COMPANIES, [])

    def get_company(self, company_id: int | str) -> dict[str, Any]:
        return self._get(COMPANIES, company_id)

    def companies_administered_by(self, customer_ids: Iterable[int | str]) -> list[dict[str, Any]]:
        """The companies whose admin (super_user_id) is one of these customers, 100 customers per search.
        UNVERIFIED: super_user_id is filterable (it is a column of the company table)."""
        ids = sorted({str(i) for i in customer_ids}, key=lambda i: (len(i), i))
        if any(not i.isdigit() for i in ids):
            raise ValueError("customer ids must be positive integers")
        found: list[dict[str, Any]] = []
        for chunk in batched(ids, COMPANY_ADMINS_PER_SEARCH, strict=False):
            criteria = SearchCriteria(page_size=COMPANY_ADMINS_PER_SEARCH).where(
                Filter("super_user_id", ",".join(chunk), "in")
            )
            found.extend(self.search_all(COMPANIES, criteria))
        return found

    def create_company(self, payload: Mapping[str, Any]) -> dict[str, Any]:
        """POST /V1/company/; super_user_id must name an existing customer. Not idempotent: retried only when the
        request cannot have reached Commerce."""
        what = "Commerce create company"
        return self._call(
            "POST",
            COMPANIES.search_path,
            what=what,
            entity=COMPANIES,
            body={"company": dict(payload)},
            idempotent=False,
            parse=lambda reply: _object(reply, what=what),
        )

    def update_company(self, company_id: int | str, payload: Mapping[str, Any]) -> dict[str, Any]:
        """PUT /V1/company/{id} with the whole company (the id is also set in the body)."""
        path = COMPANIES.get(company_id)
        body = {"company": {**payload, "id": int(company_id)}}
        what = "Commerce update company"
        return self._call("PUT", path, what=what, entity=COMPANIES, body=body, parse=lambda r: _object(r, what=what))

    def search_purchase_orders(self, criteria: SearchCriteria) -> SearchPage:
        """B2BUnavailable when the store has no purchase-order route (see entities.py)."""
        return self.search(PURCHASE_ORDERS, criteria)

    def get_purchase_order(self, purchase_order_id: int | str) -> dict[str, Any]:
        return self._get(PURCHASE_ORDERS, purchase_order_id)

    # ----------------------------------------------------------------- ping

    def ping(self) -> PingResult:
        """Checks the credentials with one cheap authenticated read (a new IMS token first on SaaS), then whether
        the B2B routes exist. Authentication problems raise; a missing B2B extension is reported, not raised."""
        if self._tokens is not None:
            self._tokens.renew()
        orders = self.search(ORDERS, SearchCriteria(page_size=1))
        notes: list[str] = []
        b2b = self._answers(COMPANIES, notes)
        purchase_orders = b2b and self._answers(PURCHASE_ORDERS, notes)
        return PingResult(
            self._instance.flavour,
            self._instance.rest_root,
            self.auth_mode,
            orders.total_count,
            b2b,
            purchase_orders,
            tuple(notes),
        )

    def _answers(self, spec: Entity, notes: list[str]) -> bool:
        try:
            self.search(spec, SearchCriteria(page_size=1))
        except B2BUnavailable as exc:
            notes.append(str(exc))
            return False
        return True

    # ----------------------------------------------------------------- internals

    def _get(self, spec: Entity, entity_id: int | str) -> dict[str, Any]:
        what = f"Commerce get {spec.what} {entity_id}"
        return self._call("GET", spec.get(entity_id), what=what, entity=spec, parse=lambda r: _object(r, what=what))

    def _call(
        self,
        method: str,
        path: str,
        *,
        what: str,
        entity: Entity | None,
        parse: Callable[[bytes], T],
        params: tuple[tuple[str, str], ...] = (),
        body: Any = None,
        idempotent: bool = True,
    ) -> T:
        """One REST call through the request core; `parse` reads the 2xx body inside the attempt, so an unreadable
        reply is retried like any other transient failure. A refused IMS token is re-minted once."""
        query = query_string(params)
        url = self._instance.url(path) + (f"?{query}" if query else "")
        payload = json.dumps(body, separators=(",", ":")).encode() if body is not None else None
        used: list[AccessToken] = []

        def build() -> HttpRequest:
            headers = {"Accept": JSON_TYPE, **self._auth_headers(method, url, used)}
            if payload is not None:
                headers["Content-Type"] = JSON_TYPE
            # The query is already in the URL, encoded exactly as signed.
            return HttpRequest(method, url, (), payload, headers)

        def read(reply: HttpReply) -> T:
            secrets = (*self._credentials.secrets(), *(t.token for t in used[-1:]))
            failure = http_failure(reply, what=what, entity=entity, now=self._clock(), secrets=secrets)
            if failure is not None:
                raise failure
            return parse(reply.body)

        def refresh(exc: TokenRejected) -> None:
            if self._tokens is None:
                raise self._paas_refused(exc)
            self._tokens.invalidate(used[-1])

        return self._core.refresh_once(
            lambda: self._core.request(build, read, what=what, idempotent=idempotent),
            what=what,
            refused=TokenRejected,
            refresh=refresh,
            refused_again=self._ims_refused_again,
            credential="IMS token",
        )

    def _ims_refused_again(self, exc: TokenRejected) -> AuthenticationError:
        needs = f" or lacks access to {exc.resources}" if exc.resources else ""
        return AuthenticationError(
            f"{exc.context}: Commerce refused a freshly minted IMS token; the credential is not allowed on this "
            f"instance{needs} (check the Developer Console project, product profile and IMS org)",
            status=exc.status,
            detail=exc.detail,
            resources=exc.resources,
        )

    def _auth_headers(self, method: str, url: str, used: list[AccessToken]) -> dict[str, str]:
        credentials = self._credentials
        if self._tokens is not None:
            token = self._tokens.current()
            used.append(token)
            return ims_headers(credentials, token)
        if credentials.paas_auth == "oauth1":
            return {"Authorization": oauth1_authorization(credentials, method, url)}
        return {"Authorization": f"Bearer {credentials.access_token}"}

    def _paas_refused(self, exc: TokenRejected) -> AuthenticationError:
        acl = f"the ACL resource {exc.resources}" if exc.resources else "the ACL resources this call needs"
        if self._credentials.paas_auth == "oauth1":
            check = (
                "check the integration's consumer key and secret and access token and secret, that the integration "
                f"is active (re-authorise it after changes), that it grants {acl}, and that this host's clock is "
                "within 600 s of the store's"
            )
        else:
            check = (
                "check the access token, that the store allows integration tokens as standalone Bearer tokens "
                f"(Stores > Configuration > Services > OAuth > Consumer Settings), and that it grants {acl}; "
                "or give all four OAuth 1.0a values instead"
            )
        return AuthenticationError(
            f"{exc.context}: credentials refused; {check}",
            status=exc.status,
            detail=exc.detail,
            resources=exc.resources,
        )

    def _fetch_token(self) -> AccessToken:
        """One IMS call with retries for transient failures; refused credentials fail at once."""
        request = ims_request(self._credentials)
        secrets = self._credentials.secrets()

        def read(reply: HttpReply) -> AccessToken:
            now = self._clock()
            failure = ims_failure(reply, now=now, secrets=secrets)
            if failure is not None:
                raise failure
            return token_from_reply(reply.body, now=now, secrets=secrets)

        return self._core.request(lambda: request, read, what="Adobe IMS token")


def _object(body: bytes, *, what: str) -> dict[str, Any]:
    try:
        data = json.loads(body)
    except (ValueError, UnicodeDecodeError):
        raise ParseError(f"{what}: Commerce reply is not JSON") from None
    if not isinstance(data, dict):
        raise ParseError(f"{what}: Commerce reply is not a JSON object")
    return data
