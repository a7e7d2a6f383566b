#!/usr/bin/env bash
# libFuzzer on the parser harnesses (docs/fuzzing.md; not run by CI, which replays the seeds
# through FuzzCorpusTests instead):
#
#   scripts/fuzz.sh [TARGET…] [--seconds N] [--no-build] [--address]
#
# TARGETs are harness names (json quantity selectors jsonpatch mergepatch strategicpatch apply
# protobuf kubeconfig cron cel; default all). Builds FuzzTesting/ with -sanitize=fuzzer (plus
# address with --address), then runs each target for N seconds (default 120) on
# FuzzTesting/Corpus/<target> (seeded from the committed FuzzTesting/Seeds/<target>), writing
# crashing inputs to FuzzTesting/Crashes/<target>/. Prints one line per target: runs, seconds,
# coverage (libFuzzer's cov/ft), corpus size and crashes. Exits 1 if any target crashed.
set -euo pipefail
cd "$(dirname "$0")/.."
ALL=(json quantity selectors jsonpatch mergepatch strategicpatch apply protobuf kubeconfig cron cel)
SECONDS_PER_TARGET=120
BUILD=1
SANITIZERS=fuzzer
TARGETS=()
while (($#)); do
    case $1 in
        --seconds) SECONDS_PER_TARGET=$2; shift 2 ;;
        --no-build) BUILD=0; shift ;;
        --address) SANITIZERS=fuzzer,address; shift ;;
        -h|--help) sed -n '2,12p' "$0"; exit 0 ;;
        *) TARGETS+=("$1"); shift ;;
    esac
done
((${#TARGETS[@]})) || TARGETS=("${ALL[@]}")
if ((BUILD)); then
    swift build -c debug --package-path FuzzTesting -Xswiftc -sanitize=$SANITIZERS -Xswiftc -parse-as-library
fi
BIN=$(swift build -c debug --package-path FuzzTesting --show-bin-path)
status=0
printf '%-15s %10s %8s %8s %8s %8s %s\n' target runs seconds cov ft corpus crashes
for target in "${TARGETS[@]}"; do
    exe="$BIN/Fuzz${target^}"
    [[ -x $exe ]] || { echo "no fuzz target $target ($exe)" >&2; exit 2; }
    corpus=FuzzTesting/Corpus/$target crashes=FuzzTesting/Crashes/$target
    mkdir -p "$corpus" "$crashes"
    cp -n FuzzTesting/Seeds/$target/* "$corpus"/ 2>/dev/null || true
    log=FuzzTesting/Crashes/$target.log
    start=$(date +%s)
    # -fork keeps fuzzing after a crash (each crash lands in $crashes); -timeout: an input that
    # takes more than 10 s is a finding too (unbounded work).
    "$exe" "$corpus" -max_total_time="$SECONDS_PER_TARGET" -timeout=10 -rss_limit_mb=2048 -max_len=4096 \
        -fork=1 -ignore_crashes=1 -ignore_timeouts=1 -ignore_ooms=1 \
        -artifact_prefix="$crashes/" -print_final_stats=1 >"$log" 2>&1 || true
    elapsed=$(($(date +%s) - start))
    last=$(grep -E '^#[0-9]+' "$log" | tail -1)
    runs=$(grep -oE '^#[0-9]+' <<<"$last" | tr -d '#' || true)
    cov=$(grep -oE 'cov: [0-9]+' <<<"$last" | grep -oE '[0-9]+' || true)
    ft=$(grep -oE 'ft: [0-9]+' <<<"$last" | grep -oE '[0-9]+' || true)
    found=$(find "$crashes" -type f | wc -l)
    printf '%-15s %10s %8s %8s %8s %8s %s\n' "$target" "${runs:-?}" "$elapsed" "${cov:-?}" "${ft:-?}" "$(ls "$corpus" | wc -l)" "$found"
    ((found == 0)) || status=1
done
exit $status
