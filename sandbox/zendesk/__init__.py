"""Simulator of the Zendesk Support API: the OAuth token endpoint (refresh-token rotation) and API-token Basic auth,
organizations (unique names and case-insensitive external ids, bulk jobs, show_many, search, create_or_update,
custom fields), users' create_or_update_many, job statuses, tickets with the cursor-based incremental export, the
account and incremental rate limits, signed webhook deliveries; see app.py for the request pipeline and admin.py
for the admin endpoints."""

from sandbox.zendesk.app import ZendeskSimulator
from sandbox.zendesk.config import ZendeskSimConfig
from sandbox.zendesk.faults import ZendeskFault
from sandbox.zendesk.webhooks import TEST_SECRET

__all__ = ["TEST_SECRET", "ZendeskFault", "ZendeskSimConfig", "ZendeskSimulator"]
