"""The sandbox in its own process, so a benchmark measures the connector's memory and CPU, not the simulator's."""

from __future__ import annotations

import json
import subprocess
import sys
import tempfile
from pathlib import Path
from types import TracebackType
from typing import Any, Self


class SandboxProcess:
    def __init__(
        self,
        *,
        size: int,
        latency: float,
        seed: int = 1,
        customers: int | None = None,
        bills: int | None = None,
        paid_share: float | None = None,
    ) -> None:
        """``customers``, ``bills`` and ``paid_share``: the Intacct seed's optional volumes (None: its default)."""
        self.args = ["--size", str(size), "--latency", str(latency), "--seed", str(seed)]
        for flag, value in (
            ("--intacct-customers", customers),
            ("--intacct-bills", bills),
            ("--intacct-paid-share", paid_share),
        ):
            if value is not None:
                self.args += [flag, str(value)]
        self._dir = tempfile.TemporaryDirectory()
        self._proc: subprocess.Popen[str] | None = None
        self.urls: dict[str, str] = {}
        self.credentials: dict[str, dict[str, Any]] = {}

    def __enter__(self) -> Self:
        secrets = Path(self._dir.name) / "credentials.json"
        command = [sys.executable, "-m", "sandbox", *self.args, "--credentials-file", str(secrets)]
        self._proc = subprocess.Popen(command, stdout=subprocess.PIPE, text=True)
        assert self._proc.stdout is not None
        line = self._proc.stdout.readline()
        if not line:
            raise RuntimeError("the sandbox process exited before printing its URLs")
        self.urls = json.loads(line)["urls"]
        self.credentials = json.loads(secrets.read_text())
        return self

    def __exit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        if self._proc is not None:
            self._proc.terminate()
            self._proc.wait(timeout=30)
        self._dir.cleanup()
