#!/usr/bin/env bash
# carry_debs.sh: unpacks the Debian packages the GPU machine's CMake build needs and lacks into
# one prefix, data/raw/gpu_debs/ (gitignored; one carry path), the way data/fetch.sh unpacks its
# Debian packages (dpkg-deb -x, a .unpacked stamp naming the .debs):
#   nlohmann-json3-dev                          JSON headers (train_throughput, tools/json)
#   libprotobuf-dev libprotobuf32 protobuf-compiler libprotoc32      records (train, run_plan)
#   libabsl-dev libabsl20220623                 flags, strings, status (train, run_plan)
#   libgoogle-glog-dev libgoogle-glog0v6 libgflags-dev libgflags2.2 libunwind8   logging (train)
# about 5 MB of .debs, 18 MB unpacked without static archives and documentation. CMakeLists.txt
# beside this file looks in data/raw/gpu_debs/usr for
# headers, libraries and protoc (and sets the binaries' rpath there). Where the packages are
# installed CMake uses the system's and this is not needed. Each .deb comes from data/raw/deb/,
# else apt's cache, else `apt-get download` (network).
#
#   bash experiments/training/gpu/carry_debs.sh [PACKAGE...]     (from anywhere; default: all above)
#
# Idempotent. Prints one line per package (directory and version); exits 1 when a .deb cannot be
# found or unpacked.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../../.." && pwd)"
raw=${DATAWALL_RAW:-$ROOT/data/raw}
die() { echo "carry_debs.sh: $*" >&2; exit 1; }
packages=("$@")
[ ${#packages[@]} -gt 0 ] || packages=(nlohmann-json3-dev libprotobuf-dev libprotobuf32 protobuf-compiler
                                       libprotoc32 libabsl-dev libabsl20220623 libgoogle-glog-dev
                                       libgoogle-glog0v6 libgflags-dev libgflags2.2 libunwind8)

# One prefix for all packages (a -dev package's libfoo.so links to the runtime package's file);
# rebuilt whenever the set of .debs differs from the one it was made from.
stamp=""
debs=()
for p in "${packages[@]}"; do
  deb=""
  for f in "$raw/deb/${p}"_*.deb /var/cache/apt/archives/"${p}"_*.deb; do
    [ -e "$f" ] && dpkg-deb --info "$f" >/dev/null 2>&1 && { deb=$f; break; }
  done
  if [ -z "$deb" ]; then
    command -v apt-get >/dev/null || die "no ${p} .deb in $raw/deb or apt's cache, and no apt-get"
    mkdir -p "$raw/deb"
    (cd "$raw/deb" && apt-get download -qq -o APT::Sandbox::User=root "$p") \
      || die "apt-get download $p failed (no network? put ${p}_*.deb in $raw/deb)"
    for f in "$raw/deb/${p}"_*.deb; do [ -e "$f" ] && deb=$f; done
    [ -n "$deb" ] || die "apt-get download left no ${p}_*.deb in $raw/deb"
  fi
  debs+=("$deb")
  stamp+="$(basename "$deb")"$'\n'
done
dst="$raw/gpu_debs"
if [ "$(cat "$dst/.unpacked" 2>/dev/null)" != "$stamp" ]; then
  rm -rf "$dst" "$dst.partial"
  mkdir -p "$dst.partial"
  for deb in "${debs[@]}"; do dpkg-deb -x "$deb" "$dst.partial" || die "$deb: dpkg-deb -x failed"; done
  # Only what a build links against: no static archives, no documentation (a smaller carry).
  find "$dst.partial" -name '*.a' -delete
  rm -rf "$dst.partial/usr/share/doc" "$dst.partial/usr/share/man"
  printf '%s' "$stamp" > "$dst.partial/.unpacked"
  mv "$dst.partial" "$dst"
fi
for deb in "${debs[@]}"; do
  echo "carry_debs.sh: $(dpkg-deb -f "$deb" Package) $(dpkg-deb -f "$deb" Version) in $dst"
done
