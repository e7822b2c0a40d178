"""What an operation gets and gives back: the org as of this call, the call (module, record id, query, body,
headers) and its reply (with the credits it costs)."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from sandbox.zoho.config import ZohoSimConfig
from sandbox.zoho.fields import FieldSpec
from sandbox.zoho.schema import VENDORS
from sandbox.zoho.store import Database
from sandbox.zoho.values import stamp


@dataclass(frozen=True)
class ApiContext:
    config: ZohoSimConfig
    db: Database
    moment: datetime  # this call's time on the simulator clock

    @property
    def now(self) -> str:
        return stamp(self.moment)

    def module_available(self, module: str) -> bool:
        """Vendors exists from the configured edition up; the other modules always do."""
        return module != VENDORS or self.config.vendors_available

    def visible_fields(self, module: str) -> list[FieldSpec]:
        """The module's fields as the org shows them: lookups into an unavailable module are hidden."""
        with self.db.lock:
            specs = list(self.db.fields[module].values())
        return [spec for spec in specs if spec.lookup_module is None or self.module_available(spec.lookup_module)]

    def out_id(self, record_id: str) -> str | int:
        """An id as answers carry it: a JSON string (default) or number (``ids_as``)."""
        return int(record_id) if self.config.ids_as == "number" else record_id

    def user(self) -> dict[str, Any]:
        """The org's one user, as lookups show it."""
        return {"name": self.config.user_name, "id": self.out_id(self.db.user_id), "email": self.config.user_email}


@dataclass(frozen=True)
class Call:
    module: str = ""  # canonical module API name, for record routes
    record_id: str = ""
    query: Mapping[str, str] = field(default_factory=dict)  # last value of each query parameter
    body: Any = None  # the parsed JSON body (None when there was none)
    headers: Mapping[str, str] = field(default_factory=dict)
    scopes: tuple[str, ...] = ()  # of the token that made the call (COQL checks the module it names)


@dataclass(frozen=True)
class Reply:
    payload: Any = None  # None: no body (204, 304)
    status: int = 200
    headers: Mapping[str, str] = field(default_factory=dict)
