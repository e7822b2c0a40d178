"""Zoho CRM editions: simultaneous calls, API credits per rolling 24 hours, and whether the Vendors module exists.

Concurrency 5/10/15/20/25 is verified (Kaizen #203). Credits follow Kaizen #93 (50,000 + credits per user licence,
capped); the caps changed over time, so every number here can be overridden in the config. Which editions have
Vendors is UNVERIFIED (product claim: Professional and above).
"""

from __future__ import annotations

from dataclasses import dataclass

EDITION_ORDER = ("free", "standard", "professional", "enterprise", "ultimate")


@dataclass(frozen=True)
class Edition:
    name: str
    concurrency: int
    credits_base: int
    credits_per_user: int
    credits_cap: int | None  # None: unlimited
    paid_type: str | None  # /org license_details.paid_type (None for the free edition)

    def credits(self, users: int, addons: int = 0) -> int | None:
        """Credits per rolling 24 hours for ``users`` licences plus add-on credits (None: unlimited)."""
        total = self.credits_base + self.credits_per_user * users + addons
        return total if self.credits_cap is None else min(total, self.credits_cap + addons)

    def rank(self) -> int:
        return EDITION_ORDER.index(self.name)


EDITIONS: dict[str, Edition] = {
    "free": Edition("free", 5, 5_000, 0, 5_000, None),
    "standard": Edition("standard", 10, 50_000, 250, 100_000, "standard"),
    # UNVERIFIED cap: 3,000,000 on the current page, 1,000,000 on an older one.
    "professional": Edition("professional", 15, 50_000, 500, 3_000_000, "professional"),
    "enterprise": Edition("enterprise", 20, 50_000, 1_000, 5_000_000, "enterprise"),
    "ultimate": Edition("ultimate", 25, 50_000, 2_000, None, "ultimate"),
}


def edition(name: str) -> Edition:
    try:
        return EDITIONS[name.lower()]
    except KeyError:
        raise ValueError(f"unknown edition {name!r}; known: {list(EDITION_ORDER)}") from None
