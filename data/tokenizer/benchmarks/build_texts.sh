#!/bin/bash
# Copied from the project's shared baselines (baselines/build_texts.sh); only change: the texts go to
# $OUT (default data/work/tokbench under the repository root, gitignored) instead of ./data, and the
# lists are read from this directory's lists/.
# Build the tokenizer test texts from files that ship on this Debian 12 machine.
#   $OUT/prose.txt : English man pages, rendered by man-db as plain UTF-8 text (LC_ALL=C.UTF-8,
#                    MANWIDTH=80, `man -l FILE` writing to a pipe, so no pager and no bold/underline
#                    overstrikes; `col -bx` removes any left-over backspaces and expands tabs),
#                    each page followed by one blank line.
#   $OUT/code.txt  : Python 3.11 standard-library *.py files, concatenated, each followed by "\n".
# Which files, in which order: lists/prose.list and lists/code.list (committed). With the lists present the
# script renders exactly those files (so a rebuild on a machine with the same Debian packages gives the same
# bytes: check $OUT/SHA256SUMS against the figures in the report). With a list absent (or --discover) it
# makes the list anew:
#   prose: /usr/share/man/man{1,5,7,8}/*.gz except gcloud* (16k near-identical generated pages), byte-sorted
#          path order, cut at the first page boundary past TARGET (12,000,000) bytes;
#   code:  /usr/lib/python3.11/**/*.py except test/, idle_test/, lib2to3/tests/, site-packages/, dist-packages/,
#          byte-sorted path order, cut at the first file boundary past TARGET bytes (all 636 files = 10.9 MB
#          here, under TARGET).
# Rerun: bash build_texts.sh [--discover]     (about 1 minute; prints sizes and sha256 of both files)
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
OUT=${OUT:-$here/../../../data/work/tokbench}
mkdir -p "$OUT"
OUT=$(cd "$OUT" && pwd)
cd "$here"
mkdir -p lists
TARGET=${TARGET:-12000000}
DISCOVER=0; [ "${1:-}" = "--discover" ] && DISCOVER=1
export LC_ALL=C.UTF-8 LANG=C.UTF-8 MANWIDTH=80
unset MAN_KEEP_FORMATTING MANPAGER PAGER || true

# build KIND: reads lists/KIND.list (or discovers candidates), writes $OUT/KIND.txt
emit() { # KIND FILE
  if [ "$1" = prose ]; then man -l "$2" 2>/dev/null | col -bx; printf '\n'
  else cat "$2"; printf '\n'; fi
}
build() {
  local kind=$1 tmp n=0 f
  tmp=$(mktemp)
  if [ $DISCOVER = 0 ] && [ -s "lists/$kind.list" ]; then
    while IFS= read -r f; do
      [ -f "$f" ] || { echo "WARNING: $f is missing on this machine; text will differ" >&2; continue; }
      emit "$kind" "$f" >> "$tmp"; n=$((n+1))
    done < "lists/$kind.list"
  else
    if [ "$kind" = prose ]; then
      find /usr/share/man/man1 /usr/share/man/man5 /usr/share/man/man7 /usr/share/man/man8 \
           -maxdepth 1 -type f -name '*.gz' ! -name 'gcloud*' | LC_ALL=C sort > "$OUT/$kind.candidates"
    else
      find /usr/lib/python3.11 -type f -name '*.py' \
           ! -path '*/test/*' ! -path '*/idle_test/*' ! -path '*/lib2to3/tests/*' \
           ! -path '*/site-packages/*' ! -path '*/dist-packages/*' | LC_ALL=C sort > "$OUT/$kind.candidates"
    fi
    : > "lists/$kind.list"
    while IFS= read -r f; do
      emit "$kind" "$f" >> "$tmp"; n=$((n+1)); echo "$f" >> "lists/$kind.list"
      if [ "$(stat -c %s "$tmp")" -ge "$TARGET" ]; then break; fi
    done < "$OUT/$kind.candidates"
  fi
  chmod 644 "$tmp"; mv "$tmp" "$OUT/$kind.txt"
  echo "$kind: $n files, $(stat -c %s "$OUT/$kind.txt") bytes" >&2
}
build prose
build code
(cd "$OUT" && sha256sum prose.txt code.txt | tee SHA256SUMS)
