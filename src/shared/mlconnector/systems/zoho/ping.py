"""`mlc ping`'s Zoho CRM check, read-only: an access token (the shared one, or a grant at the data centre's accounts
server), the data centre and api_domain, the org and its edition, the modules the connector writes (Vendors missing
is a note: the flow skips it), each module's external-id field (present and unique), the scopes all this needs, and
the credits left when Zoho reports them. Each failure says what to fix.

It mints no token when the shared cache holds one: Zoho mints at most 10 per refresh token in 10 minutes, and a
cached token was granted by the same refresh token within the hour."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import TYPE_CHECKING, Any

from mlconnector.errors import ConfigurationError as AnyConfigurationError
from mlconnector.flows.intacct_zoho.config import ZohoFlowConfig
from mlconnector.systems.plugin import PingFailed, PingResult, checked_ping
from mlconnector.systems.zoho.errors import (
    AuthenticationError,
    ConfigurationError,
    ModuleUnavailable,
    QuotaExceeded,
    ScopeMissing,
    ZohoError,
)
from mlconnector.systems.zoho.limits import EDITION_CONCURRENCY, edition_name, max_concurrent
from mlconnector.systems.zoho.spec import ZOHO

if TYPE_CHECKING:
    from mlconnector.connection import Connection
    from mlconnector.systems.zoho.client import ZohoClient

OPTIONAL_MODULES = frozenset({"Vendors"})
"""Modules an edition may lack: their absence is a note, not a failure (the flow skips their streams)."""
CHECK_CREDENTIALS = "check client_id, client_secret, refresh_token and data_centre in the connection's Zoho secret"


def ping(connection: Connection) -> PingResult:
    def checks() -> str:
        return _checks(connection.client(ZOHO), connection.options(ZOHO), connection.secret(ZOHO))

    return checked_ping(ZOHO.name, checks, error_root=ZohoError, secret_fix=CHECK_CREDENTIALS)


def _checks(client: ZohoClient, options: Mapping[str, Any], secret: Mapping[str, Any]) -> str:
    credentials = client.credentials
    minted_before = client.mints
    _step(client.token, CHECK_CREDENTIALS)
    domain = client.api_domain()
    where = f"data centre {credentials.data_centre}" if credentials.data_centre else "a sandbox data centre"
    how = "minted" if client.mints > minted_before else "reused from the shared cache"
    parts = [f"access token {how} ({where}, {credentials.accounts_url}); API at {domain}"]
    org = _step(client.org, "grant the refresh token the scope ZohoCRM.org.READ")
    parts.append(_edition(org, secret))
    modules = _step(client.modules, "grant the refresh token ZohoCRM.settings.modules.READ (or ZohoCRM.settings.ALL)")
    # What the flow will match each module on (its "modules" option, with its defaults).
    config = ZohoFlowConfig.from_options(options)
    for module, settings in config.modules.items():
        field = settings.external_id
        info = modules.get(module)
        if info is None or not info.available:
            state = "not listed" if info is None else "not available through the API"
            if module in OPTIONAL_MODULES:
                parts.append(f"{module} {state} for this org (its stream is skipped; the edition may lack it)")
                continue
            raise PingFailed(
                f"Zoho module {module} is {state} for this org",
                f"give the API user's profile access to {module}, or check its API name in the modules option",
            )
        parts.append(_external_id(client, module, field))
    credits = client.credits()
    if credits is not None:
        parts.append(f"{credits} API credits left in the rolling 24 hours")
    return "; ".join(parts)


def _edition(org: Mapping[str, Any], secret: Mapping[str, Any]) -> str:
    """The org's edition (license_details.paid_type), and whether the configured limit of calls at once fits it."""
    configured = max_concurrent(secret)
    details = org.get("license_details")
    paid_type = details.get("paid_type") if isinstance(details, Mapping) else None
    try:
        edition = edition_name(paid_type) if isinstance(paid_type, str) and paid_type else None
    except AnyConfigurationError:
        edition = None
    if edition is None:
        return f"org {org.get('company_name', '')!s} (edition not reported; {configured} calls at once)"
    allowed = EDITION_CONCURRENCY[edition]
    if configured > allowed:
        raise PingFailed(
            f"the org's edition is {edition} ({allowed} calls at once), but the secret allows {configured}",
            f'set "edition": "{edition}" in the Zoho secret (or a lower max_concurrent)',
        )
    return f"org {org.get('company_name', '')!s}, {edition} edition ({configured} of {allowed} calls at once used)"


def _external_id(client: ZohoClient, module: str, field: str) -> str:
    fields = _step(
        lambda: client.fields(module), "grant the refresh token ZohoCRM.settings.fields.READ (or ZohoCRM.settings.ALL)"
    )
    info = fields.get(field)
    create = (
        f'in {module}, create a Single Line field {field} with "Do not allow duplicate values" (or name the '
        "module's unique field as its external_id in the modules option)"
    )
    if info is None:
        raise PingFailed(f"Zoho {module} has no field {field} to match records on", create)
    if not info.unique:
        raise PingFailed(f"Zoho {module}.{field} allows duplicate values, so upserts cannot match on it", create)
    return f"{module} matched on {field}"


def _step[T](call: Callable[[], T], fix: str) -> T:
    """Run one check; a refused credential, a missing scope or a wrong setting becomes what to fix."""
    try:
        return call()
    except ScopeMissing as error:
        raise PingFailed(str(error), f"generate a refresh token that includes {error.scope}") from None
    except (AuthenticationError, ModuleUnavailable, ConfigurationError) as error:
        raise PingFailed(str(error), fix) from None
    except QuotaExceeded as error:
        raise PingFailed(str(error), "wait and ping again (the limit lifts with time)") from None
