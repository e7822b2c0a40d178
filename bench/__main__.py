"""`make bench`: every benchmark, one after the other, each in its own process so each prints its own peak RSS."""

import subprocess
import sys

BENCHMARKS = (
    "bench.intacct_read",
    "bench.intacct_marketo_sync",
    "bench.intacct_mailchimp_sync",
    "bench.intacct_zoho_sync",
    "bench.intacct_zendesk_sync",
    "bench.commerce_intacct_bills",
    "bench.cold_import",
)

if __name__ == "__main__":
    failed = [name for name in BENCHMARKS if subprocess.run([sys.executable, "-m", name], check=False).returncode]
    if failed:
        sys.exit(f"benchmarks failed: {', '.join(failed)}")
