#!/usr/bin/env bash
# Compares what the real spark-submit creates with what Slipway creates for the same
# application, on a throwaway `slipway dev`:
#
#   scripts/compare-spark-submit.sh [--slipway PATH] [PYSPARK_VERSION]      (default 3.5.5)
#
# --slipway PATH (or SLIPWAY_BIN=PATH) uses an already built `slipway` binary (a release
# build, one from another checkout, an image's) instead of building this checkout with
# `swift build --product slipway`; the flag wins over the variable.
#
# It downloads pyspark (about 320 MB, from PyPI) into .tools/, starts `slipway dev`
# (ephemeral, a free port), runs `spark-submit --deploy-mode cluster` of SparkPi (Scala) and
# of PySpark's pi.py, applies SparkJobs asking for the same, and compares the driver pods
# (labels, annotations, spec) and the spark.properties (keys, and values except the submit
# time), with names and ids replaced. The only differences allowed are what Slipway adds by
# design (docs/sparkjob.md): its labels, FallbackToLogsOnError, the executor keys it sets,
# explicit default memory, and no submission credentials. Exits 1 on any other difference.
# Needs Java 17 and Python 3. Not part of `swift test` (the download is large); run it after
# changing the renderer.
set -euo pipefail
cd "$(dirname "$0")/.."

usage() { awk 'NR > 1 && /^#/ { sub(/^# ?/, ""); print; next } NR > 1 { exit }' "$0"; }
SLIPWAY=${SLIPWAY_BIN:-}
while [[ $# -gt 0 ]]; do
    case "$1" in
        --slipway) [[ $# -ge 2 ]] || { echo "compare-spark-submit.sh: --slipway needs a path" >&2; exit 2; }
                   SLIPWAY=$2; shift 2 ;;
        --slipway=*) SLIPWAY=${1#--slipway=}; shift ;;
        -h|--help) usage; exit 0 ;;
        -*) echo "compare-spark-submit.sh: unknown option $1 (see --help)" >&2; exit 2 ;;
        *) break ;;
    esac
done
if [[ -n "$SLIPWAY" ]]; then
    if [[ ! -x "$SLIPWAY" || -d "$SLIPWAY" ]]; then
        echo "compare-spark-submit.sh: $SLIPWAY is not an executable slipway binary" >&2
        exit 2
    fi
    if ! "$SLIPWAY" --version >/dev/null 2>&1; then
        echo "compare-spark-submit.sh: $SLIPWAY --version failed: is it a slipway binary?" >&2
        exit 2
    fi
fi
VERSION=${1:-3.5.5}
case "$VERSION" in
    3.*) SCALA=2.12 ;;
    4.*) SCALA=2.13 ;;
    *) echo "compare-spark-submit.sh: pyspark $VERSION is not 3.x or 4.x" >&2; exit 2 ;;
esac
TOOLS="$PWD/.tools"
SPARK_HOME="$TOOLS/pyspark-$VERSION/deps"
if [[ ! -x "$SPARK_HOME/bin/spark-submit" ]]; then
    work=$(mktemp -d)
    python3 -m pip download --quiet --no-deps --no-binary=:all: -d "$work" "pyspark==$VERSION"
    mkdir -p "$TOOLS"
    tar xzf "$work"/pyspark-"$VERSION".tar.gz -C "$TOOLS" "pyspark-$VERSION/deps/bin" "pyspark-$VERSION/deps/jars"
    rm -rf "$work"
fi
export SPARK_HOME

if [[ -z "$SLIPWAY" ]]; then
    swift build --product slipway >/dev/null 2>&1
    SLIPWAY="$(swift build --show-bin-path)/slipway"
fi
echo "slipway: $SLIPWAY ($("$SLIPWAY" --version))"
DEV=$(mktemp -d)
"$SLIPWAY" dev --ephemeral --port 0 --data-dir "$DEV" --spark-stand-in >"$DEV/dev.log" 2>&1 &
DEV_PID=$!
trap 'kill $DEV_PID 2>/dev/null; wait $DEV_PID 2>/dev/null; rm -rf "$DEV"' EXIT
for _ in $(seq 100); do [[ -s "$DEV/kubeconfig" ]] && grep -q "Press Ctrl-C" "$DEV/dev.log" && break; sleep 0.2; done
export KUBECONFIG="$DEV/kubeconfig"
SERVER=$(sed -n 's/^ *server: //p' "$KUBECONFIG")
TOKEN=$(sed -n 's/^ *token: //p' "$KUBECONFIG")
sed -n 's/^ *certificate-authority-data: //p' "$KUBECONFIG" | base64 -d >"$DEV/ca.crt"

# submit NAME TYPE APP [spark-submit options]: the real spark-submit, then a SparkJob
# asking for the same.
submit() {
    local name=$1 type=$2 app=$3
    shift 3
    "$SPARK_HOME/bin/spark-submit" --master "k8s://$SERVER" --deploy-mode cluster --name "real-$name" "$@" \
        --conf "spark.kubernetes.container.image=apache/spark:$VERSION" \
        --conf spark.kubernetes.namespace=default --conf spark.executor.instances=2 \
        --conf spark.kubernetes.submission.waitAppCompletion=false \
        --conf "spark.kubernetes.authenticate.submission.oauthToken=$TOKEN" \
        --conf "spark.kubernetes.authenticate.submission.caCertFile=$DEV/ca.crt" \
        "$app" 100 >"$DEV/submit-$name.log" 2>&1 || { cat "$DEV/submit-$name.log" >&2; exit 1; }
    local main=""
    [[ $type == Scala ]] && main="mainClass: org.apache.spark.examples.SparkPi"
    printf '%s\n' \
        "apiVersion: slipway.dev/v1alpha1" "kind: SparkJob" "metadata: {name: ours-$name}" "spec:" \
        "  type: $type" "  sparkVersion: \"$VERSION\"" "  image: apache/spark:$VERSION" "  $main" \
        "  mainApplicationFile: $app" "  arguments: [\"100\"]" "  executor: {instances: 2}" |
        kubectl apply -f - >/dev/null
    kubectl wait --for=condition=Succeeded "sparkjob/ours-$name" --timeout=120s >/dev/null
}
submit pi Scala "local:///opt/spark/examples/jars/spark-examples_$SCALA-$VERSION.jar" --class org.apache.spark.examples.SparkPi
submit py Python "local:///opt/spark/examples/src/main/python/pi.py"

kubectl get pods -l spark-role=driver -o json >"$DEV/drivers.json"
kubectl get configmaps -o json >"$DEV/configmaps.json"
python3 scripts/compare-spark-submit.py "$DEV/drivers.json" "$DEV/configmaps.json"
