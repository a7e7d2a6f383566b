#!/usr/bin/env bash
# The README's test command: everything CI runs, on a fresh clone, in one step.
#
#   scripts/test.sh                 # setup (pinned, hash-checked, idempotent), then `swift test`
#   scripts/test.sh --filter Quantity   # arguments go to `swift test`
#
# 1. scripts/setup.sh installs the pinned tools the tests drive (Helm, kubernetes-validate, …)
#    into .tools/; a second run finds them in place and downloads nothing.
# 2. `swift test` runs every test target (the kubectl end-to-end suites with the kubectl on PATH)
#    but the real-Spark tests.
# 3. Without arguments (as CI runs it), the kubectl end-to-end suites run again with each
#    current kubectl that setup installed (.tools/bin/kubectl-1.36, -1.37), through
#    SLIPWAY_KUBECTL; the build is reused, so this adds only the suites' own time.
# 4. Last, the real-Spark tests (JVMs), so their load never slows the other end-to-end tests on
#    a two-core machine.
#
# Offline, setup fails with a message naming what it could not download; the tests that need no
# download still run with `swift test --skip DeploymentTests --skip RealSparkTests`.
set -euo pipefail
cd "$(dirname "$0")/.."

if ! bash scripts/setup.sh; then
    echo "scripts/test.sh: setup could not install the pinned tools (see above)." >&2
    echo "Offline? The tests that need no download run with: swift test --skip DeploymentTests --skip RealSparkTests" >&2
    exit 1
fi

swift --version
if [[ $# -gt 0 ]]; then
    exec swift test "$@"
fi
# Each `swift test` run's output is also kept in .build/test-logs/; when one fails, the failing
# tests and their recorded issues are printed again at the very end, so a log that shows only
# its tail (as CI's does) still names them.
mkdir -p .build/test-logs
run=0
swift_test() {
    run=$((run + 1))
    local log=".build/test-logs/run-$run.log" status=0
    swift test --skip-build "$@" 2>&1 | tee "$log" || status=$?
    if [[ $status -ne 0 ]]; then
        echo "== scripts/test.sh: swift test $* failed (exit $status); its failures:"
        grep -E '✘|recorded an issue|error: .*(XCT|failed)|Fatal error|Program crashed' "$log" \
            | grep -v 'failed=0' | cut -c1-400 | tail -60 || true
        exit "$status"
    fi
}

swift build --build-tests
swift_test --skip RealSparkTests

# Every suite that drives kubectl against slipway dev (EndToEndTests' Kubectl* suites: local
# cluster, pods, apply, custom resources, every job kind, queues, schedules, faults).
KUBECTL_SUITES='^EndToEndTests\.Kubectl'
for kubectl in .tools/bin/kubectl-1.*; do
    [[ -x "$kubectl" ]] || continue
    echo "== kubectl end-to-end suites with $("$kubectl" version --client 2>/dev/null | head -1)"
    start=$SECONDS
    SLIPWAY_KUBECTL="$PWD/$kubectl" swift_test --filter "$KUBECTL_SUITES"
    echo "== $(basename "$kubectl"): $((SECONDS - start)) s"
done

# The real-Spark tests start JVMs (three per SparkJob attempt).
swift_test --filter RealSparkTests
