"""The shared HTTP retry policy: backoff with full jitter, Retry-After, deadline, classifier."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from email.utils import format_datetime

import pytest
import requests
import responses

from mlconnector.http import (
    FAIL,
    RETRY,
    Deadline,
    DeadlineExceeded,
    HttpPolicy,
    Retrier,
    RetryDecision,
    RetryPolicy,
    backoff_wait,
    next_wait,
    parse_retry_after,
    request_timeout,
    retry_after_from,
    retry_transient_http,
)

NOW = 1_700_000_000.0


class Flaky(Exception):
    def __init__(self, decision: RetryDecision = RETRY) -> None:
        super().__init__("flaky")
        self.decision = decision


class Fatal(Exception):
    pass


def classify(exc: BaseException) -> RetryDecision:
    return exc.decision if isinstance(exc, Flaky) else FAIL


class Script:
    """An attempt that raises the scripted exceptions in turn, then returns 'done'."""

    def __init__(self, *failures: BaseException) -> None:
        self.failures = list(failures)
        self.calls = 0

    def __call__(self) -> str:
        self.calls += 1
        if self.failures:
            raise self.failures.pop(0)
        return "done"


class Clock:
    def __init__(self) -> None:
        self.now = 0.0


def make_retrier(
    policy: RetryPolicy | None = None,
    jitter: float = 1.0,
    *,
    deadline: Deadline | None = None,
    reserve: float = 0.0,
    on_retry: Callable[[BaseException, float], None] | None = None,
) -> tuple[Retrier, list[float]]:
    waits: list[float] = []
    retrier = Retrier(
        policy or RetryPolicy(base=1, cap=8, max_attempts=6, floor=0),
        classify,
        sleep=waits.append,
        jitter=lambda: jitter,
        deadline=deadline,
        reserve=reserve,
        on_retry=on_retry,
    )
    return retrier, waits


@pytest.mark.parametrize(
    ("attempt", "jitter", "expected"),
    [
        (1, 1.0, 1.0),
        (2, 1.0, 2.0),
        (3, 1.0, 4.0),
        (4, 1.0, 8.0),
        (5, 1.0, 8.0),
        (3, 0.25, 1.0),
        (2, 0.0, 0.0),
        (2, 7.0, 2.0),
    ],
)
def test_backoff_is_exponential_capped_and_scaled_by_jitter(attempt: int, jitter: float, expected: float) -> None:
    assert backoff_wait(attempt, RetryPolicy(base=1, cap=8, floor=0), jitter) == expected


def test_next_wait_takes_the_largest_of_backoff_retry_after_and_floor() -> None:
    policy = RetryPolicy(base=1, cap=60, floor=0)
    assert next_wait(3, RetryDecision(True), policy, 0.5) == 2.0
    assert next_wait(3, RetryDecision(True, retry_after=9.0), policy, 0.5) == 9.0
    assert next_wait(3, RetryDecision(True, min_wait=5.0), policy, 0.5) == 5.0
    assert next_wait(6, RetryDecision(True, retry_after=3.0, min_wait=5.0), policy, 1.0) == 32.0


def test_parse_retry_after_seconds_and_http_date() -> None:
    in_90s = format_datetime(datetime.fromtimestamp(NOW, UTC) + timedelta(seconds=90), usegmt=True)
    in_past = format_datetime(datetime.fromtimestamp(NOW, UTC) - timedelta(seconds=90), usegmt=True)
    assert parse_retry_after("120", now=NOW) == 120.0
    assert parse_retry_after(" 7 ", now=NOW) == 7.0
    assert parse_retry_after(in_90s, now=NOW) == pytest.approx(90.0)
    assert parse_retry_after(in_past, now=NOW) == 0.0
    assert parse_retry_after("soon", now=NOW) is None
    assert parse_retry_after("-5", now=NOW) is None
    assert parse_retry_after("", now=NOW) is None
    assert parse_retry_after(None, now=NOW) is None


def test_retry_after_header_lookup_is_case_insensitive() -> None:
    assert retry_after_from({"retry-after": "3"}, now=NOW) == 3.0
    assert retry_after_from({"Retry-After": "4"}, now=NOW) == 4.0
    assert retry_after_from({"Content-Type": "text/xml"}, now=NOW) is None


def test_retries_until_success_with_computed_waits() -> None:
    retrier, waits = make_retrier(jitter=0.5)
    attempt = Script(Flaky(), Flaky(), Flaky())
    assert retrier.call(attempt) == "done"
    assert attempt.calls == 4
    assert waits == [0.5, 1.0, 2.0]


def test_retry_after_is_honoured_even_when_longer_than_backoff() -> None:
    retrier, waits = make_retrier(jitter=0.1)
    attempt = Script(Flaky(RetryDecision(True, retry_after=30.0)), Flaky())
    assert retrier.call(attempt) == "done"
    assert waits == [30.0, pytest.approx(0.2)]


def test_gives_up_after_max_attempts_and_reraises_the_last_error() -> None:
    retrier, waits = make_retrier(RetryPolicy(base=1, cap=8, max_attempts=3, floor=0))
    last = Flaky()
    attempt = Script(Flaky(), Flaky(), last, Flaky())
    with pytest.raises(Flaky) as caught:
        retrier.call(attempt)
    assert caught.value is last
    assert attempt.calls == 3
    assert waits == [1.0, 2.0]


def test_non_retryable_error_is_raised_at_once() -> None:
    retrier, waits = make_retrier()
    attempt = Script(Fatal("no"))
    with pytest.raises(Fatal):
        retrier.call(attempt)
    assert attempt.calls == 1
    assert waits == []


def test_never_sleeps_past_the_deadline() -> None:
    clock = Clock()
    budget = 10.0
    waits: list[float] = []

    def sleep(seconds: float) -> None:
        waits.append(seconds)
        clock.now += seconds

    retrier = Retrier(
        RetryPolicy(base=1, cap=60, max_attempts=20),
        classify,
        sleep=sleep,
        jitter=lambda: 1.0,
        deadline=lambda: budget - clock.now,
    )
    attempt = Script(*[Flaky() for _ in range(20)])
    with pytest.raises(Flaky):
        retrier.call(attempt)
    assert waits == [1.0, 2.0, 4.0]  # the next pause (8 s) would end past the 10 s budget
    assert sum(waits) <= budget


def test_retry_after_beyond_the_deadline_gives_up_without_sleeping() -> None:
    retrier, waits = make_retrier(deadline=lambda: 20.0)
    attempt = Script(Flaky(RetryDecision(True, retry_after=25.0)))
    with pytest.raises(Flaky):
        retrier.call(attempt)
    assert waits == []
    assert attempt.calls == 1


def test_reserve_keeps_time_for_the_next_request() -> None:
    retrier, waits = make_retrier(deadline=lambda: 5.0, reserve=4.5)
    with pytest.raises(Flaky):
        retrier.call(Script(Flaky()))  # 1 s pause + 4.5 s reserve > 5 s left
    assert waits == []
    retrier, waits = make_retrier(deadline=lambda: 5.0, reserve=3.0)
    assert retrier.call(Script(Flaky())) == "done"
    assert waits == [1.0]


def test_no_deadline_means_unlimited() -> None:
    retrier, waits = make_retrier(deadline=lambda: None)
    assert retrier.call(Script(Flaky(), Flaky())) == "done"
    assert waits == [1.0, 2.0]


def test_retry_after_above_the_policy_limit_is_not_waited_for() -> None:
    retrier, waits = make_retrier(RetryPolicy(base=1, cap=8, max_retry_after=60, floor=0))
    with pytest.raises(Flaky):
        retrier.call(Script(Flaky(RetryDecision(True, retry_after=3600.0))))
    assert waits == []


def test_on_retry_reports_each_error_and_wait() -> None:
    seen: list[tuple[str, float]] = []
    retrier, _ = make_retrier(on_retry=lambda exc, wait: seen.append((str(exc), wait)))
    retrier.call(Script(Flaky(), Flaky()))
    assert seen == [("flaky", 1.0), ("flaky", 2.0)]


def test_policy_validation() -> None:
    with pytest.raises(ValueError):
        RetryPolicy(base=0)
    with pytest.raises(ValueError):
        RetryPolicy(base=5, cap=1)
    with pytest.raises(ValueError):
        RetryPolicy(max_attempts=0)


def test_request_timeout_is_cut_to_the_time_left() -> None:
    policy = HttpPolicy(connect_timeout=5, read_timeout=60, min_request_seconds=1)
    assert request_timeout(policy, None) == (5, 60)
    assert request_timeout(policy, lambda: None) == (5, 60)
    assert request_timeout(policy, lambda: 12.0) == (5, 12.0)
    assert request_timeout(policy, lambda: 3.0) == (3.0, 3.0)
    with pytest.raises(DeadlineExceeded):
        request_timeout(policy, lambda: 0.5)


@responses.activate
def test_default_http_classifier() -> None:
    responses.add(responses.GET, "http://127.0.0.1:9/busy", status=503, headers={"Retry-After": "12"})
    responses.add(responses.GET, "http://127.0.0.1:9/missing", status=404)
    responses.add(responses.GET, "http://127.0.0.1:9/slow", status=429)
    errors = {}
    for path in ("busy", "missing", "slow"):
        response = requests.get(f"http://127.0.0.1:9/{path}", timeout=1)
        with pytest.raises(requests.HTTPError) as caught:
            response.raise_for_status()
        errors[path] = caught.value
    assert retry_transient_http(errors["busy"]) == RetryDecision(True, retry_after=12.0)
    assert retry_transient_http(errors["missing"]) == FAIL
    assert retry_transient_http(errors["slow"]) == RetryDecision(True)
    assert retry_transient_http(requests.ConnectionError("reset")).retry
    assert retry_transient_http(requests.ReadTimeout("slow")).retry
    assert not retry_transient_http(ValueError("bug")).retry


@pytest.mark.parametrize("jitter", [0.0, 0.001, 0.5, 1.0])
def test_default_policy_never_pauses_less_than_its_floor(jitter: float) -> None:
    policy = RetryPolicy()
    waits = [backoff_wait(attempt, policy, jitter) for attempt in range(1, 7)]
    assert min(waits) >= policy.floor == 0.5
    assert max(waits) <= policy.cap


def test_jitter_spreads_waits_above_the_floor_not_onto_it() -> None:
    policy = RetryPolicy(base=1, cap=8, floor=0.5)
    assert backoff_wait(3, policy, 0.0) == 0.5
    assert backoff_wait(3, policy, 1.0) == 4.0
    assert backoff_wait(3, policy, 0.5) == 2.25


def test_floor_is_clamped_to_the_cap() -> None:
    assert backoff_wait(1, RetryPolicy(base=0.01, cap=0.1), 0.0) == 0.1


def test_retries_of_a_transient_failure_wait_at_least_the_floor() -> None:
    retrier, waits = make_retrier(RetryPolicy(base=1, cap=8, max_attempts=4), jitter=0.0)
    assert retrier.call(Script(Flaky(), Flaky(), Flaky())) == "done"
    assert waits == [0.5, 0.5, 0.5]


def test_a_decision_can_bound_its_own_attempts_below_the_policy() -> None:
    retrier, waits = make_retrier(RetryPolicy(base=1, cap=8, max_attempts=6))
    once_more = RetryDecision(True, max_attempts=2)
    attempt = Script(Flaky(once_more), Flaky(once_more), Flaky(once_more))
    with pytest.raises(Flaky):
        retrier.call(attempt)
    assert attempt.calls == 2
    assert len(waits) == 1


def test_negative_floor_is_refused() -> None:
    with pytest.raises(ValueError, match="floor"):
        RetryPolicy(floor=-1)
