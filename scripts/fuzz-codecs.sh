#!/usr/bin/env bash
# Differential fuzzing of the event-log decoders against Spark's own codec classes (not run by CI):
#
#   scripts/fuzz-codecs.sh [CASES] [SEED]        (default 400 cases, seed from the clock)
#
# Writes CASES fresh cases with scripts/codec-corpus/MakeCorpus.java (zstd at random levels, lz4
# and snappy at random block sizes, lzf; random flush points; inputs up to 1 MB) and runs
# CodecCorpusTests on them instead of the committed corpus (SLIPWAY_CODEC_CORPUS). A failure
# names the case file; keep the directory it prints to reproduce it.
set -euo pipefail
cd "$(dirname "$0")/.."
CASES=${1:-400}
SEED=${2:-$(date +%s)}
SPARK_JARS=".tools/pyspark-4.0.5/deps/jars"
[[ -d $SPARK_JARS ]] || bash scripts/make-spark-fixtures.sh 4.0 -- clean
corpus=$(mktemp -d)
echo "fuzz corpus: $corpus (seed $SEED, $CASES cases)"
java -cp "$SPARK_JARS/*" scripts/codec-corpus/MakeCorpus.java "$corpus" "$SEED" "$CASES" 1000000 2>/dev/null
SLIPWAY_CODEC_CORPUS="$corpus" swift test --filter CodecCorpusTests
rm -rf "$corpus"
