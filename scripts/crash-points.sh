#!/usr/bin/env bash
# The crash-point suite (Tests/OperatorTests/CrashPoints, docs/reliability.md) at every
# point: each scenario runs fault-free once, then once per operator write with the operator
# crashed right after it, once per chosen watch event with that event lost, and once with
# caches stale by 2 events. `swift test` runs a sample (3 of every third write, 1 lost event
# per scenario, picked by SLIPWAY_CRASH_SEED, else the day). Prints the points per scenario,
# pass/fail and the time.
#
#   scripts/crash-points.sh                          # every write; 6 lost events per scenario
#   SLIPWAY_DROP_POINTS=all scripts/crash-points.sh  # every watch event too (about an hour)
#   SLIPWAY_CRASH_POINTS=3,7 SLIPWAY_CRASH_SCENARIOS=pipeline scripts/crash-points.sh
set -uo pipefail
cd "$(dirname "$0")/.."
export SLIPWAY_CRASH_POINTS="${SLIPWAY_CRASH_POINTS:-all}"
export SLIPWAY_DROP_POINTS="${SLIPWAY_DROP_POINTS:-sample}"
export SLIPWAY_CRASH_MAX="${SLIPWAY_CRASH_MAX:-6}"
swift build --build-tests >/dev/null || { echo "build failed"; exit 1; }
log="$(mktemp)"
started=$(date +%s)
swift test --skip-build --filter CrashPointTests >"$log" 2>&1
status=$?
elapsed=$(( $(date +%s) - started ))
echo "scenario                kind                 points  ran  failed"
grep -E '^CRASHPOINTS scenario=[^ ]+ kind=' "$log" | sed -E 's/^CRASHPOINTS scenario=([^ ]+) kind=([^ ]+) points=([0-9]+) ran=([0-9]+) failed=([0-9]+)(.*)$/\1 \2 \3 \4 \5\6/' |
    while read -r scenario kind points ran failed rest; do
        printf '%-23s %-20s %6s %4s %7s %s\n' "$scenario" "$kind" "$points" "$ran" "$failed" "$rest"
    done
if [ "$status" -eq 0 ]; then echo "PASS in ${elapsed}s"; else
    grep -E 'recorded an issue|Expectation failed' "$log" | head -40
    echo "FAIL in ${elapsed}s (log: $log)"
fi
exit "$status"
