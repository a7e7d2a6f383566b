#!/usr/bin/env bash
# Makes the committed codec corpus of the event-log decoders (not run by CI):
#
#   scripts/make-codec-corpus.sh
#
# Tests/SparkAnalysisTests/Fixtures/codecs/ gets cases written by Spark's own codec classes
# (scripts/codec-corpus/MakeCorpus.java, run with the jars of the pinned pyspark 4.0 that
# scripts/make-spark-fixtures.sh unpacks) and by the zstd tool at levels and windows Spark never
# uses (--ultra -22, --long), each with its original's length and XXH64 in manifest.txt.
# CodecCorpusTests decodes them all. For a long differential run, see scripts/fuzz-codecs.sh.
set -euo pipefail
cd "$(dirname "$0")/.."
SPARK_JARS=".tools/pyspark-4.0.5/deps/jars"
[[ -d $SPARK_JARS ]] || bash scripts/make-spark-fixtures.sh 4.0 -- clean
out=Tests/SparkAnalysisTests/Fixtures/codecs
rm -rf "$out"
mkdir -p "$out"
java -cp "$SPARK_JARS/*" scripts/codec-corpus/MakeCorpus.java "$out" 20251207 32 120000
if command -v zstd >/dev/null; then
    work=$(mktemp -d)
    trap 'rm -rf "$work"' EXIT
    python3 - "$work" <<'PY'
import os, random, sys
random.seed(7)
def lines(n):
    return "".join('{"Event":"SparkListenerTaskEnd","Stage ID":%d,"Task Info":{"Task ID":%d,"Launch Time":%d}}\n'
                   % (random.randrange(50), random.randrange(10**6), 1700000000000 + random.randrange(10**6))
                   for _ in range(n)).encode()
open(os.path.join(sys.argv[1], "plain-0"), "wb").write(lines(3000))
open(os.path.join(sys.argv[1], "plain-1"), "wb").write(random.randbytes(50000) + b"x" * 70000 + lines(500))
open(os.path.join(sys.argv[1], "plain-2"), "wb").write(lines(6000) * 2)
PY
    for plain in "$work"/plain-*; do
        read -r _ length hash < <(java -cp "$SPARK_JARS/*" scripts/codec-corpus/MakeCorpus.java --hash "$plain")
        case $(basename "$plain") in
            plain-0) all=("-19 --no-check" "--fast=5") ;;
            plain-1) all=("--ultra -22" "--fast=5") ;;
            *) all=("--long=27 -3" "--ultra -22") ;;
        esac
        for flags in "${all[@]}"; do
            name="cli-$(basename "$plain")-$(echo "$flags" | tr -dc 'a-z0-9').zstd"
            zstd -q $flags -c "$plain" >"$out/$name"
            echo "$name zstd $length $hash zstd-cli:${flags// /_}" >>"$out/manifest.txt"
        done
    done
fi
du -sh "$out"
