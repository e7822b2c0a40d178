"""Powertools Logger, Metrics and Tracer for the whole package (one instance each, configured by environment)."""

from __future__ import annotations

import functools
import logging
from collections.abc import Callable
from typing import Any

from aws_lambda_powertools import Logger, Metrics, Tracer
from aws_lambda_powertools.metrics import MetricUnit, single_metric

SERVICE = "ml-connector"
NAMESPACE = "MlConnector"

logger = Logger(service=SERVICE)
metrics = Metrics(service=SERVICE, namespace=NAMESPACE)


def count_now(name: str, **dimensions: str) -> None:
    """Emit a Count of 1 at once, as its own EMF line (dimensions: service plus `dimensions`). For code whose
    handler no `metrics.log_metrics` flushes (the webhook verifier), and so nothing waits in the shared set."""
    with single_metric(
        name=name,
        unit=MetricUnit.Count,
        value=1,
        namespace=NAMESPACE,
        default_dimensions={"service": SERVICE, **dimensions},
    ):
        pass


class LazyTracer:
    """Powertools' Tracer, built on first use rather than at import.

    Building it in Lambda loads the X-Ray SDK, whose recorder creates botocore clients (about 150 ms of a cold
    import). A handler decorated with `capture_lambda_handler` at import builds the tracer on its first invocation,
    before the handler runs: the X-Ray patches (botocore, requests) are in place before any call the handler makes,
    and every invocation is traced as before. Anything else is Tracer's own, built on first access.
    """

    def __init__(self, service: str) -> None:
        self._service = service
        self._tracer: Tracer | None = None

    @property
    def tracer(self) -> Tracer:
        if self._tracer is None:
            self._tracer = Tracer(service=self._service)
        return self._tracer

    def capture_lambda_handler[**P, R](self, handler: Callable[P, R]) -> Callable[P, R]:
        traced: Callable[P, R] | None = None

        @functools.wraps(handler)
        def wrapper(*args: P.args, **kwargs: P.kwargs) -> R:
            nonlocal traced
            if traced is None:
                traced = self.tracer.capture_lambda_handler(handler)
            return traced(*args, **kwargs)

        return wrapper

    def __getattr__(self, name: str) -> Any:
        return getattr(self.tracer, name)


tracer = LazyTracer(SERVICE)

# Libraries that log secrets at DEBUG stay at WARNING, whatever level the root logger gets (Lambda's application
# log level can set it to DEBUG): botocore logs Secrets Manager response bodies, pynamodb logs the items it writes
# (cached session ids and tokens), urllib3 logs request URLs (Marketo's identity call carries the client secret),
# oauthlib logs OAuth 1.0a signature base strings (with the access token).
QUIET_LIBRARIES = ("botocore", "boto3", "pynamodb", "urllib3", "s3transfer", "oauthlib", "requests_oauthlib")
for name in QUIET_LIBRARIES:
    logging.getLogger(name).setLevel(logging.WARNING)

__all__ = ["NAMESPACE", "SERVICE", "MetricUnit", "count_now", "logger", "metrics", "tracer"]
