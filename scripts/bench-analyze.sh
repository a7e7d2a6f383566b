#!/usr/bin/env bash
# Benchmark (numbers, not a test): `slipway analyze` on a large event log.
#
#   scripts/bench-analyze.sh [MB]        (default 100)
#
# Builds a release `slipway`, makes an event log of about MB megabytes by replicating the stages,
# jobs, tasks and SQL executions of a Spark 4.0 fixture with fresh ids (scripts/bench-eventlog.py),
# compresses it with zstd at Spark's level (1) when the zstd tool is installed, and prints the
# wall time and peak resident memory of `slipway analyze` on each form.
set -euo pipefail
cd "$(dirname "$0")/.."
MB=${1:-100}
swift build -c release --product slipway >/dev/null
SLIPWAY="$(swift build -c release --show-bin-path)/slipway"
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

fixture=Tests/SparkAnalysisTests/Fixtures/spark-4.0/skewed-stage
"$SLIPWAY" analyze --help >/dev/null
python3 scripts/bench-eventlog.py "$fixture" "$MB" "$work/app-bench"
logs=("$work/app-bench")
if command -v zstd >/dev/null; then
    zstd -q -1 "$work/app-bench" -o "$work/app-bench.zstd"
    logs+=("$work/app-bench.zstd")
fi
for log in "${logs[@]}"; do
    python3 - "$SLIPWAY" "$log" <<'PY'
import os, resource, subprocess, sys, time
slipway, log = sys.argv[1], sys.argv[2]
for run in range(3):
    start = time.monotonic()
    out = subprocess.run([slipway, "analyze", "-o", "json", log], capture_output=True, check=True)
    elapsed = time.monotonic() - start
peak = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
size = os.path.getsize(log) / 1e6
print(f"{os.path.basename(log)}: {size:.1f} MB on disk, {elapsed:.2f} s (last of 3 runs), peak RSS {peak:.0f} MiB, "
      f"{out.stdout.count(b'\"kind\"')} findings")
PY
done
