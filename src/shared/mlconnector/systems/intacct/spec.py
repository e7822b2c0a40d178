"""Sage Intacct as a plugged-in system: its secret, client factory, ping check, error root and simulator.

Import-light on purpose: the client, its sessions and the simulator are imported when first built."""

from __future__ import annotations

from typing import TYPE_CHECKING

from mlconnector.systems.intacct.errors import IntacctError
from mlconnector.systems.plugin import ClientContext, PingResult, SystemSpec

if TYPE_CHECKING:
    from mlconnector.connection import Connection
    from mlconnector.systems.intacct.client import IntacctClient
    from sandbox.core.simulator import Simulator


def _client(context: ClientContext) -> IntacctClient:
    from mlconnector.state.semaphore import DynamoSlotStore  # noqa: PLC0415 - imported when a flow uses it
    from mlconnector.systems.intacct.budget import concurrency_limit  # noqa: PLC0415
    from mlconnector.systems.intacct.client import IntacctClient  # noqa: PLC0415
    from mlconnector.systems.intacct.credentials import IntacctCredentials  # noqa: PLC0415
    from mlconnector.systems.intacct.session_cache import TokenStoreSessionCache  # noqa: PLC0415

    credentials = IntacctCredentials.from_secret(context.secret, allowed_sandbox_hosts=context.sandbox_hosts)
    # Sessions, not OAuth tokens: one per account, shared by every container through the token store.
    cache = context.cache(TokenStoreSessionCache(context.tokens))
    # One budget for every flow, connection and container of the company: its concurrent-request slots in DynamoDB.
    # A dry run takes slots too: its requests count against the company's limit like any other.
    return IntacctClient(
        credentials,
        cache,
        deadline=context.deadline,
        sleep=context.sleep,
        slots=DynamoSlotStore(),
        concurrency_limit=concurrency_limit(context.secret),
    )


def _ping(connection: Connection) -> PingResult:
    from mlconnector.systems.intacct.ping import ping  # noqa: PLC0415

    return ping(connection)


def _simulator(seed: int, size: int) -> Simulator:
    from sandbox.intacct import IntacctSimulator  # noqa: PLC0415 - the sandbox exists only in the local environment

    return IntacctSimulator(seed=seed, size=size)  # size = number of seeded vendors


INTACCT: SystemSpec[IntacctClient] = SystemSpec(
    name="intacct",
    title="Intacct",
    secret_fields=("sender_id", "sender_password", "company_id", "user_id", "user_password"),
    error_root=IntacctError,
    client=_client,
    ping=_ping,
    simulator=_simulator,
)
SPEC = INTACCT
