"""One HTTP policy for every client: timeouts, retries with exponential backoff and full jitter,
Retry-After, and a deadline that no sleep may cross.

Each client keeps its own error model: it raises its own exceptions from an attempt and passes a
classifier that maps an exception to a `RetryDecision`. This module knows nothing about any vendor.
"""

from __future__ import annotations

import logging
import random
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from email.utils import parsedate_to_datetime
from typing import Protocol, TypeVar
from urllib.parse import urlencode

import requests
import tenacity
import urllib3

T = TypeVar("T")

Deadline = Callable[[], float | None]
"""Seconds left for work (e.g. from the Lambda context), or None when there is no limit."""
Sleep = Callable[[float], None]
Jitter = Callable[[], float]
"""Returns a fraction in [0, 1]; full jitter multiplies the exponential wait by it."""


@dataclass(frozen=True)
class RetryPolicy:
    """Exponential backoff with jitter above a floor:
    wait = floor + jitter() * (min(cap, base * 2 ** (attempt - 1)) - floor), never below the floor.

    The floor keeps full jitter from retrying a failing server within milliseconds (a 502 page answered
    again 0.03 s later helps nobody); it never exceeds the cap."""

    base: float = 1.0
    cap: float = 60.0
    max_attempts: int = 6
    max_retry_after: float = 300.0
    """A server asking for a longer pause than this is not waited for: the last error is raised."""
    floor: float = 0.5
    """The shortest pause between two attempts (clamped to the cap)."""

    def __post_init__(self) -> None:
        if self.base <= 0 or self.cap < self.base or self.max_attempts < 1 or self.floor < 0:
            raise ValueError("RetryPolicy needs base > 0, cap >= base, max_attempts >= 1 and floor >= 0")


@dataclass(frozen=True)
class HttpPolicy:
    """Timeouts for one request plus the retry policy around it."""

    connect_timeout: float = 5.0
    read_timeout: float = 60.0
    min_request_seconds: float = 1.0
    """Do not start a request when less than this is left before the deadline."""
    retry: RetryPolicy = RetryPolicy()

    def retrier(
        self,
        classify: Classifier,
        log: logging.Logger,
        *,
        sleep: Sleep = time.sleep,
        deadline: Deadline | None = None,
        jitter: Jitter = random.random,
    ) -> Retrier:
        """A client's Retrier: this policy's retries, time kept for the next request, each retry logged."""
        return Retrier(
            self.retry,
            classify,
            sleep=sleep,
            deadline=deadline,
            jitter=jitter,
            reserve=self.min_request_seconds,
            on_retry=lambda exc, wait: log.warning("%s; retrying in %.1fs", exc, wait),
        )


@dataclass(frozen=True)
class RetryDecision:
    retry: bool
    retry_after: float | None = None
    """Pause the server asked for (Retry-After), honoured even when longer than the backoff."""
    min_wait: float = 0.0
    """Floor for this kind of failure (e.g. at least 5 s after a rate limit)."""
    max_attempts: int | None = None
    """A tighter bound than the policy's for this kind of failure: a deterministic refusal (a hostile response)
    is worth one more try at most, not six."""


FAIL = RetryDecision(retry=False)
RETRY = RetryDecision(retry=True)

Classifier = Callable[[BaseException], RetryDecision]


class DeadlineExceeded(Exception):
    """Too little time is left to start another request; hand the work back instead."""


def backoff_wait(attempt_number: int, policy: RetryPolicy, jitter_fraction: float) -> float:
    """Jittered exponential wait after the given (1-based) failed attempt, never below the policy's floor."""
    exponential = min(policy.cap, policy.base * 2.0 ** (attempt_number - 1))
    floor = min(policy.floor, policy.cap)
    return floor + max(0.0, min(1.0, jitter_fraction)) * max(0.0, exponential - floor)


def next_wait(attempt_number: int, decision: RetryDecision, policy: RetryPolicy, jitter_fraction: float) -> float:
    """The pause before the next attempt: the backoff, raised to Retry-After and the decision's floor."""
    wait = backoff_wait(attempt_number, policy, jitter_fraction)
    return max(wait, decision.retry_after or 0.0, decision.min_wait)


def parse_retry_after(value: str | None, *, now: float) -> float | None:
    """Retry-After as seconds from `now`: either delta-seconds or an HTTP date. None if absent or invalid."""
    if value is None or not value.strip():
        return None
    text = value.strip()
    if text.isdigit():
        return float(text)
    try:
        when = parsedate_to_datetime(text)
    except (TypeError, ValueError, IndexError):
        return None
    if when.tzinfo is None:  # HTTP dates are GMT; a naive result means the zone was missing
        return None
    return max(0.0, when.timestamp() - now)


def retry_after_from(headers: Mapping[str, str], *, now: float) -> float | None:
    """Retry-After from a case-insensitive header mapping such as `requests.Response.headers`."""
    value = headers.get("Retry-After")
    if value is None:  # plain dicts are case-sensitive
        value = next((v for k, v in headers.items() if k.lower() == "retry-after"), None)
    return parse_retry_after(value, now=now)


def request_timeout(policy: HttpPolicy, deadline: Deadline | None) -> tuple[float, float]:
    """(connect, read) timeouts for `requests`, with the read timeout cut to the time left."""
    left = deadline() if deadline is not None else None
    if left is None:
        return (policy.connect_timeout, policy.read_timeout)
    if left < policy.min_request_seconds:
        raise DeadlineExceeded(f"{left:.1f}s left, below the {policy.min_request_seconds:.1f}s needed for a request")
    return (min(policy.connect_timeout, left), min(policy.read_timeout, left))


class Retrier:
    """Runs an attempt until it succeeds, the classifier says stop, attempts run out, or the next pause
    would cross the deadline. The last exception is re-raised unchanged."""

    def __init__(
        self,
        policy: RetryPolicy,
        classify: Classifier,
        *,
        sleep: Sleep = time.sleep,
        deadline: Deadline | None = None,
        jitter: Jitter = random.random,
        reserve: float = 0.0,
        on_retry: Callable[[BaseException, float], None] | None = None,
    ) -> None:
        """`reserve`: seconds that must still be left after a pause (time for the next request itself)."""
        self.policy = policy
        self.classify = classify
        self.deadline = deadline
        self._sleep = sleep
        self._jitter = jitter
        self._reserve = reserve
        self._on_retry = on_retry

    def call(self, attempt: Callable[[], T]) -> T:
        retrying = tenacity.Retrying(
            retry=tenacity.retry_if_exception(lambda exc: self.classify(exc).retry),
            wait=self._wait,
            stop=self._stop,
            sleep=self._sleep,
            before_sleep=self._before_sleep,
            reraise=True,
        )
        return retrying(attempt)

    def _wait(self, state: tenacity.RetryCallState) -> float:
        exc = _exception_of(state)
        decision = self.classify(exc) if exc is not None else RETRY
        return next_wait(state.attempt_number, decision, self.policy, self._jitter())

    def _stop(self, state: tenacity.RetryCallState) -> bool:
        if state.attempt_number >= self.policy.max_attempts:
            return True
        exc = _exception_of(state)
        decision = self.classify(exc) if exc is not None else RETRY
        if decision.max_attempts is not None and state.attempt_number >= decision.max_attempts:
            return True
        if (decision.retry_after or 0.0) > self.policy.max_retry_after:
            return True
        left = self.deadline() if self.deadline is not None else None
        return left is not None and state.upcoming_sleep + self._reserve > left

    def _before_sleep(self, state: tenacity.RetryCallState) -> None:
        exc = _exception_of(state)
        if self._on_retry is not None and exc is not None:
            self._on_retry(exc, state.upcoming_sleep)


def _exception_of(state: tenacity.RetryCallState) -> BaseException | None:
    return state.outcome.exception() if state.outcome is not None else None


def retry_transient_http(exc: BaseException) -> RetryDecision:
    """A default classifier for plain `requests` use: connection problems, timeouts, 429 and 5xx retry."""
    if isinstance(exc, requests.HTTPError) and exc.response is not None:
        status = exc.response.status_code
        if status == 429 or status >= 500:
            retry_after = retry_after_from(exc.response.headers, now=time.time())
            return RetryDecision(retry=True, retry_after=retry_after)
        return FAIL
    if isinstance(exc, requests.ConnectionError | requests.Timeout):
        return RETRY
    return FAIL


@dataclass(frozen=True)
class HttpRequest:
    """Query parameters, body and headers stay out of the repr: they can hold secrets or tokens."""

    method: str
    url: str
    params: tuple[tuple[str, str], ...] = field(default=(), repr=False)
    body: bytes | None = field(default=None, repr=False)
    headers: Mapping[str, str] = field(default_factory=dict, repr=False)

    def full_url(self) -> str:
        return f"{self.url}?{urlencode(self.params)}" if self.params else self.url


@dataclass(frozen=True)
class HttpReply:
    status: int
    content_type: str
    body: bytes = field(repr=False)
    headers: Mapping[str, str] = field(default_factory=dict, repr=False)

    @property
    def media_type(self) -> str:
        """The content type without parameters, lower case ("text/xml; encoding=UTF-8" -> "text/xml")."""
        return self.content_type.split(";")[0].strip().lower()


class Transport(Protocol):
    def send(self, request: HttpRequest, *, timeout: tuple[float, float]) -> HttpReply:
        """Send the request; raise `requests.RequestException` for network failures."""
        ...


class RequestsTransport:
    """The production transport: one pooled `requests.Session`, no urllib3 retries, no redirects (a redirect
    could carry credentials off the host the client checked)."""

    def __init__(
        self, user_agent: str, headers: Mapping[str, str] | None = None, session: requests.Session | None = None
    ) -> None:
        self._session = session or new_session(user_agent)
        self._headers = {"Accept-Encoding": "gzip", **(headers or {})}

    def send(self, request: HttpRequest, *, timeout: tuple[float, float]) -> HttpReply:
        response = self._session.request(
            request.method,
            request.url,
            params=list(request.params),
            data=request.body,
            headers={**self._headers, **request.headers},
            timeout=timeout,
            allow_redirects=False,
        )
        return HttpReply(
            status=response.status_code,
            content_type=response.headers.get("Content-Type", ""),
            body=response.content,
            headers=dict(response.headers),
        )

    def close(self) -> None:
        self._session.close()


def connection_never_established(exc: requests.RequestException) -> bool:
    """True when the request cannot have reached the server (DNS, refused connection, connect timeout): even a
    non-idempotent call may then be repeated."""
    if isinstance(exc, requests.ConnectTimeout):
        return True
    if not isinstance(exc, requests.ConnectionError):
        return False
    reason = exc.args[0] if exc.args else None
    if isinstance(reason, urllib3.exceptions.MaxRetryError):
        reason = reason.reason
    return isinstance(reason, urllib3.exceptions.NewConnectionError | urllib3.exceptions.ConnectTimeoutError)


def new_session(user_agent: str) -> requests.Session:
    """A session with the connector's User-Agent. Retries are done by `Retrier`, never by urllib3."""
    session = requests.Session()
    session.headers["User-Agent"] = user_agent
    return session
