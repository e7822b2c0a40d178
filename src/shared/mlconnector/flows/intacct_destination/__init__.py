"""Intacct as a destination, for every flow that posts into it: who a document is for (payee.py), which vendor
that is, matched by link or email or created with a deterministic VENDORID (vendors.py), and the exactly-once
posting step with its read-back of unknown outcomes (exactly_once.py)."""
