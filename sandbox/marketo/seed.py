"""Test helpers that write like a Marketo user would (the UI, an import): no API call is counted.

Values are checked against the schema like Sync checks them; a problem raises ValueError. Leads may
share an email here (that is how a test builds the 1007 "multiple leads match" case).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping

from sandbox.marketo.config import MarketoSimConfig
from sandbox.marketo.leads import lead_view
from sandbox.marketo.records import Skip, checked_values
from sandbox.marketo.schema import COMPANY_DEDUPE_FIELD, COMPANY_LEVEL_FIELDS, Schema, company_schema, lead_schema
from sandbox.marketo.store import Database, Record
from sandbox.marketo.values import Value

Rows = Iterable[Mapping[str, object]]


def seed_companies(db: Database, config: MarketoSimConfig, rows: Rows, now: str) -> list[Record]:
    schema = company_schema(config)
    created: list[Record] = []
    with db.lock:
        for row in rows:
            values = _values(schema, row, frozenset({COMPANY_DEDUPE_FIELD}))
            external_id = values.get(COMPANY_DEDUPE_FIELD)
            if external_id is None:
                raise ValueError("a company needs an externalCompanyId")
            if db.company_by_external_id(external_id) is not None:
                raise ValueError(f"company {external_id!r} already exists")
            created.append(dict(db.companies.insert(values, now)))
    return created


def seed_leads(db: Database, config: MarketoSimConfig, rows: Rows, now: str) -> list[Record]:
    schema = lead_schema(config)
    created: list[Record] = []
    with db.lock:
        for row in rows:
            values = _values(schema, row)
            created.append(dict(db.leads.insert({**values, "leadPartitionId": 1}, now)))
    return created


def edit_company(
    db: Database, config: MarketoSimConfig, external_id: str, fields: Mapping[str, object], now: str
) -> Record:
    """Change a company like a UI user: updatedAt moves. KeyError when it does not exist."""
    values = _values(company_schema(config), fields)
    with db.lock:
        found = db.companies.find(COMPANY_DEDUPE_FIELD, external_id)
        if not found:
            raise KeyError(f"no company with externalCompanyId {external_id!r}")
        return dict(db.companies.update(found[0], values, now))


def edit_lead(db: Database, config: MarketoSimConfig, email: str, fields: Mapping[str, object], now: str) -> Record:
    """Change the (first) lead with this email like a UI user. KeyError when there is none."""
    values = _values(lead_schema(config), fields)
    with db.lock:
        found = db.leads.find("email", email)
        if not found:
            raise KeyError(f"no lead with email {email!r}")
        return dict(db.leads.update(found[0], values, now))


def companies_by_external_id(db: Database) -> dict[str, Record]:
    with db.lock:
        return {str(r[COMPANY_DEDUPE_FIELD]): dict(r) for r in db.companies.all() if COMPANY_DEDUPE_FIELD in r}


def leads_by_email(db: Database, config: MarketoSimConfig) -> dict[str, Record]:
    """Leads with an email, keyed by it in lower case, showing the company fields they inherit."""
    schema = lead_schema(config)
    with db.lock:
        return {str(r["email"]).lower(): _as_shown(db, schema, r) for r in db.leads.all() if "email" in r}


def _as_shown(db: Database, schema: Schema, record: Record) -> Record:
    inherited = lead_view(db, schema, record, sorted(COMPANY_LEVEL_FIELDS))
    return {**record, **{name: value for name, value in inherited.items() if value is not None}}


def _values(schema: Schema, row: Mapping[str, object], keys: frozenset[str] = frozenset()) -> dict[str, Value]:
    try:
        return checked_values(schema, row, keys)
    except Skip as skip:
        raise ValueError(f"{skip.problem.code} {skip.problem.message}") from None
