"""The poller's cold import with the layer as `sam build` ships it.

Builds the poller and its layer with `sam build` (aws-sam-cli from .venv-sam, or MLC_SAM), then imports the handler
module in fresh interpreters (`-I -S -B`: no site-packages, no bytecode written) with only the built function and
layer on sys.path, in Lambda's environment, several times; prints every run and the median. Lambda runs arm64: the
layer's native extensions are aarch64 builds, so on another machine their pure-Python fallbacks load instead
(charset_normalizer, wrapt); the poller imports no extension without one.
"""

from __future__ import annotations

import os
import shutil
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
RUNS = 7
TARGET_MS = 300
IMPORT = """
import sys, time
sys.path[:0] = sys.argv[1:3]
started, cpu = time.perf_counter(), time.process_time()
import app
print((time.perf_counter() - started) * 1000, (time.process_time() - cpu) * 1000)
"""
LAMBDA_ENV = {
    "AWS_LAMBDA_FUNCTION_NAME": "ml-connector-poller",
    "AWS_EXECUTION_ENV": "AWS_Lambda_python3.13",
    "AWS_REGION": "us-east-1",
    "AWS_DEFAULT_REGION": "us-east-1",
    "POWERTOOLS_SERVICE_NAME": "ml-connector",
    "POWERTOOLS_METRICS_NAMESPACE": "MlConnector",
    "POWERTOOLS_LOG_LEVEL": "INFO",
    "PATH": os.environ.get("PATH", ""),
}


def main() -> None:
    sam = os.environ.get("MLC_SAM") or str(ROOT / ".venv-sam" / "bin" / "sam")
    print(f"Poller cold import: the layer as `sam build` ships it, {RUNS} fresh interpreters")
    if not Path(sam).exists() and not shutil.which(sam):
        print(f"  skipped: no aws-sam-cli at {sam} (make bench installs it)")
        return
    with tempfile.TemporaryDirectory() as build:
        command = [sam, "build", "PollerFunction", "--template", str(ROOT / "template.yaml"), "--build-dir", build]
        # sam build looks for python3.13 on PATH: this interpreter's (the venv's) first, as `make` arranges it.
        path = os.pathsep.join([str(Path(sys.executable).parent), os.environ.get("PATH", "")])
        env = {**os.environ, "PATH": path, "SAM_CLI_TELEMETRY": "0"}
        built = subprocess.run(command, cwd=ROOT, env=env, capture_output=True, text=True, check=False)
        if built.returncode:
            print(built.stdout[-2000:], built.stderr[-2000:])
            raise SystemExit("sam build failed")
        layer, function = Path(build) / "ConnectorLayer" / "python", Path(build) / "PollerFunction"
        compiled = sum(1 for _ in layer.rglob("*.pyc"))
        sources = sum(1 for _ in layer.rglob("*.py"))
        print(f"  layer: {sources} .py files, {compiled} compiled .pyc files")
        runs = [_import_ms(layer, function) for _ in range(RUNS)]
    wall, cpu = statistics.median(r[0] for r in runs), statistics.median(r[1] for r in runs)
    listed = ", ".join(f"{w:.0f}" for w, _ in runs)
    verdict = "met" if wall < TARGET_MS else "not met"
    print(f"  import app: median {wall:.0f} ms (runs: {listed}); target under {TARGET_MS} ms: {verdict}")
    # On a loaded machine the wall time includes waiting for a core; the CPU time does not.
    print(f"    CPU time of the import: median {cpu:.0f} ms; load average {os.getloadavg()[0]:.1f}")


def _import_ms(layer: Path, function: Path) -> tuple[float, float]:
    command = [sys.executable, "-I", "-S", "-B", "-c", IMPORT, str(function), str(layer)]
    result = subprocess.run(command, env=LAMBDA_ENV, capture_output=True, text=True, check=True)
    wall, cpu = result.stdout.strip().splitlines()[-1].split()
    return float(wall), float(cpu)


if __name__ == "__main__":
    main()
