#!/bin/bash
# CLI test of //reports:paper: usage errors exit 2 with a one-line message naming the flag, and
# released runs that cannot be found (laws/released_runs.h) exit 2 with one line naming
# --runs_csv, DATAWALL_RUNS_CSV and the setup hook, before any work; a real run prints one
# progress line per section and no glog/Ceres lines.
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

# The released runs missing (named by the environment, as .bazelrc passes it to tests; the
# installed copy is not consulted then): one line naming every way to provide them, no report.
for needle in "--runs_csv" "DATAWALL_RUNS_CSV=$T/none.csv" "tools/setup.d/40-released-runs.sh"; do
  DATAWALL_RUNS_CSV="$T/none.csv" expect_usage "$needle" --out="$T/norun"
done
[ ! -e "$T/norun" ] || fail "a report was written without the released runs"
# The same through the flag, which wins over the environment.
expect_usage "--runs_csv=$T/none.csv" --out="$T/norun" --runs_csv="$T/none.csv"

# A real run (the released runs as the test environment finds them, few resamples): one progress
# line per section with its elapsed time on stderr, and no glog/Ceres lines (tools/cli/logging.h).
"$PAPER" --out="$T/report" --bootstrap_resamples=5 > "$T/out" 2> "$T/err" \
  || fail "the report exited $?: $(tail -3 "$T/err")"
for section in headline table1 coefficients allocation returns contours experiments plans; do
  grep -Eq "^\[ *[0-9]+\.[0-9]s\] $section\$" "$T/err" || fail "no progress line for $section: $(cat "$T/err")"
done
if grep -Eq '^[IWEF][0-9]{4} |Trying to extract roots' "$T/err"; then
  fail "glog/Ceres lines on stderr: $(grep -E '^[IWEF][0-9]{4} ' "$T/err" | head -3)"
fi
[ -s "$T/report/REPORT.md" ] || fail "no REPORT.md written"
echo "PASS"
