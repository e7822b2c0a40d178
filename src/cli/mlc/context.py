"""Opening a connection for a command, on the environment the command names."""

from __future__ import annotations

from mlc.environment import resolve
from mlc.options import Target
from mlconnector.connection import Connection


def open_connection(target: Target, *, read_only: bool = False) -> Connection:
    settings = resolve(target.stack, target.region)
    return Connection.open(target.connection, settings, read_only=read_only)
