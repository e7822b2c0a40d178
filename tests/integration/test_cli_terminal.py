"""`mlc sync` on a real terminal (a pty): a progress line on stderr that retry lines do not glue onto and that is
cleared when the run ends; nothing of it on stdout, and no progress at all without a terminal."""

from __future__ import annotations

import os
import pty
import re
import subprocess
import sys
from pathlib import Path

import pytest

from mlc.embedded import LocalEnvironment

pytestmark = pytest.mark.integration

COLOUR = re.compile(r"\x1b\[[0-9;]*m")
ERASE_LINE = "\x1b[2K"


def _sync_on_a_terminal(cwd: Path, integration: str) -> tuple[int, str, str]:
    """`mlc sync` with stderr on a pty (what a person sees) and stdout on a pipe."""
    master, slave = pty.openpty()
    env = {**os.environ, "PYTHONPATH": os.pathsep.join(sys.path), "TERM": "xterm", "COLUMNS": "120"}
    env.pop("MLC_LOG_LEVEL", None)
    with subprocess.Popen(
        [sys.executable, "-m", "mlc.main", "sync", integration], cwd=cwd, env=env, stdout=subprocess.PIPE, stderr=slave
    ) as process:
        os.close(slave)
        chunks = []
        while True:
            try:
                data = os.read(master, 65536)
            except OSError:  # the terminal closed with the process
                break
            if not data:
                break
            chunks.append(data)
        assert process.stdout is not None
        out = process.stdout.read().decode()
        code = process.wait(timeout=120)
    os.close(master)
    return code, out, COLOUR.sub("", b"".join(chunks).decode(errors="replace"))


def test_progress_on_a_terminal_with_retry_lines_above_it_and_cleared_at_the_end(
    local: LocalEnvironment, tmp_path: Path
) -> None:
    assert local.sandbox is not None
    marketo = local.sandbox.marketo
    marketo.latency = 0.3  # the run lasts long enough for the progress to draw
    marketo.faults.add_json({"kind": "status", "status": 503, "times": 1, "match": "write"})  # one retry
    code, out, terminal = _sync_on_a_terminal(tmp_path, "intacct-marketo")
    assert code == 0, terminal
    assert "companies: page 1" in terminal
    retry = terminal.index("warning: Marketo sync companies: HTTP 503 from Marketo; retrying in")
    assert terminal[:retry].endswith(("\r" + ERASE_LINE, "\n")), repr(terminal[retry - 80 : retry])  # a line of its own
    assert terminal.rstrip().endswith(ERASE_LINE)  # the progress line is erased when the run ends
    assert "completed" in out
    assert "page 1" not in out
    assert "\x1b" not in out


def test_no_progress_without_a_terminal(local: LocalEnvironment, tmp_path: Path) -> None:
    env = {**os.environ, "PYTHONPATH": os.pathsep.join(sys.path)}
    done = subprocess.run(
        [sys.executable, "-m", "mlc.main", "sync", "intacct-marketo"],
        cwd=tmp_path,
        env=env,
        capture_output=True,
        text=True,
        check=False,
        timeout=120,
    )
    assert done.returncode == 0, done.stderr
    assert "page 1" not in done.stdout + done.stderr
    assert "\x1b" not in done.stdout + done.stderr
