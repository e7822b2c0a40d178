"""`mlc ping`'s Mailchimp check, read-only: the key and its data centre, the audience (`list_id`), its merge fields,
the e-commerce permission, and whether the configured store (options `store.id`) is bound to that audience. Each
failure says what to fix."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import TYPE_CHECKING, Any

from mlconnector.systems.mailchimp.endpoint import KEY_EXAMPLE
from mlconnector.systems.mailchimp.errors import (
    AuthenticationError,
    ConfigurationError,
    MailchimpError,
    PermissionDenied,
)
from mlconnector.systems.mailchimp.spec import MAILCHIMP
from mlconnector.systems.plugin import PingFailed, PingResult, checked_ping

if TYPE_CHECKING:
    from mlconnector.connection import Connection
    from mlconnector.systems.mailchimp.client import MailchimpClient

KEY_FIX = f"put the account's whole API key in api_key (it looks like {KEY_EXAMPLE}; Account > Extras > API keys)"


def ping(connection: Connection) -> PingResult:
    def checks() -> str:
        return _checks(connection.client(MAILCHIMP), connection.options(MAILCHIMP))

    fix = "check the connection's Mailchimp secret (api_key and list_id)"
    return checked_ping(MAILCHIMP.name, checks, error_root=MailchimpError, secret_fix=fix)


def _checks(client: MailchimpClient, options: Mapping[str, Any]) -> str:
    credentials = client.credentials
    _step(client.ping, KEY_FIX, dc=credentials.data_centre)
    dc = client.data_centre
    list_id = credentials.list_id
    if not list_id:
        raise PingFailed(
            "list_id is empty", "set list_id to the audience id (Audience > Settings > Audience name and defaults)"
        )
    audience = _step(lambda: client.audience(list_id), "set list_id to an audience of this account")
    fields = _step(lambda: client.merge_fields(list_id), "the key's user must be able to read the audience's fields")
    _step(lambda: client.stores(count=1), "the key's user needs access to e-commerce data (a Manager or Admin)")
    parts = [
        f"key accepted{f' (data centre {dc})' if dc else ''} at {client.root()}",
        f"audience {audience.get('name', '')!s} ({list_id}) with {len(fields)} merge fields",
        "e-commerce readable",
    ]
    store_id = _store_id(options.get("store"))
    if store_id:
        store = _step(lambda: client.store(store_id), "check the store options of the Mailchimp secret")
        if store is None:
            parts.append(f"store {store_id} does not exist yet (the first run creates it on audience {list_id})")
        elif store.get("list_id") != list_id:
            raise PingFailed(
                f"store {store_id} is bound to audience {store.get('list_id')}, not to list_id {list_id} "
                "(a store's audience never changes)",
                f"use another store id in the store options, or set list_id to {store.get('list_id')}",
            )
        else:
            parts.append(f"store {store_id} bound to it")
    return "; ".join(parts)


def _step[T](call: Callable[[], T], fix: str, *, dc: str = "") -> T:
    """Run one check; an authentication or configuration failure becomes what to fix."""
    try:
        return call()
    except AuthenticationError as error:
        if dc and "data centre" in str(error):
            fix = f"the API key's data centre {dc} does not match its account: {KEY_FIX}"
        elif not isinstance(error, PermissionDenied):
            fix = KEY_FIX
        raise PingFailed(str(error), fix) from None
    except ConfigurationError as error:
        raise PingFailed(str(error), fix) from None


def _store_id(store: object) -> str:
    if isinstance(store, Mapping):
        value = store.get("id") or store.get("store_id")
        return value if isinstance(value, str) else ""
    return ""
