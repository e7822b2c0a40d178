"""Intacct ↔ Zendesk: vendors to organizations, their contacts to end-users, tickets back into Intacct."""
