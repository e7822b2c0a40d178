"""Every external system this deployment knows: add a system's spec here, once.

Connection.client, ping, the CLI, the sandbox, the integration-test fixtures and the template tests iterate it."""

from __future__ import annotations

from mlconnector.systems.commerce.spec import COMMERCE
from mlconnector.systems.intacct.spec import INTACCT
from mlconnector.systems.mailchimp.spec import MAILCHIMP
from mlconnector.systems.marketo.spec import MARKETO
from mlconnector.systems.plugin import Registry
from mlconnector.systems.zendesk.spec import ZENDESK
from mlconnector.systems.zoho.spec import ZOHO

SYSTEMS = Registry([INTACCT, MARKETO, COMMERCE, MAILCHIMP, ZOHO, ZENDESK])

__all__ = ["COMMERCE", "INTACCT", "MAILCHIMP", "MARKETO", "SYSTEMS", "ZENDESK", "ZOHO"]
