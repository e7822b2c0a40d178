"""SecretReader: one Secrets Manager call per secret per reader (one run), and clear errors without values."""

from __future__ import annotations

import json
from typing import Any

import pytest

from mlconnector.config import ConfigurationError, SecretReader


class CountingClient:
    def __init__(self, secrets: dict[str, Any]) -> None:
        self.secrets = secrets
        self.calls: list[str] = []

    def get_secret_value(self, SecretId: str) -> dict[str, str]:
        self.calls.append(SecretId)
        return {"SecretString": self.secrets[SecretId]}


def test_a_secret_is_read_once_per_reader_and_copies_are_handed_out() -> None:
    client = CountingClient({"p/default/marketo": json.dumps({"client_secret": "s3cr3t", "custom_fields": {}})})
    reader = SecretReader("p", client=client)
    first = reader.get("default", "marketo")
    first["client_secret"] = "changed by a caller"
    assert reader.get("default", "marketo")["client_secret"] == "s3cr3t"
    assert client.calls == ["p/default/marketo"]


def test_a_secret_that_is_not_an_object_is_refused_without_its_value() -> None:
    reader = SecretReader("p", client=CountingClient({"p/default/intacct": json.dumps(["pw-value"])}))
    with pytest.raises(ConfigurationError, match="must hold a JSON object") as caught:
        reader.get("default", "intacct")
    assert "pw-value" not in str(caught.value)
