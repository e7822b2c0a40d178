"""What the poller returns to the state machine that runs it in a loop (statemachine/poller_loop.asl.json).

The poller's response is the run report (`RunReport.to_dict()`) plus the fields below; the state machine reads only
these and `error`:

| field                  | meaning                                                                              |
|------------------------|--------------------------------------------------------------------------------------|
| `status`               | the report's: completed, stopped_early, failed, lease_held                           |
| `work_left`            | true when the run stopped early and another invocation would carry on (not dry runs) |
| `resume_after_seconds` | how long to wait before that invocation (0 when no work is left)                     |
| `stop`                 | why it stopped early (StopKind), "none" otherwise                                    |

How long to wait comes from what stopped the run: a Retry-After the system sent (`retry_after` on the error),
a quota whose reset is known (Marketo's daily quota: midnight US Central), any other quota (QUOTA_WAIT_SECONDS: a
cheap look whether it has lifted), or the run's own time budget (DEFAULT_WAIT_SECONDS: go on at once).

The runner hands over the exception the run stopped on in `RunReport.stop` (never serialised); a report without
one (built elsewhere) is treated as a quota of unknown reset.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from enum import StrEnum
from typing import Any

from mlconnector.engine.report import RunReport, RunStatus
from mlconnector.errors import QuotaExceeded

DEFAULT_WAIT_SECONDS = 10
"""After a stop with nothing to wait for (the Lambda's time budget): carry on almost at once."""
QUOTA_WAIT_SECONDS = 900
"""After a quota stop whose reset is unknown: a later invocation finds out cheaply whether it has lifted."""
MIN_WAIT_SECONDS = 1
MAX_WAIT_SECONDS = 90_000
"""No wait is longer than 25 hours (a daily quota's reset and a margin); a longer Retry-After is looked at again
then."""
RESET_MARGIN_SECONDS = 300
"""Added to a quota's announced reset, so the next invocation does not arrive a second early."""


class StopKind(StrEnum):
    NONE = "none"  # the run did not stop early (or it was a dry run): nothing to resume
    TIME_BUDGET = "time_budget"  # the Lambda's time ran out at a checkpoint
    RETRY_AFTER = "retry_after"  # the system named the pause (Retry-After, an export window)
    QUOTA_WINDOW = "quota_window"  # a quota whose reset time is known
    QUOTA = "quota"  # a quota with no known reset
    DESTINATION = "destination"  # the destination asked to stop for another reason (writes switched off)


@dataclass(frozen=True)
class RunContract:
    status: str
    work_left: bool
    resume_after_seconds: int
    stop: StopKind

    def to_dict(self) -> dict[str, Any]:
        return {
            "status": self.status,
            "work_left": self.work_left,
            "resume_after_seconds": self.resume_after_seconds,
            "stop": self.stop.value,
        }


def _next_marketo_reset(now: datetime) -> float:
    """Marketo's daily quota resets at midnight US Central. 06:00 UTC is midnight in standard time (CST) and 01:00
    in daylight time (CDT), so waiting for it covers both."""
    reset = now.astimezone(UTC).replace(hour=6, minute=0, second=0, microsecond=0)
    if reset <= now:
        reset += timedelta(days=1)
    return (reset - now).total_seconds() + RESET_MARGIN_SECONDS


KNOWN_RESETS: dict[str, Callable[[datetime], float]] = {
    "mlconnector.systems.marketo.errors.QuotaExceeded": _next_marketo_reset,
}
"""Seconds until a quota lifts, by the error class's full name (matched along its MRO, so subclasses too); keyed by
name so this module imports no system's client."""


def _quota_of(stop: BaseException | None) -> QuotaExceeded | None:
    """The quota behind a stop: the stop itself, or the QuotaExceeded a writer's StopRun was raised from."""
    if isinstance(stop, QuotaExceeded):
        return stop
    if stop is not None and isinstance(stop.__cause__, QuotaExceeded):
        return stop.__cause__
    return None


def _known_reset(error: BaseException, now: datetime) -> float | None:
    for cls in type(error).__mro__:
        until = KNOWN_RESETS.get(f"{cls.__module__}.{cls.__qualname__}")
        if until is not None:
            return until(now)
    return None


def _bounded(seconds: float) -> int:
    return max(MIN_WAIT_SECONDS, min(MAX_WAIT_SECONDS, math.ceil(seconds)))


def resume_after(stop: BaseException | None, now: datetime) -> tuple[StopKind, int]:
    """(why the run stopped early, seconds to wait before the next invocation), from the exception it stopped on
    (None: its time budget, or an unknown stop)."""
    for error in (stop, stop.__cause__ if stop is not None else None):
        retry_after = getattr(error, "retry_after", None)
        if isinstance(retry_after, int | float) and retry_after > 0:
            return StopKind.RETRY_AFTER, _bounded(retry_after)
    quota = _quota_of(stop)
    if quota is not None:
        reset = _known_reset(quota, now)
        if reset is not None:
            return StopKind.QUOTA_WINDOW, _bounded(reset)
        return StopKind.QUOTA, QUOTA_WAIT_SECONDS
    if stop is not None:
        return StopKind.DESTINATION, QUOTA_WAIT_SECONDS
    return StopKind.TIME_BUDGET, DEFAULT_WAIT_SECONDS


def contract(report: RunReport, stop: BaseException | None = None, *, now: datetime | None = None) -> RunContract:
    """The fields the state machine reads, for this report and the exception the run stopped on (`report.stop`
    unless given)."""
    stop = stop if stop is not None else report.stop
    status = report.status.value
    if report.status is not RunStatus.STOPPED_EARLY or report.dry_run:
        return RunContract(status, work_left=False, resume_after_seconds=0, stop=StopKind.NONE)
    if stop is None and report.error:
        # The run stopped on something it did not hand over: treat it as a quota of unknown reset.
        return RunContract(status, work_left=True, resume_after_seconds=QUOTA_WAIT_SECONDS, stop=StopKind.QUOTA)
    kind, seconds = resume_after(stop, now or datetime.now(UTC))
    return RunContract(status, work_left=True, resume_after_seconds=seconds, stop=kind)
