"""`mlc ping intacct-zendesk`'s own check, after each system's: where tickets are stored in Intacct (the
`zendesk_ticket` custom object, or the attachment fallback), looked up as a run would (one `lookup`)."""

from __future__ import annotations

import time

from mlconnector.config import ConfigurationError
from mlconnector.connection import Connection
from mlconnector.flows.intacct_zendesk.ticket_home import TicketHome
from mlconnector.flows.intacct_zendesk.tickets_config import TicketsConfig
from mlconnector.systems.intacct.errors import IntacctError
from mlconnector.systems.plugin import PingResult
from mlconnector.systems.registry import INTACCT, ZENDESK

NAME = "intacct (tickets)"


def checks(connection: Connection) -> list[PingResult]:
    started = time.monotonic()
    try:
        config = TicketsConfig.from_options(connection.options(ZENDESK))
        resolved = TicketHome(connection.client(INTACCT), config).resolve()
    except ConfigurationError as error:
        return [PingResult(NAME, False, None, str(error), "see the tickets option of the Zendesk secret")]
    except IntacctError as error:
        return [PingResult(NAME, False, None, f"the tickets' home could not be looked up: {error}", "ping intacct")]
    return [PingResult(NAME, True, int((time.monotonic() - started) * 1000), resolved.detail)]
