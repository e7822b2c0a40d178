"""Zoho's concurrency limits as call budgets (reference §6.2, verified §2.4).

Simultaneous calls per org and OAuth app: Free 5, Standard 10, Professional 15, Enterprise 20, Ultimate 25; and at
most 10 at once (every edition) of the heavy calls: search, COQL, sorted record reads, upserts of more than 10
records. Beyond either, Zoho answers 429 TOO_MANY_REQUESTS. One general budget and one heavy budget per client, and a
connection builds one client per system, so every stream of a run shares them. The edition comes from the secret
(`edition`, default Professional) or an explicit `max_concurrent`; ping reads the org's actual edition from /org.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Mapping
from typing import Any

from mlconnector.call_budget import CallBudget
from mlconnector.http import Sleep
from mlconnector.systems.zoho.errors import ConfigurationError

EDITION_CONCURRENCY: Mapping[str, int] = {
    "free": 5,
    "standard": 10,
    "professional": 15,
    "enterprise": 20,
    "ultimate": 25,
}
BUNDLES: Mapping[str, str] = {"starter": "standard", "zohoone": "enterprise", "crmplus": "ultimate"}
"""Other names of an edition's limits: Starter is Standard's, Zoho One Enterprise's, CRM Plus Ultimate's."""
DEFAULT_EDITION = "professional"
HEAVY_CONCURRENCY = 10
HEAVY_RECORDS = 10
"""An upsert of more records than this is a heavy call."""


def edition_name(value: str) -> str:
    """The edition a configured or reported name stands for: free, standard, professional, enterprise or ultimate.
    Composite names (`crmplusprofessional`, `zohooneenterprise`) count as the edition word they contain."""
    name = "".join(c for c in value.lower() if c.isalnum())
    for edition in sorted(EDITION_CONCURRENCY, key=lambda e: -EDITION_CONCURRENCY[e]):
        if edition in name:
            return edition
    for bundle, edition in BUNDLES.items():
        if bundle in name:
            return edition
    raise ConfigurationError(
        f"Zoho edition {value[:40]!r} is not one of {', '.join(EDITION_CONCURRENCY)} (or Starter, Zoho One, CRM Plus)"
    )


def max_concurrent(secret: Mapping[str, Any]) -> int:
    """Calls at once for a connection: the secret's `max_concurrent`, else its `edition`'s limit (default
    Professional's 15)."""
    explicit = secret.get("max_concurrent")
    if explicit not in (None, ""):
        if (
            not isinstance(explicit, int)
            or isinstance(explicit, bool)
            or not 1 <= explicit <= max(EDITION_CONCURRENCY.values())
        ):
            raise ConfigurationError("Zoho secret: max_concurrent must be a whole number from 1 to 25")
        return explicit
    edition = secret.get("edition") or DEFAULT_EDITION
    if not isinstance(edition, str):
        raise ConfigurationError("Zoho secret: edition must be text (free, standard, professional, ...)")
    return EDITION_CONCURRENCY[edition_name(edition)]


def call_budget(
    limit: int = EDITION_CONCURRENCY[DEFAULT_EDITION],
    *,
    clock: Callable[[], float] = time.monotonic,
    sleep: Sleep = time.sleep,
) -> CallBudget:
    """The edition's limit of calls at once (no rate window: Zoho counts credits per day instead)."""
    return CallBudget(max_calls=None, max_concurrent=limit, system="Zoho", clock=clock, sleep=sleep)


def heavy_budget(*, clock: Callable[[], float] = time.monotonic, sleep: Sleep = time.sleep) -> CallBudget:
    """The sub-limit of heavy calls at once, held together with a general slot."""
    return CallBudget(max_calls=None, max_concurrent=HEAVY_CONCURRENCY, system="Zoho", clock=clock, sleep=sleep)
