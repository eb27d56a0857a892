#!/bin/bash
# tools/released_runs/extract_runs.py on a small notebook shaped like the authors' (fixture.ipynb:
# a seed replicate, two 'opt' runs, a dedup run, an unfinished run with loss 0, outliers left out
# of the fit-set dict, a commented-out entry, a shell line, a Python 2 cell and a later older
# dict): the output must equal fixture_expected.csv byte for byte. Then the one-line errors.
set -u
EXTRACT="$1" FIXTURE="$2" EXPECTED="$3"
T="${TEST_TMPDIR:-$(mktemp -d)}"
fail() { echo "FAIL: $*"; exit 1; }

/usr/bin/python3 "$EXTRACT" "$FIXTURE" "$T/out.csv" 2> "$T/err" || fail "exit $?: $(cat "$T/err")"
cmp "$T/out.csv" "$EXPECTED" || { diff "$T/out.csv" "$EXPECTED"; fail "output differs"; }
/usr/bin/python3 "$EXTRACT" "$FIXTURE" > "$T/stdout.csv" || fail "stdout mode failed"
cmp "$T/stdout.csv" "$EXPECTED" || fail "stdout output differs"

expect_error() {  # expect_error <text in the message> <notebook file>
  /usr/bin/python3 "$EXTRACT" "$2" "$T/x.csv" > "$T/out" 2> "$T/err"
  local rc=$?
  [ "$rc" = 2 ] || fail "$2: exit $rc, not 2"
  [ "$(wc -l < "$T/err")" = 1 ] || fail "$2: not one line: $(cat "$T/err")"
  grep -qF -- "$1" "$T/err" || fail "$2: message lacks '$1': $(cat "$T/err")"
}
echo 'not json' > "$T/bad.ipynb"
expect_error "not a notebook" "$T/bad.ipynb"
expect_error "cannot read" "$T/missing.ipynb"
# Without the "outliers removed" heading there is no fit set.
sed 's/outliers removed/all runs/' "$FIXTURE" > "$T/noheading.ipynb"
expect_error "outliers removed" "$T/noheading.ipynb"
# A run whose name has no known parameter prefix.
sed 's/7m100m100m/9q100m100m/g' "$FIXTURE" > "$T/prefix.ipynb"
expect_error "9q100m100m" "$T/prefix.ipynb"
# A fit-set run that is not among all runs.
sed 's/#\\"2b836b100m\\": 1.069564E+01,/\\"1b11b5400m\\": 3.7,/' "$FIXTURE" > "$T/extra.ipynb"
grep -q '1b11b5400m' "$T/extra.ipynb" || fail "fixture edit did not apply"
expect_error "1b11b5400m" "$T/extra.ipynb"
echo PASS
