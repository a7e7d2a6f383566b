#!/usr/bin/env bash
# Makes the event-log fixtures of the Spark analysers with real Spark (not run by CI):
#
#   scripts/make-spark-fixtures.sh [3.5|4.0 …] [-- SCENARIO …]     (default: both versions, all scenarios)
#
# For each pinned pyspark (PyPI sdist, SHA-256 checked, unpacked into .tools/pyspark-VERSION/
# like scripts/compare-spark-submit.sh does) it runs the small PySpark programs in
# scripts/spark-fixtures/ in local mode — one per anti-pattern and one clean application — and
# copies each event log to Tests/SparkAnalysisTests/Fixtures/spark-MAJOR.MINOR/SCENARIO[.codec].
# Spark 4.0 logs keep Spark's defaults (a rolling log directory, zstd); Spark 3.5 logs use each
# codec Spark offers (its default is uncompressed), so that the codecs are tested on real output.
# Needs Java 17 and Python 3; downloads ~320 MB (3.5) and ~430 MB (4.0) once.
set -euo pipefail
cd "$(dirname "$0")/.."

declare -A SHA256=(
    [3.5.9]=ea27adc39ddac9413b8951e45aa748cbed6c785971b81386efc41938f6243d93
    [4.0.5]=a0d44b0e7faf0458ad83b7aa664e7ed8b96beed8a55d66ce3b0dfac2309dfca6
)
declare -A FULL=([3.5]=3.5.9 [4.0]=4.0.5)
# The codec of each scenario's log on Spark 3.5 ("none": Spark 3.5's default, uncompressed).
declare -A CODEC_35=(
    [clean]=none [duplicate_plan]=lz4 [partition_scan]=lz4 [over_provisioned]=snappy
    [skewed_stage]=lzf [spilling_stage]=zstd
)
SCENARIOS=(clean duplicate_plan partition_scan over_provisioned skewed_stage spilling_stage)

versions=()
while [[ $# -gt 0 && $1 != -- ]]; do versions+=("$1"); shift; done
[[ ${1:-} == -- ]] && { shift; SCENARIOS=("$@"); }
[[ ${#versions[@]} -eq 0 ]] && versions=(3.5 4.0)

install_pyspark() {
    local version=$1 home=".tools/pyspark-$1"
    if [[ -x "$home/deps/bin/spark-submit" && -f "$home/lib/pyspark.zip" ]]; then return; fi
    local work
    work=$(mktemp -d)
    echo "downloading pyspark $version from PyPI" >&2
    python3 -m pip download --quiet --no-deps --no-binary=:all: -d "$work" "pyspark==$version"
    local got
    got=$(sha256sum "$work/pyspark-$version.tar.gz" | cut -d' ' -f1)
    if [[ $got != "${SHA256[$version]}" ]]; then
        echo "make-spark-fixtures.sh: pyspark-$version.tar.gz has SHA-256 $got, expected ${SHA256[$version]}" >&2
        exit 1
    fi
    mkdir -p .tools
    tar xzf "$work/pyspark-$version.tar.gz" -C .tools \
        "pyspark-$version/deps/bin" "pyspark-$version/deps/jars" "pyspark-$version/lib"
    rm -rf "$work"
}

for minor in "${versions[@]}"; do
    version=${FULL[$minor]:?"unknown Spark version $minor (3.5 or 4.0)"}
    install_pyspark "$version"
    home="$PWD/.tools/pyspark-$version"
    out="Tests/SparkAnalysisTests/Fixtures/spark-$minor"
    mkdir -p "$out"
    for scenario in "${SCENARIOS[@]}"; do
        work=$(mktemp -d)
        mkdir -p "$work/events" "$work/scratch"
        codec=default
        [[ $minor == 3.5 ]] && codec=${CODEC_35[$scenario]}
        echo "spark $version: $scenario (event log codec: $codec)" >&2
        (cd scripts/spark-fixtures && SPARK_HOME="$home/deps" SPARK_LOCAL_IP=127.0.0.1 TZ=UTC \
            PYTHONPATH="$home/lib/pyspark.zip:$(ls "$home"/lib/py4j-*-src.zip)" \
            SLIPWAY_EVENTLOG_DIR="$work/events" SLIPWAY_SCRATCH="$work/scratch" SLIPWAY_EVENTLOG_CODEC="$codec" \
            python3 "$scenario.py" >"$work/run.log" 2>&1) || { tail -30 "$work/run.log" >&2; exit 1; }
        name=${scenario//_/-}
        log=$(ls "$work/events")
        rm -rf "$out/$name" "$out/$name".*
        if [[ -d "$work/events/$log" ]]; then
            mkdir -p "$out/$name"
            find "$work/events/$log" -maxdepth 1 -type f ! -name '.*' -exec cp {} "$out/$name/" \;
        else
            ext=""
            [[ $log == *.* ]] && ext=".${log##*.}"
            cp "$work/events/$log" "$out/$name$ext"
        fi
        rm -rf "$work"
    done
    du -sh "$out"/* >&2
done
