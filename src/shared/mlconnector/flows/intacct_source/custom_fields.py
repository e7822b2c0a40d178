"""Custom fields an operator maps from Intacct, shared by every flow that reads Intacct.

A source is a field of the Intacct record ("DISPLAYCONTACT.MAILADDRESS.COUNTRY"), or a lookup "OBJECT[FIELD].ATTR":
the ATTR of the OBJECT whose id equals the record's FIELD, e.g. the title of a vendor's AP GL account
("GLACCOUNT[APACCOUNT].TITLE") or a dimension's name. Lookup tables are loaded once per run, one query per
looked-up object, in the flow's preflight; a record whose key names no such object fails alone.
"""

from __future__ import annotations

import re
from collections.abc import Collection, Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from mlconnector.config import ConfigurationError
from mlconnector.engine.records import MappingError, SourceRecord
from mlconnector.flows.fields import field
from mlconnector.systems.intacct.client import IntacctClient

LOOKUP = re.compile(r"^(?P<object>[A-Z][A-Z0-9_]*)\[(?P<key>[A-Z][A-Z0-9_.]*)\]\.(?P<attr>[A-Z][A-Z0-9_.]*)$")
PATH = re.compile(r"^[A-Z][A-Z0-9_]*(\.[A-Z][A-Z0-9_]*)*$")

# The id field of each Intacct object a lookup may name (GL accounts and the standard dimensions).
LOOKUP_ID_FIELDS: dict[str, str] = {
    "GLACCOUNT": "ACCOUNTNO",
    "DEPARTMENT": "DEPARTMENTID",
    "LOCATION": "LOCATIONID",
    "CLASS": "CLASSID",
    "PROJECT": "PROJECTID",
    "CUSTOMER": "CUSTOMERID",
}

LookupTables = Mapping[str, Mapping[str, Mapping[str, Any]]]
"""Loaded once per run: object -> id -> that record."""


@dataclass(frozen=True)
class Lookup:
    object: str
    key_field: str
    attribute: str


def lookup_of(source: str) -> Lookup | None:
    """The lookup a source names, None for a plain field; an object no lookup may name is a configuration error."""
    match = LOOKUP.match(source)
    if match is None:
        return None
    if match["object"] not in LOOKUP_ID_FIELDS:
        known = ", ".join(sorted(LOOKUP_ID_FIELDS))
        raise ConfigurationError(f"lookup {source!r}: {match['object']} is not one of {known}")
    return Lookup(match["object"], match["key"], match["attr"])


def is_source(source: str) -> bool:
    """Whether `source` is an Intacct field path or a valid lookup."""
    return bool(PATH.match(source)) or lookup_of(source) is not None


def field_pairs(value: Any, where: str) -> dict[str, str]:
    """A configuration object mapping destination field names to Intacct sources, checked: `where` names it in
    errors ("Marketo custom_fields.company"). None is an empty mapping."""
    if value is None:
        return {}
    if not isinstance(value, Mapping) or not all(isinstance(k, str) and isinstance(v, str) for k, v in value.items()):
        raise ConfigurationError(f"{where} must map destination field names to Intacct sources")
    for target, source in value.items():
        if not is_source(source):
            raise ConfigurationError(f"{where}.{target}: {source!r} is not an Intacct field or lookup")
    return dict(value)


def lookups(sources: Iterable[str]) -> set[Lookup]:
    return {found for source in sources if (found := lookup_of(source))}


def select_with(base: tuple[str, ...], sources: Iterable[str]) -> tuple[str, ...]:
    """The select list plus the fields the sources read (a lookup reads its key field)."""
    extra = []
    for source in sources:
        lookup = lookup_of(source)
        extra.append(lookup.key_field if lookup else source)
    return tuple(dict.fromkeys((*base, *extra)))


def custom_values(record: SourceRecord, sources: Mapping[str, str], tables: LookupTables) -> dict[str, Any]:
    """Destination field -> value for each mapped source of the record."""
    values: dict[str, Any] = {}
    for target, source in sources.items():
        lookup = lookup_of(source)
        values[target] = _looked_up(record, lookup, tables) if lookup else field(record.data, source)
    return values


def load_lookup_tables(
    intacct: IntacctClient, wanted: Collection[Lookup]
) -> dict[str, Mapping[str, Mapping[str, Any]]]:
    """One query per looked-up object (GL accounts, dimensions), selecting its id and the attributes looked up."""
    attributes: dict[str, set[str]] = {}
    for lookup in wanted:
        attributes.setdefault(lookup.object, set()).add(lookup.attribute)
    tables: dict[str, Mapping[str, Mapping[str, Any]]] = {}
    for obj, attrs in attributes.items():
        id_field = LOOKUP_ID_FIELDS[obj]
        fields = sorted({"RECORDNO", id_field, *attrs})
        rows = (row for page in intacct.query_pages(obj, fields) for row in page.records)
        tables[obj] = {str(row[id_field]): row for row in rows}
    return tables


def _looked_up(record: SourceRecord, lookup: Lookup, tables: LookupTables) -> str | None:
    key = field(record.data, lookup.key_field)
    if key is None:
        return None
    row = tables.get(lookup.object, {}).get(key)
    if row is None:
        raise MappingError(f"{lookup.key_field} {key!r} names no {lookup.object} in Intacct")
    return field(row, lookup.attribute)
