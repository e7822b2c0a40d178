"""The request core every client sends through: build a request afresh per attempt, send it (within the deadline,
through the budget slot if the system has one), count it, turn a network failure into an error kind, let the
system read the reply, retry by kind with the shared policy of http.py, and refresh a refused token or session once.

What is truly per system plugs in as small pieces: `build` (the request, auth header or signature included),
`read` (the system's reply classification and parsing: Intacct's XML envelope, Marketo's errors inside HTTP 200,
Commerce's error bodies), the `SystemErrors` that say which of the system's classes each kind is, and how a refused
token or session is refreshed.
"""

from __future__ import annotations

import logging
import random
import threading
import time
from collections.abc import Callable
from contextlib import AbstractContextManager, nullcontext
from dataclasses import dataclass
from typing import Protocol, TypeVar

import requests

from mlconnector.errors import ConnectorError, ParseError, TokenRejected, TransientError
from mlconnector.http import (
    FAIL,
    Deadline,
    HttpPolicy,
    HttpReply,
    HttpRequest,
    Jitter,
    Retrier,
    RetryDecision,
    Sleep,
    Transport,
    connection_never_established,
    request_timeout,
)

T = TypeVar("T")
R = TypeVar("R", bound=TokenRejected)


def retry_decision(exc: BaseException) -> RetryDecision:
    """The classifier every client gives `mlconnector.http.Retrier`, by kind: transient failures and unreadable
    replies are retried (Retry-After, a floor, and a bound for parse failures honoured); nothing else is.
    TokenRejected is not retried here: `RequestCore.refresh_once` gets a new token once and replays."""
    if isinstance(exc, TransientError):
        return RetryDecision(retry=True, retry_after=exc.retry_after, min_wait=exc.min_wait)
    if isinstance(exc, ParseError):
        return RetryDecision(retry=True, max_attempts=exc.max_attempts)
    return FAIL


def retry_decision_not_idempotent(exc: BaseException) -> RetryDecision:
    """For calls that must not run twice (a create, a readMore): retry only what cannot have been processed."""
    if isinstance(exc, TransientError) and not exc.may_have_run:
        return retry_decision(exc)
    return FAIL


class TransientFactory(Protocol):
    def __call__(self, context: str, *, may_have_run: bool = True) -> TransientError: ...


@dataclass(frozen=True)
class SystemErrors:
    """Which of a system's classes each shared kind is, for the errors the core and shared helpers raise."""

    name: str
    """As it reads in a message: "Marketo", "Commerce", "Intacct"."""
    transient: TransientFactory
    unknown_outcome: Callable[[str], ConnectorError] | None = None
    """For a write whose connection broke after sending; None: such a call is a TransientError that may have run."""


def transport_failure(
    exc: requests.RequestException, *, what: str, errors: SystemErrors, write: bool = False
) -> ConnectorError:
    """A network failure as the system's error. The message names the exception type, never its text (which may
    hold the URL and so a query string with a secret). Only a request that never left us is safe to repeat."""
    if connection_never_established(exc):
        context = f"{what}: could not connect to {errors.name} ({type(exc).__name__})"
        return errors.transient(context, may_have_run=False)
    if write and errors.unknown_outcome is not None:
        return errors.unknown_outcome(f"{what}: connection lost after sending a write ({type(exc).__name__})")
    return errors.transient(f"{what}: connection to {errors.name} failed ({type(exc).__name__})")


Slot = Callable[[], AbstractContextManager[object]]
"""A call-budget slot held around one send (Marketo's window and concurrency limits)."""


class RequestCore:
    """One client's sending: the shared retry policy, the deadline, the call count, the system's error kinds."""

    def __init__(
        self,
        errors: SystemErrors,
        *,
        http: HttpPolicy,
        transport: Transport,
        log: logging.Logger,
        clock: Callable[[], float] = time.time,
        deadline: Deadline | None = None,
        sleep: Sleep = time.sleep,
        jitter: Jitter = random.random,
    ) -> None:
        self.errors = errors
        self.http = http
        self.transport = transport
        self.clock = clock
        self.deadline = deadline
        self._log = log
        self._sleep = sleep
        self._jitter = jitter
        self._calls = 0
        self._calls_lock = threading.Lock()

    @property
    def calls(self) -> int:
        """HTTP requests sent, token and login calls and retries included."""
        with self._calls_lock:
            return self._calls

    @calls.setter
    def calls(self, value: int) -> None:
        with self._calls_lock:
            self._calls = value

    def retrier(self, *, idempotent: bool = True) -> Retrier:
        classify = retry_decision if idempotent else retry_decision_not_idempotent
        return self.http.retrier(classify, self._log, sleep=self._sleep, deadline=self.deadline, jitter=self._jitter)

    def send(self, request: HttpRequest, *, what: str, write: bool = False, slot: Slot | None = None) -> HttpReply:
        """One attempt on the wire: the time left decides the timeout (or that there is no time), the call is
        counted, and a network failure becomes the system's kind (`from None`: its text may hold a secret)."""
        with slot() if slot is not None else nullcontext():
            timeout = request_timeout(self.http, self.deadline)
            with self._calls_lock:
                self._calls += 1
            try:
                return self.transport.send(request, timeout=timeout)
            except requests.RequestException as exc:
                raise transport_failure(exc, what=what, errors=self.errors, write=write) from None

    def request(
        self,
        build: Callable[[], HttpRequest],
        read: Callable[[HttpReply], T],
        *,
        what: str,
        idempotent: bool = True,
        write: bool = False,
        slot: Slot | None = None,
    ) -> T:
        """Build, send and read with retries. `build` runs for every attempt (a fresh token or signature); `read`
        raises the system's error for a failed reply or returns the parsed result, inside the attempt, so an
        unreadable reply is classified and retried like any other failure."""

        def attempt() -> T:
            return read(self.send(build(), what=what, write=write, slot=slot))

        return self.retrier(idempotent=idempotent).call(attempt)

    def refresh_once(
        self,
        run: Callable[[], T],
        *,
        what: str,
        refused: type[R],
        refresh: Callable[[R], None],
        refused_again: Callable[[R], BaseException],
        credential: str = "token",
    ) -> T:
        """`run`; when the system refuses its token or session (`refused`, the system's TokenRejected kind),
        `refresh` (drop it, get a new one; or raise when there is nothing to refresh, as with static credentials)
        and run once more. Refused again: `refused_again`."""
        try:
            return run()
        except refused as exc:
            first = exc
        self._log.info("%s: %s refused, getting a new one once", what, credential)
        refresh(first)
        try:
            return run()
        except refused as exc:
            raise refused_again(exc) from None
