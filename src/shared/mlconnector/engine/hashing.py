"""Content hash of a mapped payload: equal payloads hash equal whatever their key order."""

import hashlib
import json
from typing import Any


def content_hash(payload: dict[str, Any]) -> str:
    canonical = json.dumps(payload, sort_keys=True, separators=(",", ":"), ensure_ascii=False, default=str)
    return hashlib.sha256(canonical.encode("utf-8")).hexdigest()
