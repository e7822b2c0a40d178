"""Powertools Logger, Metrics and Tracer for the whole package (one instance each, configured by environment)."""

import logging

from aws_lambda_powertools import Logger, Metrics, Tracer
from aws_lambda_powertools.metrics import MetricUnit

SERVICE = "ml-connector"

logger = Logger(service=SERVICE)
metrics = Metrics(service=SERVICE, namespace="MlConnector")
tracer = Tracer(service=SERVICE)

# urllib3 logs request URLs at DEBUG, and Marketo's identity call carries the client secret in its query string.
logging.getLogger("urllib3").setLevel(logging.WARNING)

__all__ = ["MetricUnit", "logger", "metrics", "tracer"]
