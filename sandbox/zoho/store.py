"""The simulator's in-memory org: each module's fields (system, then custom; picklist values added on the way) and
records, the one user, the page tokens handed out. One re-entrant lock guards it all; every operation holds it
while it reads or writes."""

from __future__ import annotations

import threading
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from sandbox.zoho.fields import FieldSpec
from sandbox.zoho.schema import MODULES
from sandbox.zoho.values import IdSource


@dataclass
class StoredRecord:
    """Field values by API name; a lookup holds the target record's id, ``Owner`` the user's id."""

    id: str
    values: dict[str, Any]
    created_at: datetime
    modified_at: datetime
    created_by: str
    modified_by: str


@dataclass(frozen=True)
class PageToken:
    module: str
    position: int  # index of the next record in the query's ordering
    sort_by: str
    sort_order: str
    expires_at: datetime


@dataclass
class Database:
    ids: IdSource
    user_id: str
    zuid: str
    org_id: str
    module_ids: dict[str, str]
    fields: dict[str, dict[str, FieldSpec]]  # module -> API name -> field
    field_ids: dict[tuple[str, str], str]
    unused_values: dict[tuple[str, str], set[str]] = field(default_factory=dict)  # picklist values added by writes
    records: dict[str, dict[str, StoredRecord]] = field(default_factory=lambda: {name: {} for name in MODULES})
    page_tokens: dict[str, PageToken] = field(default_factory=dict)
    lock: threading.RLock = field(default_factory=threading.RLock)

    def field(self, module: str, api_name: str) -> FieldSpec | None:
        return self.fields[module].get(api_name)

    def add_field(self, module: str, spec: FieldSpec) -> None:
        with self.lock:
            if spec.api_name in self.fields[module]:
                raise ValueError(f"{module} has a field {spec.api_name!r} already")
            self.fields[module][spec.api_name] = spec
            self.field_ids[(module, spec.api_name)] = self.ids.next()

    def replace_field(self, module: str, spec: FieldSpec) -> None:
        with self.lock:
            self.fields[module][spec.api_name] = spec

    def find(self, record_id: str) -> tuple[str, StoredRecord] | None:
        """A record of any module by id (ids are unique in the org)."""
        with self.lock:
            for module, table in self.records.items():
                if record_id in table:
                    return module, table[record_id]
        return None
