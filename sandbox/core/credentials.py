"""Credentials handed to tests and the connector; the repr never shows the secret half."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field


@dataclass(frozen=True)
class Credentials:
    public: Mapping[str, str]
    secret: Mapping[str, str] = field(repr=False)

    def as_dict(self) -> dict[str, str]:
        """Everything, e.g. to store as one JSON secret."""
        return {**self.public, **self.secret}

    def __repr__(self) -> str:
        hidden = ", ".join(f"{key}=***" for key in self.secret)
        return f"Credentials({dict(self.public)!r}, {hidden})"
