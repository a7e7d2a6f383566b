#!/usr/bin/env bash
# Saves the web view's screenshots (docs/web.md): starts an in-memory `slipway dev` with the
# Spark stand-in and its web view on a free port, creates the jobs of
# scripts/web-demo-jobs.yaml, waits for them, and has headless Chromium (scripts/setup.sh
# installs Debian's) capture
#   docs/screenshots/job-list.png  — /
#   docs/screenshots/job-page.png  — /jobs/BatchJob/default/oom-adapt
#   docs/screenshots/spark-ui.png  — /spark/default/spark-pi/ (the stand-in's UI, proxied)
# Usage: scripts/screenshots.sh [--slipway PATH] (default: .build/debug/slipway; build it first).
set -euo pipefail
cd "$(dirname "$0")/.."

SLIPWAY=.build/debug/slipway
if [[ "${1:-}" == "--slipway" ]]; then SLIPWAY=$2; fi
KUBECTL=$(ls .tools/bin/kubectl-1.* 2>/dev/null | tail -1 || true)
KUBECTL=${KUBECTL:-$(command -v kubectl)}
CHROMIUM=$(command -v chromium || command -v chromium-browser || true)
[[ -x "$SLIPWAY" ]] || { echo "screenshots.sh: no $SLIPWAY; run swift build first" >&2; exit 1; }
[[ -n "$CHROMIUM" ]] || { echo "screenshots.sh: no chromium; scripts/setup.sh installs Debian's" >&2; exit 1; }

work=$(mktemp -d)
"$SLIPWAY" dev --ephemeral --port 0 --data-dir "$work/data" --spark-stand-in --web-address 127.0.0.1:0 >"$work/out" 2>"$work/err" &
dev=$!
trap 'kill $dev 2>/dev/null; wait $dev 2>/dev/null; rm -rf "$work"' EXIT
for _ in $(seq 120); do grep -q "Press Ctrl-C" "$work/out" && break; sleep 0.5; done
web=$(sed -n 's/^ *Jobs, logs and Spark UIs in a browser: //p' "$work/out")
export KUBECONFIG=$(sed -n 's/^ *export KUBECONFIG=//p' "$work/out")
[[ -n "$web" && -n "$KUBECONFIG" ]] || { cat "$work/out" "$work/err" >&2; exit 1; }
export HOME=$work

"$KUBECTL" apply -f scripts/web-demo-jobs.yaml
"$KUBECTL" wait --for=condition=Succeeded batchjob/oom-adapt --timeout=180s
"$KUBECTL" wait --for=condition=Failed batchjob/bad-rows --timeout=180s
for _ in $(seq 120); do
    [[ "$("$KUBECTL" get sparkjob spark-pi -o 'jsonpath={.status.phase}')" == Running ]] && break
    sleep 0.5
done
sleep 2  # the driver's UI starts with it

shoot() {  # shoot FILE PATH [HEIGHT]
    "$CHROMIUM" --headless --no-sandbox --disable-gpu --hide-scrollbars --user-data-dir="$work/chromium" \
        --window-size=1280,"${3:-900}" --screenshot="docs/screenshots/$1" "$web$2" 2>/dev/null
    echo "saved docs/screenshots/$1 ($web$2)"
}
mkdir -p docs/screenshots
shoot job-list.png "" 520
shoot job-page.png "jobs/BatchJob/default/oom-adapt" 1100
shoot spark-ui.png "spark/default/spark-pi/" 420
