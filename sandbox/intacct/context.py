"""What a function handler may use: state, configuration, the caller's identity, the clock."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import tzinfo
from typing import TYPE_CHECKING

from sandbox.core.clock import SimClock
from sandbox.intacct.config import IntacctSimConfig
from sandbox.intacct.errors import FunctionFailure, invalid_argument
from sandbox.intacct.result_sets import ResultSetCache
from sandbox.intacct.sessions import Session, SessionRegistry
from sandbox.intacct.store import RecordStore
from sandbox.intacct.values import format_timestamp, zone

if TYPE_CHECKING:
    from xml.etree.ElementTree import Element  # type only: parsing goes through defusedxml


@dataclass(frozen=True)
class Identity:
    company_id: str
    user_id: str
    location_id: str
    listener: str
    session: Session | None = None


@dataclass(frozen=True)
class FunctionContext:
    config: IntacctSimConfig
    store: RecordStore
    clock: SimClock
    sessions: SessionRegistry
    result_sets: ResultSetCache
    identity: Identity
    session_endpoint: str
    sole_function: bool = True

    @property
    def tz(self) -> tzinfo:
        return zone(self.config.timezone)

    def now_stamp(self) -> str:
        """Now as WHENMODIFIED is written: ``MM/DD/YYYY HH:MM:SS`` in the configured zone."""
        return format_timestamp(self.clock.now(), self.tz)


def child_text(element: Element, name: str) -> str | None:
    """Text of the first child ``name`` (case-insensitive); None when absent, "" when empty."""
    for child in element:
        if child.tag.lower() == name.lower():
            return child.text or ""
    return None


def int_option(element: Element, name: str, default: int, low: int, high: int) -> int:
    """An integer child within [low, high]; FunctionFailure otherwise."""
    text = child_text(element, name)
    if text is None or not text.strip():
        return default
    try:
        value = int(text.strip())
    except ValueError:
        raise FunctionFailure(invalid_argument(f"{name} must be an integer, got {text!r}")) from None
    if not low <= value <= high:
        raise FunctionFailure(invalid_argument(f"{name} must be between {low} and {high}, got {value}"))
    return value
