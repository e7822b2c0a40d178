"""Powertools Logger, Metrics and Tracer for the whole package (one instance each, configured by environment)."""

import logging

from aws_lambda_powertools import Logger, Metrics, Tracer
from aws_lambda_powertools.metrics import MetricUnit

SERVICE = "ml-connector"

logger = Logger(service=SERVICE)
metrics = Metrics(service=SERVICE, namespace="MlConnector")
tracer = Tracer(service=SERVICE)

# Libraries that log secrets at DEBUG stay at WARNING, whatever level the root logger gets (Lambda's application
# log level can set it to DEBUG): botocore logs Secrets Manager response bodies, pynamodb logs the items it writes
# (cached session ids and tokens), urllib3 logs request URLs (Marketo's identity call carries the client secret),
# oauthlib logs OAuth 1.0a signature base strings (with the access token).
QUIET_LIBRARIES = ("botocore", "boto3", "pynamodb", "urllib3", "s3transfer", "oauthlib", "requests_oauthlib")
for name in QUIET_LIBRARIES:
    logging.getLogger(name).setLevel(logging.WARNING)

__all__ = ["MetricUnit", "logger", "metrics", "tracer"]
