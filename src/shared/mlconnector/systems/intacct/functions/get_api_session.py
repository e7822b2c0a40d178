"""`getAPISession`: returns a session id and the endpoint to use with it. Send it alone in its request."""

from __future__ import annotations

from dataclasses import dataclass

from mlconnector.systems.intacct.xml import Element, el

SESSION_CONTROLID = "sessionProvider"


@dataclass(frozen=True)
class GetAPISession:
    """`location_id`: None = no element, "" = back to the top level, an id = that entity's session."""

    location_id: str | None = None
    controlid: str = SESSION_CONTROLID

    def to_element(self) -> Element:
        if self.location_id is None:
            return el("getAPISession")
        return el("getAPISession", el("locationid", text=self.location_id))
