"""The integrations this deployment knows, by the name a schedule or the CLI uses.

A flow module (and through it its systems' clients) is imported when the integration is built, not when this
registry is: the Intacct -> Marketo poller never imports the Commerce client."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from mlconnector.config import ConfigurationError
from mlconnector.connection import Connection
from mlconnector.engine.flow import Flow
from mlconnector.systems.plugin import PingResult


@dataclass(frozen=True)
class Integration:
    name: str
    systems: tuple[str, ...]
    build: Callable[[Connection], Flow]
    description: str
    checks: Callable[[Connection], list[PingResult]] | None = None
    """The integration's own ping checks, after each system's (what only the pair of systems can tell)."""


def _intacct_marketo(connection: Connection) -> Flow:
    from mlconnector.flows.intacct_marketo import flow  # noqa: PLC0415 - its clients load when it is built

    return flow.build(connection)


def _commerce_intacct(connection: Connection) -> Flow:
    from mlconnector.flows.commerce_intacct import flow  # noqa: PLC0415 - its clients load when it is built

    return flow.build(connection)


def _intacct_mailchimp(connection: Connection) -> Flow:
    from mlconnector.flows.intacct_mailchimp import flow  # noqa: PLC0415 - its clients load when it is built

    return flow.build(connection)


def _intacct_zoho(connection: Connection) -> Flow:
    from mlconnector.flows.intacct_zoho import flow  # noqa: PLC0415 - its clients load when it is built

    return flow.build(connection)


def _intacct_zendesk(connection: Connection) -> Flow:
    from mlconnector.flows.intacct_zendesk import flow  # noqa: PLC0415 - its clients load when it is built

    return flow.build(connection)


def _intacct_zendesk_checks(connection: Connection) -> list[PingResult]:
    from mlconnector.flows.intacct_zendesk import ping  # noqa: PLC0415 - its clients load when it is pinged

    return ping.checks(connection)


INTACCT_MARKETO = "intacct-marketo"
COMMERCE_INTACCT = "commerce-intacct"
INTACCT_MAILCHIMP = "intacct-mailchimp"
INTACCT_ZOHO = "intacct-zoho"
INTACCT_ZENDESK = "intacct-zendesk"
"""The flows' NAMEs (tests/unit/test_system_specs.py checks they agree)."""

INTEGRATIONS: dict[str, Integration] = {
    INTACCT_MARKETO: Integration(
        INTACCT_MARKETO,
        ("intacct", "marketo"),
        _intacct_marketo,
        "Intacct vendors → Marketo companies, vendor contacts → leads linked to their company",
    ),
    COMMERCE_INTACCT: Integration(
        COMMERCE_INTACCT,
        ("commerce", "intacct"),
        _commerce_intacct,
        "Adobe Commerce orders → Intacct AP bills on the matched or created vendor, posted exactly once",
    ),
    INTACCT_MAILCHIMP: Integration(
        INTACCT_MAILCHIMP,
        ("intacct", "mailchimp"),
        _intacct_mailchimp,
        "Intacct contacts → Mailchimp audience members; customers and vendors → e-commerce customers, GL accounts"
        " → products, AP bills → orders, AP payments → paid orders",
    ),
    INTACCT_ZOHO: Integration(
        INTACCT_ZOHO,
        ("intacct", "zoho"),
        _intacct_zoho,
        "Intacct customers → Zoho Accounts (with their hierarchy), vendors → Vendors, contacts → Contacts on their"
        " Account or Vendor, dimensions → custom fields",
    ),
    INTACCT_ZENDESK: Integration(
        INTACCT_ZENDESK,
        ("intacct", "zendesk"),
        _intacct_zendesk,
        "Intacct vendors → Zendesk organizations with their financial context, vendor contacts → end-users;"
        " Zendesk tickets → Intacct (custom object or attachments), polled and by signed webhook",
        _intacct_zendesk_checks,
    ),
}


def get_integration(name: str) -> Integration:
    try:
        return INTEGRATIONS[name]
    except KeyError:
        known = ", ".join(sorted(INTEGRATIONS))
        raise ConfigurationError(f"unknown integration {name!r}; this deployment has: {known}") from None
