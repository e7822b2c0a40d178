"""Scheduled poller: runs one integration's flow for one connection."""

from typing import Any


def handler(event: dict[str, Any], context: Any) -> dict[str, Any]:
    raise NotImplementedError("poller handler is being written")
