#!/usr/bin/env bash
# Builds `kubectl-slipway` in release mode, packs it as krew expects, and writes a copy of
# plugins/krew/slipway.yaml with the archive's sha256 beside it (docs/plugin.md):
#
#   scripts/package-plugin.sh
#   kubectl krew install --manifest=.build/plugin/slipway.yaml --archive=.build/plugin/kubectl-slipway-linux-amd64.tar.gz
#
# Without krew, copying the binary onto PATH is all kubectl needs:
#   install -m 0755 "$(swift build -c release --show-bin-path)/kubectl-slipway" ~/.local/bin/
set -euo pipefail
cd "$(dirname "$0")/.."

swift build -c release --product kubectl-slipway
bin="$(swift build -c release --show-bin-path)/kubectl-slipway"
out=.build/plugin
mkdir -p "$out"
os=$(uname -s | tr '[:upper:]' '[:lower:]')
case "$(uname -m)" in x86_64) arch=amd64 ;; aarch64 | arm64) arch=arm64 ;; *) arch=$(uname -m) ;; esac
archive="$out/kubectl-slipway-$os-$arch.tar.gz"
cp "$bin" "$out/kubectl-slipway"
tar -C "$out" -czf "$archive" kubectl-slipway
sum=$(sha256sum "$archive" | cut -d' ' -f1)
sed -e "s/^\(    sha256: \).*/\1\"$sum\"/" -e "s/{os: linux, arch: amd64}/{os: $os, arch: $arch}/" \
    -e "s/kubectl-slipway-linux-amd64/kubectl-slipway-$os-$arch/" plugins/krew/slipway.yaml >"$out/slipway.yaml"
echo "packed $archive (sha256 $sum) and $out/slipway.yaml"
