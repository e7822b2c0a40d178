"""Time as the state layer sees it: injectable so tests can expire leases and tokens without sleeping."""

import time
from collections.abc import Callable
from datetime import UTC, datetime

Clock = Callable[[], float]

system_clock: Clock = time.time


def iso_utc(epoch: float) -> str:
    """Sortable ISO-8601 UTC timestamp with milliseconds."""
    return datetime.fromtimestamp(epoch, UTC).strftime("%Y-%m-%dT%H:%M:%S.%f")[:-3] + "Z"
