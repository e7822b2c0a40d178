"""Opening a connection for a command, on the environment the command names."""

from __future__ import annotations

import argparse

from mlc.environment import resolve
from mlconnector.connection import Connection


def open_connection(args: argparse.Namespace, *, read_only: bool = False) -> Connection:
    settings = resolve(args.stack, args.region)
    return Connection.open(args.connection, settings, read_only=read_only)
