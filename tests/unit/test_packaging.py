"""Packaging: `mlc` runs a deployed stack with the runtime dependencies alone; moto and the simulators are the
`local` extra, imported only when a local environment starts."""

from __future__ import annotations

import json
import subprocess
import sys
import tomllib
from pathlib import Path

ROOT = Path(__file__).parents[2]

PROBE = """
import importlib, json, sys
import mlc.main
for command in mlc.main.COMMANDS:
    importlib.import_module(command.__name__)
mlc.main.parser().parse_args(["ping", "intacct-marketo", "--stack", "s", "--region", "us-east-1"])
print(json.dumps(sorted({m.split(".")[0] for m in sys.modules} & {"moto", "sandbox"})))
"""


def test_the_cli_imports_neither_moto_nor_the_sandbox_until_a_local_environment_starts() -> None:
    found = subprocess.run([sys.executable, "-c", PROBE], capture_output=True, text=True, check=True)
    assert json.loads(found.stdout) == []


def _requirements(path: Path) -> list[str]:
    lines = (line.split("#")[0].strip() for line in path.read_text().splitlines())
    return [line for line in lines if line]


def test_runtime_dependencies_are_the_layers_and_moto_is_the_local_extra() -> None:
    project = tomllib.loads((ROOT / "pyproject.toml").read_text())
    dynamic = project["tool"]["setuptools"]["dynamic"]
    assert dynamic["dependencies"] == {"file": ["src/shared/requirements.txt"]}
    assert dynamic["optional-dependencies"]["local"] == {"file": ["requirements-local.txt"]}
    runtime = _requirements(ROOT / "src" / "shared" / "requirements.txt")
    local = _requirements(ROOT / "requirements-local.txt")
    assert not [r for r in runtime if r.startswith("moto")]
    assert [r.split("==")[0] for r in local] == ["moto[server]"]
    dev = _requirements(ROOT / "requirements-dev.txt")
    assert {"-r src/shared/requirements.txt", "-r requirements-local.txt"} <= set(dev)
