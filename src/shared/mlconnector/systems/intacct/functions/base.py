"""What every API function object shares: a controlid and one element to put inside `<function>`."""

from __future__ import annotations

import re
import uuid
from collections.abc import Sequence
from typing import Protocol

from mlconnector.systems.intacct.xml import Element, check_name

MAX_CONTROLID = 256
MAX_KEYS = 100
"""read / readByName / delete keys per call (the SDKs' cap; the server limit is UNVERIFIED)."""

_FIELD = re.compile(r"[A-Za-z_][A-Za-z0-9_]*(\.[A-Za-z_][A-Za-z0-9_]*)*\Z")


class ApiFunction(Protocol):
    @property
    def controlid(self) -> str: ...

    def to_element(self) -> Element:
        """The single call inside `<function>`, e.g. `<query>…</query>`."""
        ...


def new_controlid() -> str:
    """Random function controlid, as the SDKs do. Writes use `deterministic_controlid` instead."""
    return str(uuid.uuid4())


def check_controlid(controlid: str) -> str:
    if not 1 <= len(controlid) <= MAX_CONTROLID:
        raise ValueError(f"controlid must be 1..{MAX_CONTROLID} characters, got {len(controlid)}")
    return controlid


def check_object(name: str) -> str:
    """Object names are element names in writes and responses, so they must be valid XML names."""
    return check_name(name)


def check_field(name: str) -> str:
    """A field name, optionally dotted into a related object (`DISPLAYCONTACT.EMAIL1`)."""
    if not _FIELD.match(name):
        raise ValueError(f"not a valid Intacct field name: {name!r}")
    return name


def field_list(fields: Sequence[str]) -> str:
    """Comma-separated field list for read/readByQuery; empty or ['*'] means all fields."""
    if not fields or list(fields) == ["*"]:
        return "*"
    return ",".join(check_field(f) for f in fields)


def key_list(keys: Sequence[str | int], function: str) -> str:
    if not keys:
        raise ValueError(f"{function} needs at least one key")
    if len(keys) > MAX_KEYS:
        raise ValueError(f"{function} takes at most {MAX_KEYS} keys per call, got {len(keys)}")
    texts = [str(k) for k in keys]
    if any("," in k or not k.strip() for k in texts):
        raise ValueError(f"{function} keys must be non-empty and contain no comma")
    return ",".join(texts)
