#!/usr/bin/env bash
# The README's test command: everything CI runs, on a fresh clone, in one step.
#
#   scripts/test.sh                 # setup (pinned, hash-checked, idempotent), then `swift test`
#   scripts/test.sh --filter Quantity   # arguments go to `swift test`
#
# 1. scripts/setup.sh installs the pinned tools the tests drive (Helm, kubernetes-validate, …)
#    into .tools/; a second run finds them in place and downloads nothing.
# 2. `swift test` runs every test target.
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
exec swift test "$@"
