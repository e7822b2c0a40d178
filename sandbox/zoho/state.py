"""Python-level access to the simulator's state for tests and the admin endpoints: read records (lookups resolved to
plain ids), counts, fields; set up scenarios (records added or edited as in the UI, a custom field, a picklist value,
another edition, the credits left, expired tokens, another refresh token) without going through the API's rules."""

from __future__ import annotations

import secrets
from collections.abc import Mapping
from typing import Any

from sandbox.zoho.config import ZohoSimConfig
from sandbox.zoho.context import ApiContext
from sandbox.zoho.credits import CreditLedger
from sandbox.zoho.editions import edition
from sandbox.zoho.errors import RecordError
from sandbox.zoho.fields import FieldSpec
from sandbox.zoho.limits import ConcurrencyGate
from sandbox.zoho.records import flat
from sandbox.zoho.schema import MODULES, canonical_module
from sandbox.zoho.store import Database, StoredRecord
from sandbox.zoho.tokens import TokenRegistry
from sandbox.zoho.validation import Prepared, add_new_options, prepare
from sandbox.zoho.values import Json, id_text


def _module(name: str) -> str:
    found = canonical_module(name)
    if found is None:
        raise KeyError(f"no module {name!r}; known: {list(MODULES)}")
    return found


class SimState:
    """Mixed into ZohoSimulator (which provides the attributes below)."""

    db: Database
    config: ZohoSimConfig
    tokens: TokenRegistry
    credits: CreditLedger
    gate: ConcurrencyGate

    def context(self) -> ApiContext:
        raise NotImplementedError

    # ------------------------------------------------------------------ records
    def records(self, module: str) -> dict[str, Json]:
        """Every record of a module by id: all fields, lookups and users as plain id strings."""
        ctx, name = self.context(), _module(module)
        with self.db.lock:
            return {record_id: flat(ctx, name, record) for record_id, record in self.db.records[name].items()}

    def record(self, module: str, record_id: str) -> Json | None:
        return self.records(module).get(str(record_id))

    def record_by(self, module: str, api_name: str, value: Any) -> Json | None:
        """The oldest record whose field equals ``value`` (e.g. ``record_by("Accounts", "Intacct_ID", "C-1")``)."""
        found = [record for record in self.records(module).values() if record.get(api_name) == value]
        return found[0] if found else None

    def counts(self) -> dict[str, int]:
        with self.db.lock:
            return {name: len(table) for name, table in self.db.records.items()}

    def add_record(self, module: str, values: Mapping[str, Any]) -> str:
        """Add a record directly (values are checked, mandatory fields and duplicates are not); lookups may be given as
        ids. Returns its id; ValueError for a value the field does not take."""
        ctx, name = self.context(), _module(module)
        with self.db.lock:
            prepared = self._prepared(ctx, name, values)
            values_to_store = {"Owner": self.db.user_id, **prepared.values}
            user = self.db.user_id
            record = StoredRecord(self.db.ids.next(), values_to_store, ctx.moment, ctx.moment, user, user)
            self.db.records[name][record.id] = record
            add_new_options(ctx, name, prepared)
            return record.id

    def update_record(self, module: str, record_id: str, changes: Mapping[str, Any]) -> Json:
        """Change a record as a user would in the UI: Modified_Time moves. KeyError when it does not exist."""
        ctx, name = self.context(), _module(module)
        with self.db.lock:
            record = self.db.records[name][str(record_id)]
            prepared = self._prepared(ctx, name, changes)
            record.values.update(prepared.values)
            record.modified_at = ctx.moment
            add_new_options(ctx, name, prepared)
            return flat(ctx, name, record)

    def delete_record(self, module: str, record_id: str) -> None:
        """Delete a record; lookups that pointed at it become empty. KeyError when it does not exist."""
        name = _module(module)
        with self.db.lock:
            del self.db.records[name][str(record_id)]
            for table_module, table in self.db.records.items():
                lookups = [
                    spec.api_name for spec in self.db.fields[table_module].values() if spec.lookup_module == name
                ]
                for other in table.values():
                    for api_name in lookups:
                        if other.values.get(api_name) == str(record_id):
                            other.values[api_name] = None

    def _prepared(self, ctx: ApiContext, module: str, values: Mapping[str, Any]) -> Prepared:
        row: Json = {}
        for key, value in values.items():
            spec = self.db.field(module, key)
            if spec is None:
                raise ValueError(f"{module} has no field {key!r}")
            lookup_id = spec.is_lookup and value is not None and not isinstance(value, dict)
            row[key] = {"id": id_text(value)} if lookup_id else value
        try:
            return prepare(ctx, module, 0, row)
        except RecordError as error:
            raise ValueError(f"{module}: {error} {error.details}") from error

    # ------------------------------------------------------------------ fields
    def fields(self, module: str) -> dict[str, FieldSpec]:
        """Every field of a module (hidden ones too), by API name."""
        with self.db.lock:
            return dict(self.db.fields[_module(module)])

    def add_field(self, module: str, spec: FieldSpec) -> FieldSpec:
        """Add a custom field (e.g. another unique one, a mandatory one); ValueError when the name is taken."""
        if spec.lookup_module is not None:
            _module(spec.lookup_module)
        self.db.add_field(_module(module), spec)
        return spec

    def add_picklist_option(self, module: str, api_name: str, value: str) -> FieldSpec:
        name = _module(module)
        with self.db.lock:
            spec = self.db.fields[name][api_name]
            if spec.data_type != "picklist":
                raise ValueError(f"{module}.{api_name} is no picklist")
            self.db.replace_field(name, spec.with_option(value))
            return self.db.fields[name][api_name]

    # ------------------------------------------------------------------ edition, limits, tokens
    def set_edition(self, name: str) -> None:
        """Switch the org's edition: Vendors, concurrency and credits follow."""
        self.config.edition = edition(name).name

    def credits_left(self) -> int | None:
        return self.credits.remaining()

    def set_credits_left(self, credits: int) -> None:
        self.credits.set_remaining(credits)

    def expire_tokens(self) -> int:
        """Every live access token expires now (the API answers 401 INVALID_TOKEN)."""
        return self.tokens.expire_all()

    def mints(self, refresh_token: str | None = None) -> int:
        """Access tokens minted by the accounts servers so far (for one refresh token, or all)."""
        return self.tokens.mints(refresh_token)

    def add_refresh_token(self, scopes: tuple[str, ...] | None = None) -> str:
        """Another grant of the same client (e.g. one lacking a scope); returns its refresh token."""
        value = f"1000.{secrets.token_hex(16)}.{secrets.token_hex(16)}"
        self.tokens.add_grant(value, tuple(scopes) if scopes is not None else self.config.scopes)
        return value

    def revoke_refresh_token(self, refresh_token: str) -> bool:
        return self.tokens.revoke(refresh_token)

    def concurrency(self) -> dict[str, int]:
        """Calls in flight now: all of them and the heavy ones."""
        return self.gate.count()
