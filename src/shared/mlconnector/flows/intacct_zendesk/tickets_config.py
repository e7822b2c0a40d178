"""How tickets are stored in Intacct: the "tickets" object of the Zendesk secret.

    {"tickets": {"home": "auto", "start": "2024-01-01", "relationship_key": "auto", "date_style": "auto",
                 "intacct_timezone": "UTC"}}

- `home`: `custom-object` (the `zendesk_ticket` Platform Services object, required), `attachments` (one attachment
  per vendor or customer, one file per ticket update) or `auto` (default: the custom object where the company has it,
  else attachments; the run report and ping say which).
- `start`: the first export's start (a date, YYYY-MM-DD, UTC); absent = every ticket Zendesk has.
- `relationship_key`: what `<RVENDOR>` takes, UNVERIFIED (reference verified-2026-12 §4): `ID` (VENDORID),
  `RECORDNO`, or `auto` (default: the ID first; when Intacct refuses it, the RECORDNO, remembered for the run).
- `date_style`: how custom date-times are written, UNVERIFIED: `iso`, `us` (MM/DD/YYYY HH:MM:SS) or `auto` (default:
  ISO first, US when Intacct refuses it).
- `intacct_timezone`: the company's time zone, to read back date-times Intacct returns without an offset (default
  UTC). It decides whether a stored ticket is older than an incoming one.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import UTC, date, datetime
from typing import Any, Literal, get_args
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from mlconnector.config import ConfigurationError

Home = Literal["auto", "custom-object", "attachments"]
KeyChoice = Literal["auto", "ID", "RECORDNO"]
DateChoice = Literal["auto", "iso", "us"]
_KEYS = ("home", "start", "relationship_key", "date_style", "intacct_timezone")


@dataclass(frozen=True)
class TicketsConfig:
    home: Home = "auto"
    start: int = 0
    """The first export's start_time (Unix seconds)."""
    relationship_key: KeyChoice = "auto"
    date_style: DateChoice = "auto"
    intacct_timezone: str = "UTC"

    @property
    def zone(self) -> ZoneInfo:
        return ZoneInfo(self.intacct_timezone)

    @classmethod
    def from_options(cls, options: Mapping[str, Any]) -> TicketsConfig:
        value = options.get("tickets") or {}
        if not isinstance(value, Mapping):
            raise ConfigurationError("Zendesk secret: tickets must be an object")
        unknown = sorted(set(value) - set(_KEYS))
        if unknown:
            raise ConfigurationError(f"Zendesk tickets config has unknown keys: {', '.join(unknown)}")
        home = _choice(value, "home", get_args(Home), cls.home)
        key = _choice(value, "relationship_key", get_args(KeyChoice), cls.relationship_key)
        style = _choice(value, "date_style", get_args(DateChoice), cls.date_style)
        zone = value.get("intacct_timezone", cls.intacct_timezone)
        try:
            ZoneInfo(str(zone))
        except (ZoneInfoNotFoundError, ValueError):
            raise ConfigurationError(
                f"Zendesk tickets config intacct_timezone {str(zone)[:40]!r} is not a time zone name (e.g. UTC, "
                "America/Los_Angeles)"
            ) from None
        return cls(home, _start(value.get("start")), key, style, str(zone))  # type: ignore[arg-type]


def _choice(value: Mapping[str, Any], name: str, allowed: tuple[str, ...], default: str) -> str:
    chosen = value.get(name, default)
    if chosen not in allowed:
        raise ConfigurationError(f"Zendesk tickets config {name} must be one of {', '.join(allowed)}")
    return str(chosen)


def _start(value: object) -> int:
    if value in (None, ""):
        return 0
    try:
        day = date.fromisoformat(str(value))
    except ValueError:
        raise ConfigurationError("Zendesk tickets config start must be a date YYYY-MM-DD") from None
    return int(datetime(day.year, day.month, day.day, tzinfo=UTC).timestamp())
