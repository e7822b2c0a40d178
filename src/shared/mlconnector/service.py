"""What the handlers and the CLI both do: run, replay, and ping an integration for one connection."""

from __future__ import annotations

import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass

from mlconnector.connection import Connection
from mlconnector.engine.observability import MetricUnit, metrics
from mlconnector.engine.report import RunReport, StreamReport
from mlconnector.engine.runner import RunOptions, replay_failures, run_flow
from mlconnector.flows.intacct_marketo.writers import CRM_MESSAGE
from mlconnector.flows.registry import get_integration
from mlconnector.systems.intacct.errors import IntacctError
from mlconnector.systems.intacct.functions.query import Query
from mlconnector.systems.marketo import MarketoError, is_crm_managed


def sync(
    integration: str,
    connection: Connection,
    *,
    dry_run: bool = False,
    run_id: str | None = None,
    progress: Callable[[StreamReport], None] | None = None,
) -> RunReport:
    if dry_run and not connection.read_only:
        raise ValueError("a dry run needs a read-only connection (Connection.open(..., read_only=True))")
    flow = get_integration(integration).build(connection)
    options = RunOptions(dry_run=dry_run, budget=connection.budget, progress=progress)
    if run_id:
        options.run_id = run_id
    return run_flow(flow, connection.state, options)


def replay(integration: str, connection: Connection, keys: Sequence[str] | None = None) -> RunReport:
    flow = get_integration(integration).build(connection)
    return replay_failures(flow, connection.state, RunOptions(budget=connection.budget), keys)


def emit_metrics(report: RunReport) -> None:
    """EMF metrics for a run: records by outcome, API calls per system, duration."""
    metrics.add_dimension(name="flow", value=report.flow)
    for action, count in report.counts.items():
        metrics.add_metric(name=f"Records_{action}", unit=MetricUnit.Count, value=count)
    for system, calls in report.api_calls.items():
        metrics.add_metric(name=f"ApiCalls_{system}", unit=MetricUnit.Count, value=calls)
    metrics.add_metric(name="RunDuration", unit=MetricUnit.Milliseconds, value=report.duration_ms)
    metrics.add_metric(name=f"Runs_{report.status.value}", unit=MetricUnit.Count, value=1)


@dataclass(frozen=True)
class PingResult:
    system: str
    ok: bool
    latency_ms: int | None
    detail: str
    fix: str = ""


def ping(integration: str, connection: Connection) -> list[PingResult]:
    """Check each system's credentials with a cheap call; say what to fix when one fails."""
    checks: dict[str, Callable[[Connection], PingResult]] = {"intacct": _ping_intacct, "marketo": _ping_marketo}
    results = []
    for system in get_integration(integration).systems:
        check = checks.get(system)
        if check is None:
            detail = f"no {system} client in this version yet: it comes with its integration's issue"
            results.append(PingResult(system, False, None, detail))
            continue
        results.append(check(connection))
    return results


def _ping_intacct(connection: Connection) -> PingResult:
    started = time.perf_counter()
    try:
        client = connection.intacct()
        endpoint = client.ping()
        # Permission check: a one-row read of each object the integrations read.
        denied = []
        for obj in ("VENDOR", "CONTACT"):
            [result] = client.execute([Query(obj, ("RECORDNO",), pagesize=1)], write=False)
            if not result.ok:
                denied.append(f"{obj}: {result.error}")
    except IntacctError as error:
        return PingResult("intacct", False, _ms(started), str(error), _intacct_fix(error))
    except RuntimeError as error:  # configuration: missing secret, bad endpoint
        return PingResult("intacct", False, _ms(started), str(error), "check the connection's Intacct secret")
    if denied:
        fix = "grant the Web Services user read permission on these objects"
        return PingResult("intacct", False, _ms(started), "; ".join(denied), fix)
    return PingResult("intacct", True, _ms(started), f"signed in; session endpoint {endpoint}")


# An updateOnly sync of a company that cannot exist: Marketo answers "not found" (no side effect), or 1018 when a
# native CRM sync owns companies, so ping can tell without writing anything.
CRM_PROBE = {"externalCompanyId": "mlc-ping-probe-not-a-company"}


def _ping_marketo(connection: Connection) -> PingResult:
    started = time.perf_counter()
    try:
        client = connection.marketo()
        base = client.ping()
        [probe] = client.sync_companies([CRM_PROBE], action="updateOnly")
    except MarketoError as error:
        fix = "check munchkin_id / client_id / client_secret and the API user's role permissions"
        return PingResult("marketo", False, _ms(started), str(error), fix)
    except RuntimeError as error:
        return PingResult("marketo", False, _ms(started), str(error), "check the connection's Marketo secret")
    if is_crm_managed(probe):
        fix = "companies are owned by the CRM sync: sync vendors into the CRM instead, or turn the CRM sync off"
        return PingResult("marketo", False, _ms(started), CRM_MESSAGE, fix)
    return PingResult("marketo", True, _ms(started), f"token issued; companies and leads writable at {base}")


def _intacct_fix(error: IntacctError) -> str:
    text = str(error).lower()
    if "partner" in text or "sender" in text:
        return "check sender_id / sender_password (Web Services sender) in the secret"
    if "sign-in" in text or "authentication" in text:
        return "check user_id / user_password / company_id, and that the sender is authorized for the company"
    return "see the error; retry later if Intacct is unavailable"


def _ms(started: float) -> int:
    return int((time.perf_counter() - started) * 1000)
