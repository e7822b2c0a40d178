"""`ping`: check each system of an integration with cheap, side-effect-free calls; say what to fix when one fails.

Each system's check is its spec's `ping` (systems/<name>/ping.py)."""

from __future__ import annotations

from mlconnector.connection import Connection
from mlconnector.flows.registry import get_integration
from mlconnector.systems.plugin import PingResult
from mlconnector.systems.registry import SYSTEMS

__all__ = ["PingResult", "ping"]


def ping(integration: str, connection: Connection) -> list[PingResult]:
    """Check each system's credentials with a cheap call; say what to fix when one fails."""
    results = []
    chosen = get_integration(integration)
    for system in chosen.systems:
        spec = SYSTEMS.get(system)
        if spec is None:
            detail = f"no {system} client in this version yet: it comes with its integration's issue"
            results.append(PingResult(system, False, None, detail))
            continue
        results.append(spec.ping(connection))
    if chosen.checks is not None and all(result.ok for result in results):
        results += chosen.checks(connection)
    return results
