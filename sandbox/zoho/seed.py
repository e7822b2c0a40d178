"""The seeded org: Accounts, Contacts and Vendors with their system fields and the configured custom fields, one
user (the token's), and no records (the connector populates them). Ids are stable for a seed."""

from __future__ import annotations

from sandbox.zoho.config import ZohoSimConfig
from sandbox.zoho.fields import FieldSpec
from sandbox.zoho.schema import MODULES
from sandbox.zoho.store import Database
from sandbox.zoho.values import IdSource, org_prefix


def seed_database(config: ZohoSimConfig, seed: int) -> Database:
    ids = IdSource(org_prefix(seed))
    user_id, zuid, org_id = ids.next(), str(80_000_000 + seed), ids.next()
    module_ids = {name: ids.next() for name in MODULES}
    fields: dict[str, dict[str, FieldSpec]] = {}
    field_ids: dict[tuple[str, str], str] = {}
    for name, module in MODULES.items():
        specs = (*module.fields, *config.custom_fields.get(name, ()))
        fields[name] = {spec.api_name: spec for spec in specs}
        field_ids.update({(name, spec.api_name): ids.next() for spec in specs})
    return Database(ids, user_id, zuid, org_id, module_ids, fields, field_ids)
