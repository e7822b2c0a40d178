"""AWS clients straight from botocore, with one data loader per process.

boto3 adds nothing a client here needs, and importing it costs about 150 to 200 ms of a cold start (most of it
s3transfer). Every botocore session also parses botocore's endpoint and service models again unless sessions
share a loader (about 9 MB and 250 ms each): pynamodb's connections (state/tables.py) and these clients share one.
"""

from __future__ import annotations

from functools import cache
from typing import Any

import botocore.loaders
import botocore.session


@cache
def data_loader() -> botocore.loaders.Loader:
    return botocore.loaders.create_loader()


def session() -> botocore.session.Session:
    """A new botocore session (client creation is not thread-safe across one) reading the shared loader."""
    new = botocore.session.get_session()
    new.register_component("data_loader", data_loader())
    return new


def client(service: str, region: str | None = None) -> Any:
    """A botocore client: the same API and exceptions as boto3's, configured from the environment the same way."""
    return session().create_client(service, region_name=region)
