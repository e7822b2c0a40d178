"""Intacct → Marketo: vendors to companies (and, with the Marketo client, contacts to leads)."""
