"""getAPISession: open a session bound to company, user, entity and the session endpoint."""

from __future__ import annotations

from sandbox.intacct.context import FunctionContext, child_text
from sandbox.intacct.envelope import FunctionCall
from sandbox.intacct.errors import FunctionFailure, session_function_failed
from sandbox.intacct.xmlwrite import data_element, element


def run_get_api_session(ctx: FunctionContext, call: FunctionCall) -> str:
    if not ctx.sole_function:
        # The docs say to send it alone; what the gateway does otherwise is UNVERIFIED.
        raise FunctionFailure(session_function_failed("getAPISession must be the only function in its request."))
    requested = child_text(call.element, "locationid")
    location = ctx.identity.location_id if requested is None else requested.strip()
    if location and ctx.store.find("LOCATION", location) is None:
        raise FunctionFailure(session_function_failed(f"Invalid entity/location ID {location}."))
    identity = ctx.identity
    session = ctx.sessions.open(identity.company_id, identity.user_id, location, ctx.config.session_listener)
    api = (
        element("sessionid", session.sessionid)
        + element("endpoint", ctx.session_endpoint)
        + element("locationid", location)
    )
    return data_element(f"<api>{api}</api>")
