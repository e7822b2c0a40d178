"""Run leases: a conditional write in DynamoDB so two runs of one flow never overlap.

A lease expires on its own (a crashed or timed-out Lambda cannot hold it forever): its duration should be the
function timeout plus a margin.
"""

from __future__ import annotations

from dataclasses import dataclass

from pynamodb.exceptions import DeleteError, DoesNotExist, PutError

from mlconnector.state import keys
from mlconnector.state.clock import Clock, system_clock
from mlconnector.state.models import LeaseItem


class LeaseHeldError(RuntimeError):
    """Another run holds the flow's lease."""


@dataclass(frozen=True)
class Lease:
    """Who holds a flow's lease (a run id) and until when (epoch seconds)."""

    flow: str
    owner: str
    expires_at: float


class LeaseStore:
    def __init__(self, connection: str, clock: Clock = system_clock) -> None:
        self.connection = connection
        self._clock = clock

    def acquire(self, flow: str, owner: str, seconds: float) -> None:
        """Take the lease if it is free, expired, or already ours; raise LeaseHeldError otherwise."""
        now = self._clock()
        item = LeaseItem(keys.lease_pk(self.connection, flow), "LEASE", owner=owner, expires_at=now + seconds)
        free = LeaseItem.pk.does_not_exist() | (LeaseItem.expires_at < now) | (LeaseItem.owner == owner)
        try:
            item.save(condition=free)
        except PutError as error:
            if _is_condition_failure(error):
                raise LeaseHeldError(f"flow {flow!r} of connection {self.connection!r} is already running") from None
            raise

    def release(self, flow: str, owner: str) -> None:
        """Give the lease back; a lease already taken over by another run is left alone."""
        try:
            LeaseItem(keys.lease_pk(self.connection, flow), "LEASE").delete(condition=LeaseItem.owner == owner)
        except DeleteError as error:
            if not _is_condition_failure(error):
                raise

    def holder(self, flow: str) -> Lease | None:
        """The flow's lease as stored (expired or not), or None when nobody holds it."""
        try:
            item = LeaseItem.get(keys.lease_pk(self.connection, flow), "LEASE", consistent_read=True)
        except DoesNotExist:
            return None
        return Lease(flow, str(item.owner), float(item.expires_at))

    def break_lease(self, flow: str, owner: str) -> bool:
        """Delete the flow's lease if `owner` still holds it (an operator breaking a stale lease); False when it is
        gone or another run took it meanwhile."""
        try:
            LeaseItem(keys.lease_pk(self.connection, flow), "LEASE").delete(condition=LeaseItem.owner == owner)
        except DeleteError as error:
            if _is_condition_failure(error):
                return False
            raise
        return True


def _is_condition_failure(error: PutError | DeleteError) -> bool:
    return error.cause_response_code == "ConditionalCheckFailedException"
