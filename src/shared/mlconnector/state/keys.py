"""Key builders: every key names its item type and the connection, so connections never share items (the one
exception: a vendor account's request slots, which every connection of that account must share)."""

SEP = "#"


def _join(*parts: str) -> str:
    return SEP.join(parts)


def token_pk(connection: str, system: str, account: str) -> str:
    return _join("TOKEN", connection, system, account)


def slots_pk(key: str) -> str:
    """A semaphore's slots: keyed by the vendor account the limit belongs to, not by connection (see semaphore.py)."""
    return _join("SLOTS", key)


def slot_sk(slot: int) -> str:
    return f"slot{SEP}{slot}"


def cursor_pk(connection: str, flow: str) -> str:
    return _join("CURSOR", connection, flow)


def lease_pk(connection: str, flow: str) -> str:
    return _join("LEASE", connection, flow)


def failure_pk(connection: str) -> str:
    return _join("FAILED", connection)


def failure_sk(flow: str, stream: str, source_key: str) -> str:
    return _join(flow, stream, source_key)


def link_pk(connection: str, flow: str, stream: str) -> str:
    return _join("LINK", connection, flow, stream)


def record_pk(connection: str, system: str, obj: str, source_key: str) -> str:
    return _join("REC", connection, system, obj, source_key)


def run_pk(run_id: str) -> str:
    return _join("RUN", run_id)


def runs_pk(connection: str) -> str:
    return _join("RUNS", connection)


def run_id_pk(run_id: str) -> str:
    return _join("RUNID", run_id)
