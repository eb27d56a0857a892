#!/bin/bash
# CLI test of //reports:paper: usage errors exit 2 with a one-line message naming the flag, and a
# missing default runs.csv gives a report with a clear note instead of a crash.
set -u
PAPER="$1"
T="${TEST_TMPDIR:-$(mktemp -d)}"
fail() { echo "FAIL: $*"; exit 1; }

expect_usage() {  # expect_usage <flag named in the message> <args...>
  local name="$1"; shift
  "$PAPER" "$@" > "$T/out" 2> "$T/err"
  local rc=$?
  [ "$rc" = 2 ] || fail "'$*' exited $rc, not 2: $(cat "$T/err")"
  [ "$(wc -l < "$T/err")" = 1 ] || fail "'$*' printed more than one line: $(cat "$T/err")"
  grep -q -- "$name" "$T/err" || fail "'$*' message does not name $name: $(cat "$T/err")"
}

expect_usage "--out" 
expect_usage "--bogus" --bogus --out="$T/r"
expect_usage "--runs_csv" --out="$T/r" --runs_csv=/nonexistent/runs.csv
expect_usage "--bootstrap_resamples" --out="$T/r" --bootstrap_resamples=-1
expect_usage "--threads" --out="$T/r" --threads=0
expect_usage "unexpected argument" --out="$T/r" extra
printf 'key,params\nx,1\n' > "$T/bad.csv"
expect_usage "--runs_csv" --out="$T/r" --runs_csv="$T/bad.csv"

# No runs.csv where the default points: a report with a note, exit 0.
mkdir -p "$T/empty_shared"
DATAWALL_SHARED="$T/empty_shared" "$PAPER" --out="$T/norun" > "$T/out" 2> "$T/err" \
  || fail "missing default runs.csv must not fail: $(cat "$T/err")"
grep -q "could not be read" "$T/norun/REPORT.md" || fail "REPORT.md lacks the missing-runs note"
grep -q "Table 1 as published" "$T/norun/REPORT.md" || fail "REPORT.md lacks the published Table 1"
grep -q "<svg" "$T/norun/index.html" || fail "index.html has no figures"
echo "PASS"
