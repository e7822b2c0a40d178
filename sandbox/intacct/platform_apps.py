"""``installApp``: installing a Platform Services application from its published XML.

The sandbox does not read application XML: an application whose XML names a custom object the sandbox defines
(``zendesk_ticket``) installs that object; any other is refused. Without Platform Services the function fails
(the real error is UNVERIFIED). Installing is not undone by a transaction rollback.
"""

from __future__ import annotations

from sandbox.intacct.context import FunctionContext, child_text
from sandbox.intacct.custom_objects import CUSTOM_OBJECTS
from sandbox.intacct.envelope import FunctionCall
from sandbox.intacct.errors import FunctionFailure, IntacctError, invalid_argument


def platform_services_missing() -> IntacctError:
    return IntacctError(
        "SIM-PLATFORM-SERVICES",
        description2="Platform Services is not enabled for this company.",
        correction="Ask Sage support to enable the Platform Services subscription.",
    )


def run_install_app(ctx: FunctionContext, call: FunctionCall) -> None:
    if not ctx.config.platform_services:
        raise FunctionFailure(platform_services_missing())
    appxml = child_text(call.element, "appxml") or ""
    if not appxml.strip():
        raise FunctionFailure(invalid_argument("installApp needs <appxml> with the application XML"))
    names = [obj.integration_name for obj in CUSTOM_OBJECTS.values() if obj.integration_name in appxml]
    if not names:
        known = ", ".join(obj.integration_name for obj in CUSTOM_OBJECTS.values())
        raise FunctionFailure(invalid_argument(f"the sandbox installs only applications defining {known}"))
    installed = list(ctx.config.custom_objects_installed)
    ctx.config.custom_objects_installed = tuple(installed + [name for name in names if name not in installed])
