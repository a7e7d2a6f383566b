#!/usr/bin/env bash
# Runs the real-Spark end-to-end tests (Tests/RealSparkTests) with other Spark versions than
# CI's 3.5.9:
#
#   scripts/real-spark.sh               # Spark 4.0.5
#   scripts/real-spark.sh 3.5.9 4.0.5   # both, one after the other
#
# It installs the versions' distributions into .tools/spark (scripts/setup.sh: pinned pyspark
# source releases from PyPI, 434 MB for 4.0.5, kept in ~/.cache/slipway) and runs the tests with
# SLIPWAY_REAL_SPARK_VERSIONS set. Spark 4.0's Kubernetes client (fabric8 7.1 on Vert.x) opens
# its pod watch as a WebSocket and waits for the upgrade: it needs slipway dev's WebSocket
# watches.
set -euo pipefail
cd "$(dirname "$0")/.."

VERSIONS=${*:-4.0.5}
SLIPWAY_SPARK_VERSIONS="$VERSIONS" bash scripts/setup.sh
SLIPWAY_REAL_SPARK_VERSIONS="$VERSIONS" exec swift test --filter RealSparkTests
