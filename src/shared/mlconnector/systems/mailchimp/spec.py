"""Mailchimp as a plugged-in system: its secret, client factory, ping check, error root and simulator.

Import-light on purpose: the client and the simulator are imported when first built."""

from __future__ import annotations

from typing import TYPE_CHECKING

from mlconnector.systems.mailchimp.errors import MailchimpError
from mlconnector.systems.plugin import ClientContext, PingResult, SystemSpec

if TYPE_CHECKING:
    from mlconnector.connection import Connection
    from mlconnector.systems.mailchimp.client import MailchimpClient
    from sandbox.core.simulator import Simulator


def _client(context: ClientContext) -> MailchimpClient:
    from mlconnector.systems.mailchimp.client import MailchimpClient, call_budget  # noqa: PLC0415 - when a flow uses it
    from mlconnector.systems.mailchimp.credentials import MailchimpCredentials  # noqa: PLC0415

    credentials = MailchimpCredentials.from_secret(context.secret, allowed_sandbox_hosts=context.sandbox_hosts)
    # One budget per client, and a connection builds one client per system: every stream of a run shares the
    # account's 10 connections. (Nothing is cached: an OAuth token's data centre is looked up once per client.)
    budget = call_budget(clock=context.monotonic, sleep=context.sleep)
    return MailchimpClient(credentials, budget=budget, deadline=context.deadline, sleep=context.sleep)


def _ping(connection: Connection) -> PingResult:
    from mlconnector.systems.mailchimp.ping import ping  # noqa: PLC0415

    return ping(connection)


def _simulator(seed: int, size: int) -> Simulator:  # noqa: ARG001 - one signature for every simulator
    from sandbox.mailchimp import MailchimpSimulator  # noqa: PLC0415 - the sandbox exists only in the local environment

    return MailchimpSimulator(seed=seed)  # one seeded audience (the connector fills it): size does not apply


MAILCHIMP: SystemSpec[MailchimpClient] = SystemSpec(
    name="mailchimp",
    title="Mailchimp",
    secret_fields=("api_key", "list_id"),
    error_root=MailchimpError,
    client=_client,
    ping=_ping,
    simulator=_simulator,
    options=("store", "members", "orders"),
)
SPEC = MAILCHIMP
