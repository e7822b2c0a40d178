"""The integrations this deployment knows, by the name a schedule or the CLI uses."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from mlconnector.config import ConfigurationError
from mlconnector.connection import Connection
from mlconnector.engine.flow import Flow
from mlconnector.flows.commerce_intacct import flow as commerce_intacct
from mlconnector.flows.intacct_marketo import flow as intacct_marketo


@dataclass(frozen=True)
class Integration:
    name: str
    systems: tuple[str, ...]
    build: Callable[[Connection], Flow]
    description: str


INTEGRATIONS: dict[str, Integration] = {
    intacct_marketo.NAME: Integration(
        intacct_marketo.NAME,
        ("intacct", "marketo"),
        intacct_marketo.build,
        "Intacct vendors → Marketo companies, vendor contacts → leads linked to their company",
    ),
    commerce_intacct.NAME: Integration(
        commerce_intacct.NAME,
        ("commerce", "intacct"),
        commerce_intacct.build,
        "Adobe Commerce orders → Intacct AP bills on the matched or created vendor, posted exactly once",
    ),
}


def get_integration(name: str) -> Integration:
    try:
        return INTEGRATIONS[name]
    except KeyError:
        known = ", ".join(sorted(INTEGRATIONS))
        raise ConfigurationError(f"unknown integration {name!r}; this deployment has: {known}") from None
