"""`installApp`: install a published Platform Services application (its XML) in the tenant, e.g. the connector's
`zendesk_ticket` application. Needs the Platform Services subscription; give it a deterministic controlid."""

from __future__ import annotations

from dataclasses import dataclass, field

from mlconnector.systems.intacct.functions.base import new_controlid
from mlconnector.systems.intacct.functions.legacy import require_text
from mlconnector.systems.intacct.xml import Element, el


@dataclass(frozen=True)
class InstallApp:
    appxml: str = field(repr=False)
    """The application definition, sent as escaped text (equivalent to the documented CDATA section)."""
    controlid: str = field(default_factory=new_controlid)

    def __post_init__(self) -> None:
        require_text(self.appxml, "installApp appxml")

    def to_element(self) -> Element:
        return el("installApp", el("appxml", text=self.appxml))
