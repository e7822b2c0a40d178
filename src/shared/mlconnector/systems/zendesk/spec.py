"""Zendesk Support as a plugged-in system: its secret, client factory, ping check, error root and simulator.

Import-light on purpose: the client and the simulator are imported when first built.

The secret holds the OAuth client (`client_id`, `client_secret`), the **first** refresh token and the `subdomain`.
Each refresh rotates the pair; the rotated pair lives in the DynamoDB token store (StateTable, encrypted with the
stack's customer-managed KMS key), written before it is used, and shared by every container (state/token_pairs.py).
A dry run stores a rotated pair too: not storing it would lock the connection out.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from mlconnector.systems.plugin import ClientContext, PingResult, SystemSpec
from mlconnector.systems.zendesk.errors import ConfigurationError, ZendeskError

if TYPE_CHECKING:
    from mlconnector.connection import Connection
    from mlconnector.systems.zendesk.client import ZendeskClient
    from sandbox.core.simulator import Simulator


def _client(context: ClientContext) -> ZendeskClient:
    from mlconnector.state.token_pairs import TokenPairStore  # noqa: PLC0415 - when a flow uses it
    from mlconnector.systems.zendesk.client import MAX_JOBS, ZendeskClient  # noqa: PLC0415
    from mlconnector.systems.zendesk.credentials import ZendeskCredentials  # noqa: PLC0415
    from mlconnector.systems.zendesk.export import PER_MINUTE  # noqa: PLC0415

    credentials = ZendeskCredentials.from_secret(context.secret, allowed_sandbox_hosts=context.sandbox_hosts)
    organizations = context.secret.get("organizations") or {}
    adopt = organizations.get("adopt_by_name", False) if isinstance(organizations, dict) else False
    if not isinstance(adopt, bool):
        raise ConfigurationError("Zendesk secret: organizations.adopt_by_name is true or false")
    return ZendeskClient(
        credentials,
        TokenPairStore(context.tokens.connection, context.system),
        monotonic=context.monotonic,
        deadline=context.deadline,
        sleep=context.sleep,
        max_jobs=_whole(context.secret.get("max_jobs"), MAX_JOBS, "max_jobs"),
        export_per_minute=_whole(context.secret.get("export_per_minute"), PER_MINUTE, "export_per_minute"),
        adopt_by_name=adopt,
    )


def _whole(value: object, default: int, name: str) -> int:
    if value in (None, ""):
        return default
    if not isinstance(value, int) or isinstance(value, bool) or not 1 <= value <= 1000:
        raise ConfigurationError(f"Zendesk secret: {name} must be a whole number from 1 to 1000")
    return value


def _ping(connection: Connection) -> PingResult:
    from mlconnector.systems.zendesk.ping import ping  # noqa: PLC0415

    return ping(connection)


def _simulator(seed: int, size: int) -> Simulator:
    from sandbox.zendesk import ZendeskSimulator  # noqa: PLC0415 - the sandbox exists only in the local environment
    from sandbox.zendesk.config import ZendeskSimConfig  # noqa: PLC0415

    # Jobs finish on the clock (a second after they are queued), as Zendesk's do, not after so many polls.
    simulator: Simulator = ZendeskSimulator(seed=seed, size=size, config=ZendeskSimConfig(job_step_s=0.5))
    return simulator


ZENDESK: SystemSpec[ZendeskClient] = SystemSpec(
    name="zendesk",
    title="Zendesk",
    secret_fields=("subdomain", "client_id", "client_secret", "refresh_token"),
    error_root=ZendeskError,
    client=_client,
    ping=_ping,
    simulator=_simulator,
    options=("organizations", "users", "tickets", "webhook"),
)
SPEC = ZENDESK
