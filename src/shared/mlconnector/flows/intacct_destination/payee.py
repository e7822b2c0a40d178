"""Who a document posted into Intacct is for: the party a vendor is matched or created for (a Commerce customer
or guest today; a Zendesk requester's organisation next). Mappings put it in the payload under VENDOR_KEY; the
writers resolve it to a VENDORID (vendors.py)."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass

VENDOR_KEY = "__vendor__"  # the payee the document is posted for; the writer resolves it to a VENDORID


@dataclass(frozen=True)
class Customer:
    """Who a bill is posted to: a registered customer (by id) or a guest (by email)."""

    key: str  # "customer:<id>" or "guest:<email>"
    email: str | None
    name: str

    def vendor_id(self, prefix: str) -> str:
        """A deterministic VENDORID (≤ 20 characters), so creating the vendor twice finds the first one."""
        digest = hashlib.sha256(self.key.encode()).hexdigest()[:12].upper()
        return f"{prefix}-{digest}"
