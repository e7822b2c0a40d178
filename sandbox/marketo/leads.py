"""Leads API (reference §7): describe / describe2, Get Leads by Filter Type, Get Lead by Id, Sync Leads.

A lead links to a company through ``externalCompanyId``; company-level fields of a linked lead are
read from the company (the lead inherits them) and cannot be written through Sync Leads (1021).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from sandbox.marketo import codes
from sandbox.marketo.codes import ApiFailure
from sandbox.marketo.context import ApiContext, Reply, batch_input, choice
from sandbox.marketo.query import page, parse_filter_query, split_list
from sandbox.marketo.records import Skip, checked_values, describe_field, skipped
from sandbox.marketo.schema import (
    COMPANY_LEVEL_FIELDS,
    LEAD_DEFAULT_FIELDS,
    Schema,
    lead_filter_fields,
    lead_lookup_fields,
    lead_schema,
)
from sandbox.marketo.store import Database, Record
from sandbox.marketo.values import Value

ACTIONS = ("createOrUpdate", "createOnly", "updateOnly", "createDuplicate")


def describe(ctx: ApiContext) -> Reply:
    result = []
    for number, spec in enumerate(lead_schema(ctx.config), start=1):
        entry: dict[str, Any] = {"id": number, "displayName": spec.label, "dataType": spec.data_type}
        if spec.length is not None:
            entry["length"] = spec.length
        read_only = not spec.updateable
        entry["rest"] = {"name": spec.name, "readOnly": read_only}
        entry["soap"] = {"name": spec.name[:1].upper() + spec.name[1:], "readOnly": read_only}
        result.append(entry)
    return Reply(result)


def describe2(ctx: ApiContext) -> Reply:
    schema = lead_schema(ctx.config)
    fields = [{**describe_field(spec), "crmManaged": False} for spec in schema]
    searchable = [[name] for name in sorted(lead_filter_fields(schema))]
    return Reply([{"name": "API Lead", "searchableFields": searchable, "fields": fields}])


def query(ctx: ApiContext, params: Mapping[str, Any]) -> Reply:
    config, schema = ctx.config, lead_schema(ctx.config)
    request = parse_filter_query(
        params, schema, LEAD_DEFAULT_FIELDS, max_values=config.max_filter_values, max_batch=config.max_batch
    )
    if request.filter_type not in lead_filter_fields(schema):
        raise ApiFailure(codes.field_not_supported(request.filter_type))
    table = ctx.db.leads
    with ctx.db.lock:
        ids: dict[int, None] = {}
        for value in request.values:
            ids.update(dict.fromkeys(table.find(request.filter_type, value)))
        if len(ids) > config.max_query_matches:
            raise ApiFailure(codes.invalid_parameter("Too many results match the filter"))
        rows = [record for record in map(table.get, ids) if record is not None]
        chosen, more = page(rows, request)
        return Reply([lead_view(ctx.db, schema, record, request.fields) for record in chosen], more)


def get(ctx: ApiContext, lead_id: int, params: Mapping[str, Any]) -> Reply:
    schema = lead_schema(ctx.config)
    fields = split_list(params.get("fields")) or list(LEAD_DEFAULT_FIELDS)
    unknown = [name for name in fields if name not in schema]
    if unknown:
        raise ApiFailure(codes.field_not_found(unknown[0]))
    with ctx.db.lock:
        record = ctx.db.leads.get(lead_id)
        # UNVERIFIED: an unknown id answers an empty result.
        return Reply([] if record is None else [lead_view(ctx.db, schema, record, fields)])


def lead_view(db: Database, schema: Schema, record: Record, fields: Sequence[str]) -> dict[str, Any]:
    """The requested fields; company-level ones come from the linked company; a null boolean is false."""
    company = linked_company(db, record)
    view: dict[str, Any] = {}
    for name in fields:
        source = company if company is not None and name in COMPANY_LEVEL_FIELDS else record
        value = source.get(name)
        if value is None and schema.fields[name].data_type == "boolean":
            value = False
        view[name] = value
    return view


def linked_company(db: Database, record: Mapping[str, Value]) -> Record | None:
    external_id = record.get("externalCompanyId")
    return None if external_id is None else db.company_by_external_id(external_id)


def sync(ctx: ApiContext, body: Mapping[str, Any]) -> Reply:
    action = choice(body, "action", ACTIONS, "createOrUpdate")
    schema = lead_schema(ctx.config)
    lookup = str(body.get("lookupField") or "email")
    if lookup not in lead_lookup_fields(schema):
        raise ApiFailure(codes.field_not_supported(lookup))
    if lookup == "id" and action != "updateOnly":
        raise ApiFailure(codes.invalid_parameter("lookupField 'id' is only valid with action 'updateOnly'"))
    partition = str(body.get("partitionName") or ctx.config.partitions[0])
    records = batch_input(body, ctx.config.max_batch)
    writer = _LeadWriter(ctx, schema, action, lookup, partition)
    with ctx.db.lock:
        return Reply([writer.write(item) for item in records])  # input order, no seq


class _LeadWriter:
    """One Sync Leads call. Records are processed in order, so an email repeated in one call
    creates the lead and then updates it."""

    def __init__(self, ctx: ApiContext, schema: Schema, action: str, lookup: str, partition: str) -> None:
        self.ctx = ctx
        self.schema = schema
        self.action = action
        self.lookup = lookup
        self.partition = partition
        self.writable_keys = frozenset({lookup, "id"} if action == "updateOnly" else {lookup})

    def write(self, item: object) -> dict[str, Any]:
        try:
            return self._write(item)
        except Skip as skip:
            return skipped(skip.problem)

    def _write(self, item: object) -> dict[str, Any]:
        values = checked_values(self.schema, item, self.writable_keys)
        key = values.get(self.lookup)
        if key is None and self.action != "createDuplicate":
            raise Skip(codes.lookup_value_missing(self.lookup))
        matches = [] if self.action == "createDuplicate" else self.ctx.db.leads.find(self.lookup, key)
        if self.action == "createOnly" and matches:
            raise Skip(codes.lead_exists())
        if len(matches) > 1:
            raise Skip(codes.multiple_leads())
        if not matches:
            if self.action == "updateOnly":
                raise Skip(codes.lead_not_found())
            return self._create(values)
        return self._update(matches[0], values)

    def _create(self, values: dict[str, Value]) -> dict[str, Any]:
        if self.partition not in self.ctx.config.partitions:
            raise Skip(codes.partition_denied(self.partition))
        new_company = self._company_link(values, None)
        if new_company is not None:
            self.ctx.db.companies.insert({"externalCompanyId": new_company}, self.ctx.now)
        partition_id = self.ctx.config.partitions.index(self.partition) + 1
        created = self.ctx.db.leads.insert({**values, "leadPartitionId": partition_id}, self.ctx.now)
        return {"id": created["id"], "status": "created"}

    def _update(self, lead_id: int, values: dict[str, Value]) -> dict[str, Any]:
        new_company = self._company_link(values, self.ctx.db.leads.get(lead_id))
        if new_company is not None:
            self.ctx.db.companies.insert({"externalCompanyId": new_company}, self.ctx.now)
        changes = {name: value for name, value in values.items() if name != "id"}
        updated = self.ctx.db.leads.update(lead_id, changes, self.ctx.now)
        return {"id": updated["id"], "status": "updated"}

    def _company_link(self, values: Mapping[str, Value], current: Record | None) -> str | None:
        """Checks the lead's company link; returns an externalCompanyId to create (mode "create")."""
        config, db = self.ctx.config, self.ctx.db
        external_id = values.get("externalCompanyId") if "externalCompanyId" in values else None
        if external_id is None:
            linked = current is not None and "externalCompanyId" not in values and bool(linked_company(db, current))
            to_create = None
        elif db.company_by_external_id(external_id) is not None:
            linked, to_create = True, None
        elif config.unknown_company_mode == "skip":
            raise Skip(codes.unknown_company(str(external_id)))
        else:
            to_create = str(external_id) if config.unknown_company_mode == "create" else None
            linked = to_create is not None
        if linked and config.reject_company_fields_on_linked_leads and COMPANY_LEVEL_FIELDS & values.keys():
            raise Skip(codes.company_update_not_allowed())
        return to_create
