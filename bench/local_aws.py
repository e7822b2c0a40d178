"""Local AWS for the benchmarks, each piece in its own process so a benchmark's peak memory is the connector's alone.

moto's server serves Secrets Manager, KMS and CloudWatch. DynamoDB is served by dynalite (a Node.js DynamoDB on
LevelDB, in memory) when `make bench` could install it under bench/dynalite: moto answers each DynamoDB call with
several milliseconds of Python, which made it, not the connector, the largest cost of a first sync (the sync took
1.6-1.9x its rate-limit floor on moto and 1.2x on dynalite, whose per-call cost is nearer a real table's). Without
Node.js the benchmarks fall back to moto for DynamoDB too, and say so.
"""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
from pathlib import Path
from types import TracebackType
from typing import Self

import requests

DYNALITE = Path(__file__).parent / "dynalite" / "node_modules" / ".bin" / "dynalite"


class LocalAws:
    """Start moto (and dynalite if installed), point this process's AWS clients at them, stop both on exit."""

    def __init__(self) -> None:
        self._procs: list[subprocess.Popen[bytes]] = []
        self.url = ""
        self.dynamodb = "moto"

    def __enter__(self) -> Self:
        port = _free_port()
        self.url = f"http://127.0.0.1:{port}"
        self._start([sys.executable, "-m", "moto.server", "-H", "127.0.0.1", "-p", str(port)], f"{self.url}/moto-api/")
        env = {"AWS_ENDPOINT_URL": self.url, "AWS_ACCESS_KEY_ID": "bench", "AWS_SECRET_ACCESS_KEY": "bench"}
        if DYNALITE.exists():
            port = _free_port()
            dynalite = f"http://127.0.0.1:{port}"
            self._start([str(DYNALITE), "--host", "127.0.0.1", "--port", str(port)], dynalite)
            env["AWS_ENDPOINT_URL_DYNAMODB"] = dynalite
            self.dynamodb = "dynalite"
        os.environ.update(env)
        print(f"  local AWS: moto; DynamoDB on {self.dynamodb}")
        return self

    def _start(self, command: list[str], probe: str) -> None:
        self._procs.append(subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL))
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline:
            try:
                requests.get(probe, timeout=1)
                return
            except requests.ConnectionError:
                time.sleep(0.1)
        raise RuntimeError(f"{command[0]} did not start")

    def __exit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        for proc in self._procs:
            proc.terminate()
            proc.wait(timeout=30)


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
        return port
