"""The CloudWatch metrics the code really emits, read from its EMF output (and, for the verifier's one-off counts,
from its calls to `count_now`), so the dashboard and alarms can be checked against them."""

from __future__ import annotations

import contextlib
import io
import json
import re
from pathlib import Path

from mlconnector.engine.observability import NAMESPACE, SERVICE, MetricUnit, metrics
from mlconnector.engine.records import Action
from mlconnector.engine.report import RunReport, RunStatus
from mlconnector.engine.runner import QUOTA_STOP_METRIC
from mlconnector.service import emit_metrics
from mlconnector.systems.registry import SYSTEMS

from .cfn import REPO_ROOT

Metric = tuple[str, tuple[str, ...], str]
"""(namespace, sorted dimension names, metric name)."""

PACKAGE = REPO_ROOT / "src" / "shared" / "mlconnector"


def _emf_metrics(printed: str) -> set[Metric]:
    found: set[Metric] = set()
    for line in printed.splitlines():
        if '"_aws"' not in line:
            continue
        for directive in json.loads(line)["_aws"]["CloudWatchMetrics"]:
            for dimensions in directive["Dimensions"]:
                for metric in directive["Metrics"]:
                    found.add((directive["Namespace"], tuple(sorted(dimensions)), metric["Name"]))
    return found


def run_metrics() -> set[Metric]:
    """What the poller prints after runs of every status, every outcome counted and every system called."""
    printed = io.StringIO()
    metrics.clear_metrics()
    with contextlib.redirect_stdout(printed):
        for status in RunStatus:
            report = RunReport("run", "a-flow", "default", False, "2026-01-01T00:00:00Z", status=status)
            report.api_calls = dict.fromkeys(SYSTEMS, 1)
            assert set(report.counts) == {action.value for action in Action}
            if status is RunStatus.STOPPED_EARLY:  # as the runner adds it (tests/unit/test_run_metrics.py)
                metrics.add_metric(name=QUOTA_STOP_METRIC, unit=MetricUnit.Count, value=1)
            emit_metrics(report)
            metrics.flush_metrics()
    return _emf_metrics(printed.getvalue())


def one_off_counts(package: Path = PACKAGE) -> set[Metric]:
    """`count_now("Name", dimension=...)` calls in the package: service plus the keyword dimensions."""
    found: set[Metric] = set()
    for path in package.rglob("*.py"):
        for name, keywords in re.findall(r"count_now\(\s*\"(\w+)\"((?:,\s*\w+=[^,)]+)*)\)", path.read_text()):
            dimensions = {"service", *re.findall(r"(\w+)=", keywords)}
            found.add((NAMESPACE, tuple(sorted(dimensions)), name))
    return found


def emitted() -> set[Metric]:
    return run_metrics() | one_off_counts()


__all__ = ["NAMESPACE", "SERVICE", "Metric", "emitted", "one_off_counts", "run_metrics"]
