"""Intacct as a source, for every flow that reads it: configured custom fields with their GLACCOUNT[...] and
dimension lookups (custom_fields.py), and which contact owns a shared email (contact_emails.py). Records reach
these helpers with related fields under their dotted names (systems/intacct/dotted.py)."""
