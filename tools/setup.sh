#!/usr/bin/env bash
# Installs everything datawall needs on a fresh Debian 12 machine, then checks and prints the
# versions the build relies on. Idempotent: safe to rerun; a rerun on a ready machine takes
# seconds. Needs root (apt). Exits non-zero with a message naming the failing step.
set -euo pipefail

here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
root=$(cd "$here/.." && pwd)

fail() { echo "setup.sh: $*" >&2; exit 1; }
step() { echo "== $*"; }

[ "$(id -u)" = 0 ] || fail "must run as root (it installs Debian packages with apt-get)"
command -v apt-get >/dev/null || fail "apt-get not found: datawall's setup targets Debian 12"

mapfile -t packages < <(sed -e 's/#.*//' -e 's/[[:space:]]//g' "$here/apt-packages.txt" | grep -v '^$')

missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if [ ${#missing[@]} -gt 0 ]; then
  step "installing ${#missing[@]} Debian packages: ${missing[*]}"
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq || fail "apt-get update failed (is Debian's archive reachable?)"
  apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null \
    || apt-get install -y -qq "${missing[@]}" >/dev/null \
    || fail "apt-get install failed for: ${missing[*]}"
else
  step "all ${#packages[@]} Debian packages already installed"
fi

# Data packages later steps add (npm tarballs, corpora) are fetched by their own scripts,
# listed here so one command prepares everything.
for hook in "$here"/setup.d/*.sh; do
  [ -e "$hook" ] || continue
  step "running $(basename "$hook")"
  bash "$hook" "$root" || fail "$(basename "$hook") failed"
done

step "checking versions"
check() {  # name, actual, required prefix
  local name=$1 actual=$2 want=$3
  [[ "$actual" == "$want"* ]] || fail "$name is '$actual', need $want.x"
  printf '  %-14s %s\n' "$name" "$actual"
}
ver() { dpkg-query -W -f='${Version}' "$1" 2>/dev/null || echo missing; }
bazel_version=$(ver bazel-bootstrap)  # Debian's bazel prints "no_version" itself
check bazel "$bazel_version" 4.
torch_h=/usr/include/torch/csrc/api/include/torch/version.h
torch_version=$(awk '/define TORCH_VERSION_(MAJOR|MINOR|PATCH)/ {v = v (v ? "." : "") $3} END {print v}' "$torch_h" 2>/dev/null || true)
check libtorch "$torch_version" 1.13
check ceres "$(ver libceres-dev)" 2.
check protobuf "$(protoc --version | awk '{print $2}')" 3.21
check abseil "$(ver libabsl-dev)" 20220623
check gtest "$(ver libgtest-dev)" 1.
check benchmark "$(ver libbenchmark-dev)" 1.
check g++ "$(g++ -dumpfullversion)" 12
echo "setup.sh: ready"
