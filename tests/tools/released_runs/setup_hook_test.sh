#!/bin/bash
# tools/setup.d/40-released-runs.sh in throwaway workspaces: installs from $DATAWALL_RUNS_CSV, from
# the mirror, and from a notebook URL (file://, extracted by our extractor); keeps a verified
# install; refuses a file with the wrong record count or checksum; and, with no source, prints one
# line saying what to download and where to put it. Every outcome is exactly one line and exit 0.
# The expected count/sha256 are those of fixture_expected.csv (DATAWALL_RUNS_EXPECT), since the
# real file cannot be part of a test that runs without it.
set -u
HOOK="$1" EXTRACT="$2" FIXTURE="$(realpath "$3")" GOOD="$4"
T="${TEST_TMPDIR:-$(mktemp -d)}"
fail() { echo "FAIL: $*"; exit 1; }
export DATAWALL_RUNS_EXPECT="$(( $(wc -l < "$GOOD") - 1 )) $(sha256sum "$GOOD" | awk '{print $1}')"
unset DATAWALL_RUNS_CSV DATAWALL_RUNS_MIRROR DATAWALL_RUNS_NOTEBOOK_URL
n=0

workspace() {  # a fresh workspace with the extractor where the hook looks for it
  n=$((n + 1)); W="$T/w$n"
  mkdir -p "$W/tools/released_runs" && cp "$EXTRACT" "$W/tools/released_runs/extract_runs.py"
}
run_hook() {  # run_hook <text the one line must contain> [VAR=value...]
  local want="$1"; shift
  env "$@" bash "$HOOK" "$W" > "$T/out" 2>&1
  local rc=$?
  [ "$rc" = 0 ] || fail "exit $rc: $(cat "$T/out")"
  [ "$(wc -l < "$T/out")" = 1 ] || fail "not one line: $(cat "$T/out")"
  grep -qF -- "$want" "$T/out" || fail "line lacks '$want': $(cat "$T/out")"
}
installed() { cmp -s "$W/data/raw/datablations/runs.csv" "$GOOD" || fail "not installed"; }
absent() { [ ! -e "$W/data/raw/datablations/runs.csv" ] || fail "installed a bad file"; }
none="DATAWALL_RUNS_MIRROR=$T/no/mirror.csv"
offline="DATAWALL_RUNS_NOTEBOOK_URL=file://$T/no/parametric_fit.ipynb"

# From $DATAWALL_RUNS_CSV, then idempotent.
workspace
run_hook "installed data/raw/datablations/runs.csv from \$DATAWALL_RUNS_CSV" \
  DATAWALL_RUNS_CSV="$GOOD" "$none" "$offline"
installed
run_hook "already installed" "$none" "$offline"
installed

# From the mirror (a ../shared/datablations/runs.csv beside the workspace by default).
workspace
mkdir -p "$T/shared/datablations" && cp "$GOOD" "$T/shared/datablations/runs.csv"
run_hook "from the mirror" "$offline"  # default mirror: $W/../shared/datablations/runs.csv
installed
workspace
cp "$GOOD" "$T/good_copy"
run_hook "from the mirror $T/good_copy" DATAWALL_RUNS_MIRROR="$T/good_copy" "$offline"
installed
rm -rf "$T/shared"

# From the notebook URL (file:// here; GitHub by default), through our extractor.
workspace
run_hook "extracted by tools/released_runs/extract_runs.py" "$none" \
  DATAWALL_RUNS_NOTEBOOK_URL="file://$FIXTURE"
installed

# A wrong checksum or record count is refused, in one line, and nothing is installed.
workspace
sed 's/3.265024/3.265025/' "$GOOD" > "$T/badsum.csv"
run_hook "sha256" DATAWALL_RUNS_CSV="$T/badsum.csv" "$none" "$offline"
absent
head -n 5 "$GOOD" > "$T/short.csv"
run_hook "4 records, expected" DATAWALL_RUNS_MIRROR="$T/short.csv" "$offline"
absent

# An installed file that does not verify is moved aside, then replaced.
cp "$T/badsum.csv" "$W/runs.tmp" && mkdir -p "$W/data/raw/datablations" \
  && mv "$W/runs.tmp" "$W/data/raw/datablations/runs.csv"
run_hook "moved the installed file aside" DATAWALL_RUNS_CSV="$GOOD" "$none" "$offline"
installed
cmp -s "$W/data/raw/datablations/runs.csv.rejected" "$T/badsum.csv" || fail "rejected copy lost"

# No source at all: one line naming what to download and where to put it.
workspace
run_hook "download" "$none" "$offline"
grep -qF "parametric_fit.ipynb" "$T/out" || fail "does not name the notebook: $(cat "$T/out")"
grep -qF "data/raw/datablations/runs.csv" "$T/out" || fail "does not name the place: $(cat "$T/out")"
grep -qF "DATAWALL_RUNS_CSV" "$T/out" || fail "does not name DATAWALL_RUNS_CSV: $(cat "$T/out")"
absent
echo PASS
