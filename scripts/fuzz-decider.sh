#!/usr/bin/env bash
# The state fuzz test of the generic job decider with many seeds (CI runs a sample of 24 per
# kind in `swift test`). Each seed is a reproducible run of 160 random events and decisions
# per kind, with the invariants checked after every decision.
#
#   scripts/fuzz-decider.sh          # 300 seeds per kind (minutes on two busy cores)
#   scripts/fuzz-decider.sh 5000     # as many as you like
set -euo pipefail
cd "$(dirname "$0")/.."
SEEDS="${1:-300}"
swift build --build-tests
SLIPWAY_FUZZ_SEEDS="$SEEDS" swift test --skip-build --filter JobDeciderFuzzTests
