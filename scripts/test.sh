#!/usr/bin/env bash
# The README's test command: everything CI runs, on a fresh clone, in one step.
#
#   scripts/test.sh                 # setup (pinned, hash-checked, idempotent), then `swift test`
#   scripts/test.sh --filter Quantity   # arguments go to `swift test`
#
# 1. scripts/setup.sh installs the pinned tools the tests drive (Helm, kubernetes-validate, …)
#    into .tools/; a second run finds them in place and downloads nothing.
# 2. `swift test` runs every test target; without arguments the real-Spark tests (JVMs) run
#    after the others, in a second `swift test`.
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
# The real-Spark tests start JVMs (three per SparkJob attempt): they run after the others, so
# their load never slows the timed end-to-end tests of the first run on a two-core machine.
swift build --build-tests
swift test --skip-build --skip RealSparkTests
exec swift test --skip-build --filter RealSparkTests
