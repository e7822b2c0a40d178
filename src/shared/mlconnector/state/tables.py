"""Binds the models to real table names (from the stack or the local environment), and creates tables locally."""

from __future__ import annotations

import os
from dataclasses import dataclass

from pynamodb.connection import base as pynamodb_connection
from pynamodb.models import Model

from mlconnector import aws
from mlconnector.state.models import AUDIT_MODELS, LINK_MODELS, STATE_MODELS


@dataclass(frozen=True)
class TableNames:
    state: str
    links: str
    audit: str


_BOUND: dict[type[Model], tuple[str | None, ...]] = {}


def bind_tables(names: TableNames, *, region: str | None = None, host: str | None = None) -> None:
    """Point every model at its table. `host` is only for a local endpoint; in AWS it stays None."""
    # pynamodb opens one connection, with its own botocore session, per model class (tokens, cursors, leases, links,
    # audit, ...); each would parse botocore's models again. It takes no session or loader: its module's session
    # factory is the one place to share the process's loader (aws.py).
    pynamodb_connection.get_session = aws.session  # type: ignore[attr-defined]
    # The endpoint a connection talks to also depends on AWS_ENDPOINT_URL (local runs): part of the binding.
    binding = (region, host, os.environ.get("AWS_ENDPOINT_URL"))
    for models, table in ((STATE_MODELS, names.state), (LINK_MODELS, names.links), (AUDIT_MODELS, names.audit)):
        for model in models:
            if _BOUND.get(model) == (table, *binding):
                continue  # already bound: keep the warm connection (a new one costs a client build per call site)
            model.Meta.table_name = table
            model.Meta.region = region
            model.Meta.host = host
            model._connection = None  # drop a connection cached for another table or endpoint
            _BOUND[model] = (table, *binding)


def create_local_tables(names: TableNames, *, region: str | None = None, host: str | None = None) -> None:
    """Create the tables the way template.yaml declares them (local and test use only: moto)."""
    bind_tables(names, region=region, host=host)
    # One model per table carries the key schema (and the GSI for the audit table).
    owners: tuple[type[Model], ...] = (STATE_MODELS[0], LINK_MODELS[0], AUDIT_MODELS[0])
    for model in owners:
        if not model.exists():
            model.create_table(billing_mode="PAY_PER_REQUEST", wait=True)
