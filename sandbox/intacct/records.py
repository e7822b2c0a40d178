"""Editing records from Python or the admin endpoints, as a user would in the Intacct UI:
field names are checked, business rules are not, and WHENMODIFIED moves to "now"."""

from __future__ import annotations

from collections.abc import Mapping

from sandbox.intacct.catalogue import any_object
from sandbox.intacct.schema import ObjectDef
from sandbox.intacct.store import Record, RecordStore


def _object(store: RecordStore, object_name: str) -> ObjectDef:
    obj = any_object(object_name)
    if obj is None or obj.name not in store.object_names():
        raise KeyError(f"unknown object {object_name!r}")
    return obj


def _checked(obj: ObjectDef, fields: Mapping[str, object]) -> dict[str, str]:
    values: dict[str, str] = {}
    for name, value in fields.items():
        canonical = name.upper()
        if canonical not in obj.fields:
            raise ValueError(f"{obj.name} has no field {name!r}")
        if isinstance(value, bool):
            values[canonical] = "true" if value else "false"
        else:
            values[canonical] = "" if value is None else str(value)
    return values


def find_record(store: RecordStore, object_name: str, key: str) -> Record | None:
    """By natural key first (VENDORID, ...), else by RECORDNO when ``key`` is all digits."""
    name = _object(store, object_name).name
    record = store.find(name, key)
    if record is None and key.isdigit():
        record = store.get(name, int(key))
    return record


def edit_record(store: RecordStore, object_name: str, key: str, fields: Mapping[str, object], stamp: str) -> Record:
    obj = _object(store, object_name)
    name, changes = obj.name, _checked(obj, fields)
    changes.pop("RECORDNO", None)
    changes.pop(obj.system_key, None)
    with store.lock:
        current = find_record(store, name, key)
        if current is None:
            raise KeyError(f"{name} {key} does not exist")
        changes.setdefault("WHENMODIFIED", stamp)
        return dict(store.replace(name, int(current["RECORDNO"]), {**current, **changes}))


def add_record(store: RecordStore, object_name: str, fields: Mapping[str, object], stamp: str) -> Record:
    obj = _object(store, object_name)
    name, values = obj.name, _checked(obj, fields)
    values.pop("RECORDNO", None)
    values.pop(obj.system_key, None)
    if obj.system_whencreated:
        values.setdefault("WHENCREATED", stamp)
    values.setdefault("WHENMODIFIED", stamp)
    with store.lock:
        return dict(store.insert(name, values))


def remove_record(store: RecordStore, object_name: str, key: str) -> Record:
    name = _object(store, object_name).name
    with store.lock:
        current = find_record(store, name, key)
        if current is None:
            raise KeyError(f"{name} {key} does not exist")
        return store.delete(name, int(current["RECORDNO"]))
