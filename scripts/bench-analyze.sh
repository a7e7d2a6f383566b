#!/usr/bin/env bash
# Benchmark (numbers, not a test): `slipway analyze` on a large event log.
#
#   scripts/bench-analyze.sh [MB]        (default 100)
#
# Builds a release `slipway`, makes an event log of about MB megabytes by replicating the stages,
# jobs, tasks and SQL executions of a Spark 4.0 fixture with fresh ids (scripts/bench-eventlog.py),
# compresses it with zstd at Spark's level (1) when the zstd tool is installed, and prints the
# wall and CPU time and the peak resident memory of `slipway analyze` on each form (CPU time
# is what to compare on a busy machine: the wall time grows with the load average, printed too).
set -euo pipefail
cd "$(dirname "$0")/.."
MB=${1:-100}
# SLIPWAY=path/to/slipway skips the build (any release build of this tree).
if [[ -z ${SLIPWAY:-} ]]; then
    swift build -c release --product slipway >/dev/null
    SLIPWAY="$(swift build -c release --show-bin-path)/slipway"
fi
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

fixture=Tests/SparkAnalysisTests/Fixtures/spark-4.0/skewed-stage
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
runs = []
for _ in range(3):
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    start = time.monotonic()
    out = subprocess.run([slipway, "analyze", "-o", "json", log], capture_output=True, check=True)
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    runs.append((time.monotonic() - start, cpu))
wall, cpu = min(runs)
peak = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
print(f"{os.path.basename(log)}: {os.path.getsize(log) / 1e6:.1f} MB on disk; best of 3: {wall:.2f} s wall, "
      f"{cpu:.2f} s CPU; peak RSS {peak:.0f} MiB; load average {os.getloadavg()[0]:.1f}; "
      f"{out.stdout.count(b'\"kind\"')} findings")
PY
done
