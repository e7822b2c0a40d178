"""Sending one HTTP request to Marketo. The transport knows nothing about tokens or retries: the client
builds a complete request (auth header included) for every attempt and classifies the reply."""

from __future__ import annotations

from mlconnector.http import HttpReply, HttpRequest, RequestsTransport, Transport

USER_AGENT = "ml-connector-marketo/0.1"
JSON_TYPE = "application/json"
FORM_TYPE = "application/x-www-form-urlencoded"


__all__ = ["FORM_TYPE", "JSON_TYPE", "HttpReply", "HttpRequest", "Transport", "new_transport"]


def new_transport() -> RequestsTransport:
    return RequestsTransport(USER_AGENT, {"Accept": JSON_TYPE})
