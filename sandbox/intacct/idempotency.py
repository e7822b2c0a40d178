"""uniqueid=true bookkeeping: function controlids that executed and completed, per company.

UNVERIFIED (§5.2): the scope (per company here) and how long ids are remembered (forever here).
"""

from __future__ import annotations

import threading
from collections import defaultdict


class CompletedControlIds:
    def __init__(self) -> None:
        self._done: defaultdict[str, set[str]] = defaultdict(set)
        self._lock = threading.Lock()

    def seen(self, company_id: str, controlid: str) -> bool:
        with self._lock:
            return controlid in self._done[company_id.upper()]

    def add(self, company_id: str, controlids: list[str]) -> None:
        with self._lock:
            self._done[company_id.upper()].update(controlids)

    def clear(self) -> None:
        with self._lock:
            self._done.clear()
