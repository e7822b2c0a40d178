"""Zoho CRM as a plugged-in system: its secret, client factory, ping check, error root and simulator.

Import-light on purpose: the client and the simulator are imported when first built."""

from __future__ import annotations

from typing import TYPE_CHECKING

from mlconnector.systems.plugin import ClientContext, PingResult, SystemSpec
from mlconnector.systems.zoho.errors import ZohoError

if TYPE_CHECKING:
    from mlconnector.connection import Connection
    from mlconnector.systems.zoho.client import ZohoClient
    from sandbox.core.simulator import Simulator


def _client(context: ClientContext) -> ZohoClient:
    from mlconnector.oauth_tokens import AccessToken  # noqa: PLC0415 - when a flow uses it
    from mlconnector.systems.zoho.client import ZohoClient  # noqa: PLC0415
    from mlconnector.systems.zoho.credentials import ZohoCredentials  # noqa: PLC0415
    from mlconnector.systems.zoho.limits import call_budget, heavy_budget, max_concurrent  # noqa: PLC0415

    credentials = ZohoCredentials.from_secret(context.secret, allowed_sandbox_hosts=context.sandbox_hosts)
    # One pair of budgets per client, and a connection builds one client per system: every stream of a run shares
    # the org's limit of calls at once (the secret's edition) and the sub-limit of heavy calls.
    budget = call_budget(max_concurrent(context.secret), clock=context.monotonic, sleep=context.sleep)
    heavy = heavy_budget(clock=context.monotonic, sleep=context.sleep)
    return ZohoClient(
        credentials,
        context.token_cache(AccessToken),
        budget=budget,
        heavy_budget=heavy,
        deadline=context.deadline,
        sleep=context.sleep,
    )


def _ping(connection: Connection) -> PingResult:
    from mlconnector.systems.zoho.ping import ping  # noqa: PLC0415

    return ping(connection)


def _simulator(seed: int, size: int) -> Simulator:  # noqa: ARG001 - one signature for every simulator
    from sandbox.zoho import ZohoSimulator  # noqa: PLC0415 - the sandbox exists only in the local environment

    return ZohoSimulator(seed=seed)


ZOHO: SystemSpec[ZohoClient] = SystemSpec(
    name="zoho",
    title="Zoho CRM",
    secret_fields=("client_id", "client_secret", "refresh_token", "data_centre"),
    error_root=ZohoError,
    client=_client,
    ping=_ping,
    simulator=_simulator,
    options=("modules", "custom_fields"),
)
SPEC = ZOHO
