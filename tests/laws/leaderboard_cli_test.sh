#!/bin/bash
# //laws:leaderboard end to end: a small board over the released runs in JSON (the keys, every
# split, a ranked row per form) and in text, and bad input giving one line naming the flag with
# exit code 2.
set -u
BOARD="$TEST_SRCDIR/datawall/laws/leaderboard"
TMP="${TEST_TMPDIR:-/tmp}"
fails=0
fail() { echo "FAIL: $*"; fails=$((fails + 1)); }

expect_usage_error() {
  local needle="$1"; shift
  "$@" >"$TMP/out" 2>"$TMP/err"; local rc=$?
  [[ $rc -eq 2 ]] || fail "exit $rc (want 2): $*"
  [[ $(wc -l <"$TMP/err") -eq 1 ]] || fail "want one error line: $* -> $(cat "$TMP/err")"
  grep -qF -- "$needle" "$TMP/err" || fail "error lacks '$needle': $(cat "$TMP/err")"
}

"$BOARD" --forms=chinchilla,decay_data_only --bootstrap=10 --threads=2 --format=json \
  >"$TMP/board.json" 2>"$TMP/board.err" || fail "leaderboard exit $?: $(tail -1 "$TMP/board.err")"
/usr/bin/python3 - "$TMP/board.json" <<'PY' || fail "leaderboard JSON"
import json, sys
d = json.load(open(sys.argv[1]))
assert d["runs"] == 182, d["runs"]
assert [s["name"] for s in d["splits"]] == ["params", "epochs", "flops", "unique_budget"]
assert len(d["splits"][3]["folds"]) == 5
p = d["provenance"]
assert p["subset"] == "in_fit_set" and p["bootstrap"] == 10 and p["forms"] == ["chinchilla", "decay_data_only"]
assert len(p["runs_checksum"]) == 16 and "commit" in p and "time" in p
assert sorted(r["form"] for r in d["ranking"]) == ["chinchilla", "decay_data_only"]
assert [r["rank"] for r in d["ranking"]] == [1, 2]
for r in d["ranking"]:
    assert r["mean_rank"] >= 1 and 0 <= r["mean_coverage"] <= 1
    for name, s in r["splits"].items():
        assert s["test_runs"] > 0 and s["rmse_log"] > 0 and s["max_abs_log"] >= s["rmse_log"], name
        assert 0 <= s["coverage_law_only"] <= 1 and 0 <= s["coverage"] <= 1
PY

"$BOARD" --runs="$TMP/none.csv" >"$TMP/out" 2>"$TMP/err"; [[ $? -eq 2 ]] || fail "missing runs file"
expect_usage_error "--forms: unknown form 'eq99'" "$BOARD" --forms=eq99
expect_usage_error "--bootstrap: must be at least 10" "$BOARD" --bootstrap=3
expect_usage_error "--flops_fraction: must be in (0, 1)" "$BOARD" --flops_fraction=1.5
expect_usage_error "--threads: must be at least 1" "$BOARD" --threads=0
expect_usage_error "--objective: must be huber or huber_mle" "$BOARD" --objective=l1
expect_usage_error "--format=xml: must be text or json" "$BOARD" --format=xml
printf 'key,params,tokens,unique_tokens,val_loss\na,1e8,1e9,1e9,3\nb,2e8,1e9,1e9,2.9\n' >"$TMP/tiny.csv"
expect_usage_error "no split of these runs has both sides" "$BOARD" --runs="$TMP/tiny.csv" \
  --min_runs_per_budget=5

if [[ $fails -eq 0 ]]; then echo "leaderboard_cli_test: all passed"; else echo "leaderboard_cli_test: $fails failed"; exit 1; fi
