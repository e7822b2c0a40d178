"""Adobe Commerce as a plugged-in system: its secret, client factory, ping check, error root and simulator.

Import-light on purpose: the client, OAuth 1.0a / IMS auth and the simulator are imported when first built."""

from __future__ import annotations

from typing import TYPE_CHECKING

from mlconnector.systems.commerce.errors import CommerceError
from mlconnector.systems.plugin import ClientContext, PingResult, SystemSpec

if TYPE_CHECKING:
    from mlconnector.connection import Connection
    from mlconnector.systems.commerce.client import CommerceClient
    from sandbox.core.simulator import Simulator


def _client(context: ClientContext) -> CommerceClient:
    from mlconnector.systems.commerce.client import CommerceClient  # noqa: PLC0415 - imported when a flow uses it
    from mlconnector.systems.commerce.credentials import CommerceCredentials  # noqa: PLC0415
    from mlconnector.systems.commerce.token_cache import AccessToken  # noqa: PLC0415

    credentials = CommerceCredentials.from_secret(context.secret, allowed_sandbox_hosts=context.sandbox_hosts)
    # IMS access tokens (SaaS) are shared through the token store; OAuth 1.0a (PaaS) signs each request instead.
    return CommerceClient(credentials, context.token_cache(AccessToken), deadline=context.deadline, sleep=context.sleep)


def _ping(connection: Connection) -> PingResult:
    from mlconnector.systems.commerce.ping import ping  # noqa: PLC0415

    return ping(connection)


def _simulator(seed: int, size: int) -> Simulator:
    from sandbox.commerce import CommerceSimulator  # noqa: PLC0415 - the sandbox exists only in the local environment

    # size = number of seeded orders (customers, invoices, companies scale with it).
    return CommerceSimulator(seed=seed, size=size)


COMMERCE: SystemSpec[CommerceClient] = SystemSpec(
    name="commerce",
    title="Commerce",
    secret_fields=("base_url", "consumer_key", "consumer_secret", "access_token", "access_token_secret"),
    error_root=CommerceError,
    client=_client,
    ping=_ping,
    simulator=_simulator,
    options=("posting", "adjustments", "vendor_master"),
    # Purchase-order lines go to the simulator's catch-all Intacct item, and the vendor master runs both ways
    # (both are off by default), so every stream has something to do locally.
    local_options={
        "posting": {"po_default_item": "COMMERCE-ITEM"},
        "vendor_master": {"customers_to_vendors": True, "vendors_to_commerce": True},
    },
)
SPEC = COMMERCE
