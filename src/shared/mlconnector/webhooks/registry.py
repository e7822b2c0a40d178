"""Which systems send webhooks: one line per sender, its name and the module defining its `SPEC`.

Specs are imported on first use, one at a time: a verifier that receives Commerce deliveries never imports another
sender's module (nor, through it, anything that sender's posting needs)."""

from __future__ import annotations

import importlib

from mlconnector.webhooks.spec import WebhookSpec

SENDERS: dict[str, str | WebhookSpec] = {
    "commerce": "mlconnector.webhooks.senders.commerce",
    "zendesk": "mlconnector.webhooks.senders.zendesk",
}
"""System name (the route's `{system}`) -> the module whose `SPEC` describes it (or, in tests, the spec itself)."""


class UnknownSender(LookupError):
    """No registered sender has this name."""


def spec_for(system: str) -> WebhookSpec:
    """The sender's spec. Raises UnknownSender for a name no line of SENDERS registers."""
    entry = SENDERS.get(system)
    if entry is None:
        raise UnknownSender(f"no webhook sender is registered as {system!r}")
    if isinstance(entry, WebhookSpec):
        return entry
    spec = importlib.import_module(entry).SPEC
    if not isinstance(spec, WebhookSpec) or spec.system != system:
        raise TypeError(f"{entry}.SPEC is not the WebhookSpec of {system!r}")
    SENDERS[system] = spec
    return spec


def senders() -> list[WebhookSpec]:
    """Every registered sender's spec (imports each spec module; for the CLI and tests, not the verifier)."""
    return [spec_for(system) for system in list(SENDERS)]


def for_integration(integration: str) -> WebhookSpec | None:
    """The spec of the sender whose deliveries `integration` posts, or None when it takes no webhooks."""
    return next((spec for spec in senders() if spec.integration == integration), None)
