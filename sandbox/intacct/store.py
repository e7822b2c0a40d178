"""In-memory records per object, with a natural-key index and an undo journal.

A record is a flat ``dict[str, str]`` keyed by upper-case field names (dotted for related fields);
absent or empty means null. Records are never mutated in place: a write replaces the dict, so a
caller holding a record sees a consistent snapshot. Writes made while a journal is open can be
rolled back to a savepoint (function-level atomicity, ``transaction="true"``).
"""

from __future__ import annotations

import threading
from collections.abc import Mapping
from dataclasses import dataclass, field

from sandbox.intacct.schema import OBJECTS, ObjectDef

Record = dict[str, str]


class StoreError(Exception):
    """A write the store cannot do (unknown record, duplicate natural key)."""


@dataclass
class _Table:
    definition: ObjectDef
    rows: dict[int, Record] = field(default_factory=dict)
    by_id: dict[str, int] = field(default_factory=dict)
    next_recordno: int = 1


@dataclass(frozen=True)
class _Undo:
    object_name: str
    recordno: int
    previous: Record | None  # None: the record did not exist before


class RecordStore:
    def __init__(self, definitions: Mapping[str, ObjectDef] = OBJECTS) -> None:
        self.lock = threading.RLock()
        self._tables = {
            name: _Table(definition, next_recordno=definition.first_recordno)
            for name, definition in definitions.items()
        }
        self._journal: list[_Undo] | None = None

    # ---------------------------------------------------------------- reading
    def definition(self, object_name: str) -> ObjectDef:
        return self._table(object_name).definition

    def object_names(self) -> list[str]:
        return list(self._tables)

    def count(self, object_name: str) -> int:
        with self.lock:
            return len(self._table(object_name).rows)

    def get(self, object_name: str, recordno: int) -> Record | None:
        with self.lock:
            return self._table(object_name).rows.get(recordno)

    def find(self, object_name: str, natural_id: str) -> Record | None:
        """By the object's natural key (VENDORID, ...); objects without one use RECORDNO."""
        with self.lock:
            table = self._table(object_name)
            if table.definition.id_field is None:
                return table.rows.get(int(natural_id)) if natural_id.strip().isdigit() else None
            recordno = table.by_id.get(natural_id)
            return None if recordno is None else table.rows.get(recordno)

    def all(self, object_name: str) -> list[Record]:
        """Every record, by ascending RECORDNO (a consistent snapshot, safe while others write)."""
        with self.lock:
            rows = self._table(object_name).rows
            return [rows[key] for key in sorted(rows)]

    # ---------------------------------------------------------------- writing
    def insert(self, object_name: str, values: Mapping[str, str], recordno: int | None = None) -> Record:
        """Add a record; assigns RECORDNO unless given. Raises StoreError on a duplicate natural key."""
        with self.lock:
            table = self._table(object_name)
            number = recordno if recordno is not None else table.next_recordno
            if number in table.rows:
                raise StoreError(f"{object_name} RECORDNO {number} already exists")
            record = self._keyed(table, values, number)
            natural = self._natural_id(table, record)
            if natural is not None and natural in table.by_id:
                raise StoreError(f"{object_name} {natural!r} already exists")
            table.rows[number] = record
            if natural is not None:
                table.by_id[natural] = number
            table.next_recordno = max(table.next_recordno, number + 1)
            self._remember(object_name, number, None)
            return record

    def replace(self, object_name: str, recordno: int, values: Mapping[str, str]) -> Record:
        """Swap in a new version of an existing record (RECORDNO kept)."""
        with self.lock:
            table = self._table(object_name)
            previous = table.rows.get(recordno)
            if previous is None:
                raise StoreError(f"{object_name} RECORDNO {recordno} does not exist")
            record = self._keyed(table, values, recordno)
            old_id, new_id = self._natural_id(table, previous), self._natural_id(table, record)
            if new_id != old_id and new_id is not None and new_id in table.by_id:
                raise StoreError(f"{object_name} {new_id!r} already exists")
            if old_id is not None:
                table.by_id.pop(old_id, None)
            if new_id is not None:
                table.by_id[new_id] = recordno
            table.rows[recordno] = record
            self._remember(object_name, recordno, previous)
            return record

    def delete(self, object_name: str, recordno: int) -> Record:
        with self.lock:
            table = self._table(object_name)
            previous = table.rows.pop(recordno, None)
            if previous is None:
                raise StoreError(f"{object_name} RECORDNO {recordno} does not exist")
            natural = self._natural_id(table, previous)
            if natural is not None:
                table.by_id.pop(natural, None)
            self._remember(object_name, recordno, previous)
            return previous

    # ---------------------------------------------------------------- journal
    def begin(self) -> None:
        """Start journaling writes (the caller holds ``lock`` until ``end``)."""
        self._journal = []

    def end(self) -> None:
        self._journal = None

    def savepoint(self) -> int:
        return len(self._journal) if self._journal is not None else 0

    def rollback_to(self, savepoint: int) -> None:
        """Undo every journaled write made after ``savepoint`` (newest first)."""
        journal = self._journal
        if journal is None:
            return
        self._journal = None  # undo writes must not be journaled themselves
        try:
            while len(journal) > savepoint:
                self._undo(journal.pop())
        finally:
            self._journal = journal

    def _undo(self, entry: _Undo) -> None:
        table = self._table(entry.object_name)
        current = table.rows.pop(entry.recordno, None)
        if current is not None:
            natural = self._natural_id(table, current)
            if natural is not None:
                table.by_id.pop(natural, None)
        if entry.previous is not None:
            table.rows[entry.recordno] = entry.previous
            natural = self._natural_id(table, entry.previous)
            if natural is not None:
                table.by_id[natural] = entry.recordno

    def _remember(self, object_name: str, recordno: int, previous: Record | None) -> None:
        if self._journal is not None:
            self._journal.append(_Undo(object_name, recordno, previous))

    # ---------------------------------------------------------------- helpers
    def _table(self, object_name: str) -> _Table:
        try:
            return self._tables[object_name]
        except KeyError:
            raise StoreError(f"unknown object {object_name!r}") from None

    @staticmethod
    def _keyed(table: _Table, values: Mapping[str, str], number: int) -> Record:
        """The stored form: empty values dropped, RECORDNO (and a custom object's system key) set."""
        record = {key: value for key, value in values.items() if value != ""}
        record["RECORDNO"] = str(number)
        if table.definition.system_key != "RECORDNO":
            record[table.definition.system_key] = str(number)
        return record

    @staticmethod
    def _natural_id(table: _Table, record: Mapping[str, str]) -> str | None:
        id_field = table.definition.id_field
        return None if id_field is None else record.get(id_field) or None
