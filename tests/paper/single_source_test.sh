#!/bin/bash
# No paper constant is written down twice: every number paper/paper.h writes with three or more
# decimals (App. B and App. A coefficients, Table 1's constants, objectives and R^2, the
# published optima, the grid's 1.0001, ...), and the Chinchilla counts of Table 15's largest
# models, must not appear as a literal in any .cc or .h outside paper/ and tests/ (comments are
# ignored: a comment may quote a value). Fails naming file:line and the literal.
#   bazel test -c opt //tests/paper:single_source_test
# Run by Bazel it first checks that a planted constant is caught; with an argument (a directory)
# it checks that tree instead of the workspace.
set -u
TMP="$(mktemp -d "${TEST_TMPDIR:-/tmp}/single_source.XXXXXX")"
if [[ $# -ge 1 ]]; then
  ROOT="$1"
else
  # The workspace, through the runfile link of //:WORKSPACE (or beside this script).
  if [[ -n "${TEST_SRCDIR:-}" ]]; then
    ROOT="$(dirname "$(readlink -f "$TEST_SRCDIR/datawall/WORKSPACE")")"
  else
    ROOT="$(cd "$(dirname "$0")/../.." && pwd)"
  fi
  # First, that the check can fail: a tree with paper.h and one planted constant (R_D* in code,
  # R^2 in a comment, which is allowed) must fail on exactly the planted line.
  mkdir -p "$TMP/planted/paper" "$TMP/planted/sim"
  cp "$ROOT/paper/paper.h" "$TMP/planted/paper/"
  printf '// R^2 0.7722 quoted in a comment\nconst double kRd = 15.387756;\n' \
    >"$TMP/planted/sim/planted.cc"
  planted_out=$("$0" "$TMP/planted")
  planted_rc=$?
  if [[ $planted_rc -ne 1 || "$planted_out" != *"sim/planted.cc:2: paper constant(s) 15.387756"* ||
        "$planted_out" == *"planted.cc:1"* ]]; then
    echo "FAIL: the planted constant was not reported as expected (exit $planted_rc):"
    echo "$planted_out"
    exit 1
  fi
fi
PAPER="$ROOT/paper/paper.h"
[[ -f "$PAPER" ]] || { echo "FAIL: no $PAPER"; exit 1; }

# The literals, from paper.h's code (its comments stripped), plus Table 15's distinctive counts.
sed 's://.*$::' "$PAPER" | grep -oE '\b[0-9]+\.[0-9]{3,}(e[0-9]+)?\b' | sort -u >"$TMP/literals"
printf '%s\n' 11452 12295 12569 13735 14940 16183 >>"$TMP/literals"
n=$(wc -l <"$TMP/literals")
# A guard against a vacuous pass (paper.h moved, the pattern broken): it holds ~60 such numbers.
[[ $n -ge 40 ]] || { echo "FAIL: only $n literals found in $PAPER"; exit 1; }

hits=0
while IFS= read -r -d '' f; do
  rel="${f#"$ROOT"/}"
  while IFS= read -r line; do
    num="${line%%:*}"
    text="${line#*:}"
    lits=$(printf '%s\n' "$text" | grep -owF -f "$TMP/literals" | sort -u | tr '\n' ' ')
    echo "FAIL: $rel:$num: paper constant(s) ${lits% } written outside paper/paper.h (use paper::)"
    hits=$((hits + 1))
  done < <(sed 's://.*$::' "$f" | grep -nwF -f "$TMP/literals")
done < <(find "$ROOT" \( -path "$ROOT/paper" -o -path "$ROOT/tests" -o -path "$ROOT/bazel-*" \
                          -o -path "$ROOT/.git" \) -prune -o \
                       -type f \( -name '*.cc' -o -name '*.h' \) -print0)
if [[ $hits -gt 0 ]]; then
  echo "$hits line(s) duplicate paper constants"
  exit 1
fi
echo "PASS: $n paper literals, none outside paper/"
