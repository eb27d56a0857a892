#!/usr/bin/env bash
# carry_json.sh: unpacks Debian's nlohmann-json3-dev (nlohmann JSON, header only, MIT) into
# data/raw/root/nlohmann-json3-dev/ (gitignored), the way data/fetch.sh unpacks its Debian
# packages (dpkg-deb -x, a .unpacked stamp naming the .deb). The GPU machine has no such package:
# carry that directory with the tree and CMakeLists.txt beside this file finds
# usr/include/nlohmann/json.hpp there, for train_throughput (which prints through
# tools/json/finite.h). Where the package is installed CMake uses /usr/include and this is not
# needed. The .deb comes from data/raw/deb/, else apt's cache, else `apt-get download` (network).
#
#   bash experiments/training/gpu/carry_json.sh        (from anywhere)
#
# Idempotent. Prints one line naming the directory and the package version; exits 1 when no .deb
# can be found or unpacked.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../../.." && pwd)"
raw=${DATAWALL_RAW:-$ROOT/data/raw}
p=nlohmann-json3-dev
die() { echo "carry_json.sh: $*" >&2; exit 1; }

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

dst="$raw/root/$p"
if [ "$(cat "$dst/.unpacked" 2>/dev/null)" != "$(basename "$deb")" ]; then
  rm -rf "$dst" "$dst.partial"
  mkdir -p "$dst.partial"
  dpkg-deb -x "$deb" "$dst.partial" || die "$deb: dpkg-deb -x failed"
  basename "$deb" > "$dst.partial/.unpacked"
  mv "$dst.partial" "$dst"
fi
[ -f "$dst/usr/include/nlohmann/json.hpp" ] || die "$dst: no usr/include/nlohmann/json.hpp"
echo "carry_json.sh: $p $(dpkg-deb -f "$deb" Version) in $dst (carry it to the GPU machine)"
