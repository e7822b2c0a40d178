"""Powertools Logger, Metrics and Tracer for the whole package (one instance each, configured by environment)."""

from aws_lambda_powertools import Logger, Metrics, Tracer
from aws_lambda_powertools.metrics import MetricUnit

SERVICE = "ml-connector"

logger = Logger(service=SERVICE)
metrics = Metrics(service=SERVICE, namespace="MlConnector")
tracer = Tracer(service=SERVICE)

__all__ = ["MetricUnit", "logger", "metrics", "tracer"]
