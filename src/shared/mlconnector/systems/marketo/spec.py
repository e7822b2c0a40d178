"""Marketo as a plugged-in system: its secret, client factory, ping check, error root and simulator.

Import-light on purpose: the client, its auth and the simulator are imported when first built."""

from __future__ import annotations

from typing import TYPE_CHECKING

from mlconnector.systems.marketo.errors import MarketoError
from mlconnector.systems.plugin import ClientContext, PingResult, SystemSpec

if TYPE_CHECKING:
    from mlconnector.connection import Connection
    from mlconnector.systems.marketo.client import MarketoClient
    from sandbox.core.simulator import Simulator


def _client(context: ClientContext) -> MarketoClient:
    from mlconnector.systems.marketo.client import MarketoClient, call_budget  # noqa: PLC0415 - when a flow uses it
    from mlconnector.systems.marketo.credentials import MarketoCredentials  # noqa: PLC0415
    from mlconnector.systems.marketo.token_cache import AccessToken  # noqa: PLC0415

    credentials = MarketoCredentials.from_secret(context.secret, allowed_sandbox_hosts=context.sandbox_hosts)
    # One call budget per connection and run: Marketo's limits are per instance, shared by every stream.
    budget = call_budget(clock=context.monotonic, sleep=context.sleep)
    return MarketoClient(
        credentials,
        context.token_cache(AccessToken),
        budget=budget,
        deadline=context.deadline,
        sleep=context.sleep,
    )


def _ping(connection: Connection) -> PingResult:
    from mlconnector.systems.marketo.ping import ping  # noqa: PLC0415

    return ping(connection)


def _simulator(seed: int, size: int) -> Simulator:  # noqa: ARG001 - one signature for every simulator
    from sandbox.marketo import MarketoSimulator  # noqa: PLC0415 - the sandbox exists only in the local environment

    return MarketoSimulator(seed=seed)  # starts empty (the connector populates it): size does not apply


MARKETO: SystemSpec[MarketoClient] = SystemSpec(
    name="marketo",
    title="Marketo",
    secret_fields=("munchkin_id", "client_id", "client_secret"),
    error_root=MarketoError,
    client=_client,
    ping=_ping,
    simulator=_simulator,
    options=("custom_fields",),
)
SPEC = MARKETO
