"""The tracer costs nothing at import: Powertools' Tracer (and the X-Ray SDK it loads) is built on first use."""

from __future__ import annotations

import os
import subprocess
import sys
from typing import Any

from aws_lambda_powertools import Tracer

from mlconnector.engine.observability import LazyTracer


def test_importing_the_handlers_observability_loads_no_xray_sdk() -> None:
    code = "import sys; import mlconnector.engine.observability; print('aws_xray_sdk.core' in sys.modules)"
    env = {"AWS_LAMBDA_FUNCTION_NAME": "poller", "AWS_REGION": "us-east-1", "PATH": os.environ.get("PATH", "")}
    env.update({k: v for k, v in os.environ.items() if k == "PYTHONPATH"})  # in Lambda, tracing is on
    out = subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "False"


def test_a_decorated_handler_builds_the_tracer_on_its_first_invocation() -> None:
    lazy = LazyTracer("ml-connector-test")
    seen: list[dict[str, Any]] = []

    @lazy.capture_lambda_handler
    def handler(event: dict[str, Any], context: Any) -> dict[str, Any]:
        seen.append(event)
        return {"ok": True}

    assert lazy._tracer is None  # decorating built nothing
    assert handler({"n": 1}, None) == {"ok": True}
    assert isinstance(lazy._tracer, Tracer)
    first = lazy._tracer
    assert handler({"n": 2}, None) == {"ok": True}
    assert lazy._tracer is first  # one tracer for the container's lifetime
    assert seen == [{"n": 1}, {"n": 2}]
    assert handler.__name__ == "handler"
