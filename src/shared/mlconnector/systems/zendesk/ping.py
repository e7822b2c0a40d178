"""`mlc ping`'s Zendesk check, read-only: the credentials (OAuth, or an API token with the note that Zendesk retires
them), the admin role the incremental ticket export needs (`GET /users/me`), the organization fields (those the
`organizations` option names must exist and be active), and the webhook's configuration when the connection uses one
(the `webhook` option's `id` names the webhook to check; its signing secret is the connection's `zendesk-webhook`
secret, which the verifier reads). Each failure says what to fix.

With OAuth, ping uses the stored pair when it is fresh and refreshes it (once, for every container) when not."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import TYPE_CHECKING, Any

from mlconnector.systems.plugin import PingFailed, PingResult, checked_ping
from mlconnector.systems.zendesk.credentials import RETIREMENT_NOTE, AuthMode
from mlconnector.systems.zendesk.errors import (
    AuthenticationError,
    ConfigurationError,
    PermissionDenied,
    RetryLater,
    ZendeskError,
)
from mlconnector.systems.zendesk.spec import ZENDESK

if TYPE_CHECKING:
    from mlconnector.connection import Connection
    from mlconnector.systems.zendesk.client import ZendeskClient

CHECK_CREDENTIALS = (
    "check subdomain and client_id, client_secret, refresh_token (OAuth; or email and api_token) in the connection's "
    "Zendesk secret"
)


def ping(connection: Connection) -> PingResult:
    def checks() -> str:
        return run_checks(connection.client(ZENDESK), connection.options(ZENDESK))

    return checked_ping(ZENDESK.name, checks, error_root=ZendeskError, secret_fix=CHECK_CREDENTIALS)


def run_checks(client: ZendeskClient, options: Mapping[str, Any]) -> str:
    credentials = client.credentials
    user = _step(client.me, CHECK_CREDENTIALS)
    parts = [f"{_auth(client)} at {credentials.origin} as {user.get('email') or user.get('id')}"]
    role = str(user.get("role") or "")
    if role != "admin":
        raise PingFailed(
            f"the Zendesk user is {role or 'of an unknown role'}, but the incremental ticket export needs an admin",
            "authorise the connection (OAuth) as an admin, or give this user the admin role",
        )
    parts.append("role admin (the ticket export is allowed)")
    fields = _step(client.organization_fields, "give the user access to organization fields (an admin)")
    wanted = _wanted_fields(options.get("organizations"))
    active = {f.key for f in fields if f.active}
    missing = [key for key in wanted if key not in active]
    if missing:
        raise PingFailed(
            f"Zendesk has no active organization field {', '.join(missing)}",
            "create them in Admin Center > People > Configuration > Organization fields, or correct the organizations "
            "option's fields",
        )
    parts.append(f"{len(fields)} organization fields ({len(active)} active)")
    webhook = options.get("webhook")
    if credentials.webhook_secret or (isinstance(webhook, Mapping) and webhook.get("id")):
        parts.append(_webhook(client, webhook))
    return "; ".join(parts)


def _auth(client: ZendeskClient) -> str:
    mode = client.credentials.mode
    if mode is AuthMode.API_TOKEN:
        return f"API token of {client.credentials.email} (note: {RETIREMENT_NOTE})"
    if mode is AuthMode.ACCESS_TOKEN:
        return "a fixed OAuth access token (no refresh token: it is never rotated)"
    pair = client.token()
    version = pair.version if pair is not None else 0
    return f"OAuth (refresh-token grant; token pair generation {version} in the token store)"


def _wanted_fields(option: object) -> list[str]:
    fields = option.get("fields") if isinstance(option, Mapping) else None
    if fields is None:
        return []
    if not isinstance(fields, list) or not all(isinstance(f, str) for f in fields):
        raise PingFailed("the organizations option's fields is not a list of field keys", 'set "fields": ["key", ...]')
    return list(fields)


def _webhook(client: ZendeskClient, option: object) -> str:
    webhook_id = option.get("id") if isinstance(option, Mapping) else None
    if not webhook_id:
        return "webhook_secret set (no webhook id in the webhook option to check its configuration)"
    if not isinstance(webhook_id, str) or not webhook_id.isalnum():
        raise PingFailed(
            "the webhook option's id is not a Zendesk webhook id", "copy the id from Admin Center > Webhooks"
        )
    hook = _step(lambda: client.webhook(webhook_id), "check the webhook id; managing webhooks needs an admin")
    status = hook.get("status")
    endpoint = str(hook.get("endpoint") or "")
    if status != "active":
        raise PingFailed(f"the Zendesk webhook {webhook_id} is {status}", "activate it in Admin Center > Webhooks")
    if "/webhooks/zendesk/" not in endpoint:
        raise PingFailed(
            f"the Zendesk webhook {webhook_id} posts to {endpoint[:100]!r}, not the connector's webhook route",
            "set its endpoint URL to the stack's WebhookUrl/webhooks/zendesk/<connection>",
        )
    return f"webhook {webhook_id} active, posting to the connector"


def _step[T](call: Callable[[], T], fix: str) -> T:
    try:
        return call()
    except PermissionDenied as error:
        raise PingFailed(str(error), f"the user needs {error.needs}") from None
    except (AuthenticationError, ConfigurationError) as error:
        raise PingFailed(str(error), fix) from None
    except RetryLater as error:
        raise PingFailed(str(error), "wait and ping again (the limit lifts with time)") from None
