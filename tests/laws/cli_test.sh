#!/bin/bash
# //laws:fit and //laws:evaluate end to end: good runs in text and JSON, and bad input giving a
# one-line error naming the flag/file/row with exit code 2. Without --runs both read the paper's
# released runs (laws/released_runs.h); when those are missing, one line names --runs_csv,
# DATAWALL_RUNS_CSV and the setup hook.
set -u
FIT="$TEST_SRCDIR/datawall/laws/fit"
EVALUATE="$TEST_SRCDIR/datawall/laws/evaluate"
TMP="${TEST_TMPDIR:-/tmp}"
fails=0
fail() { echo "FAIL: $*"; fails=$((fails + 1)); }

# expect_usage_error NEEDLE CMD...: exit 2, one stderr line containing NEEDLE.
expect_usage_error() {
  local needle="$1"; shift
  "$@" >"$TMP/out" 2>"$TMP/err"; local rc=$?
  [[ $rc -eq 2 ]] || fail "exit $rc (want 2): $*"
  [[ $(wc -l <"$TMP/err") -eq 1 ]] || fail "want one error line: $* -> $(cat "$TMP/err")"
  grep -qF -- "$needle" "$TMP/err" || fail "error lacks '$needle': $(cat "$TMP/err")"
}

# A fit in JSON: the issue's keys, and the acceptance objective.
"$FIT" --subset=in_fit_set --fixed=a,b,e,alpha,beta --format=json \
  --bootstrap=20 --out="$TMP/law.textproto" --ci_out="$TMP/ci.csv" >"$TMP/fit.json" \
  || fail "fit exit $?"
[[ "$(head -1 "$TMP/ci.csv")" == "name,estimate,lower,upper,median" && $(wc -l <"$TMP/ci.csv") -eq 3 ]] \
  || fail "--ci_out: $(cat "$TMP/ci.csv")"
/usr/bin/python3 - "$TMP/fit.json" <<'PY' || fail "fit JSON"
import json, sys
d = json.load(open(sys.argv[1]))
for k in ["law", "coefficients", "objective", "r2", "rmse_log", "n_runs", "minima", "ci"]:
    assert k in d, k
assert d["law"] == "data_constrained" and d["n_runs"] == 182
assert set(d["coefficients"]) == {"a", "b", "e", "alpha", "beta", "rd_star", "rn_star", "A", "B", "E"}
assert d["objective"] <= 0.0158260 and len(d["minima"]) >= 3
assert set(d["ci"]["intervals"]) == {"rd_star", "rn_star"}
PY
grep -q "bootstrap_sample" "$TMP/law.textproto" || fail "--out lacks bootstrap samples"

# The written law file evaluates to the fit's objective; the paper's law to R^2 0.7722.
"$EVALUATE" --subset=in_fit_set --law="$TMP/law.textproto" --format=json \
  >"$TMP/eval.json" || fail "evaluate exit $?"
cat >"$TMP/paper.textproto" <<'LAW'
form: DATA_CONSTRAINED
coefficient { name: "a" value: 6.255414 }
coefficient { name: "b" value: 7.3049974 }
coefficient { name: "e" value: 0.6254804 }
coefficient { name: "alpha" value: 0.3526596 }
coefficient { name: "beta" value: 0.3526596 }
coefficient { name: "rd_star" value: 15.387756 }
coefficient { name: "rn_star" value: 5.309743 }
LAW
"$EVALUATE" --subset=in_fit_set --law="$TMP/paper.textproto" >"$TMP/eval.txt" \
  || fail "evaluate text exit $?"
grep -q "R^2 0.7722" "$TMP/eval.txt" || fail "paper R^2: $(head -1 "$TMP/eval.txt")"
grep -q "objective 0.01582593" "$TMP/eval.txt" || fail "paper objective: $(head -1 "$TMP/eval.txt")"

# Text output with profile and held-out validation.
"$FIT" --subset=in_fit_set --fixed=a,b,e,alpha,beta --profile_out="$TMP/p.csv" \
  --holdout='params<1e9' >"$TMP/fit.txt" || fail "fit text exit $?"
grep -q "^ridge" "$TMP/fit.txt" || fail "no profile in text output"
grep -q "^held-out (params<1e+09)" "$TMP/fit.txt" || fail "no held-out report"
[[ $(wc -l <"$TMP/p.csv") -eq 1682 ]] || fail "profile CSV rows: $(wc -l <"$TMP/p.csv")"

# Table 1, one row, in JSON: the paper's R^2 reproduced and the refit at least as good.
"$FIT" --table1=eq14 --format=json >"$TMP/t1.json" || fail "table1 exit $?"
/usr/bin/python3 - "$TMP/t1.json" <<'PY' || fail "table1 JSON"
import json, sys
rows = json.load(open(sys.argv[1]))
assert len(rows) == 1 and rows[0]["variant"] == "eq14", rows
r = rows[0]
assert round(r["r2_at_paper_constants"], 4) == r["paper_r2"] == 0.7722
assert r["refit"]["objective"] <= 0.0158260 and r["refit"]["converged"]
PY

# Every form fits from the command line (a, b, alpha, beta frozen; e and the form's own
# coefficients free), and its JSON names every coefficient of the form.
for form in chinchilla data_constrained no_decay decay_data_only decay_params_only geometric \
    explicit_exponential alpha_beta_decay overfitting_penalty; do
  grid=""
  [[ $form == alpha_beta_decay ]] && grid='rd_star=1000,30000;rn_star=1000,30000'
  "$FIT" --subset=in_fit_set --law=$form --fixed=a,b,alpha,beta --grid="$grid" \
    --format=json >"$TMP/$form.json" 2>"$TMP/$form.err"; rc=$?
  [[ $rc -eq 0 ]] || fail "fit --law=$form exit $rc: $(cat "$TMP/$form.err")"
  /usr/bin/python3 -c "import json,sys; d=json.load(open(sys.argv[1])); assert d['law']==sys.argv[2] and d['converged'] and d['objective'] > 0" \
    "$TMP/$form.json" $form || fail "fit --law=$form JSON"
done

# Bad input.
printf 'key,params,tokens,unique_tokens,val_loss\nr1,1e8,2e9,1e9,3\nr2,1e8,1e9,2e9,3\n' >"$TMP/bad.csv"
printf 'key,params,tokens,unique_tokens,val_loss\nr1,1e8,2e9,1e9,x\n' >"$TMP/nonnum.csv"
printf 'form: DATA_CONSTRAINED\ncoefficient { name: "a" value: 1 }\n' >"$TMP/short.textproto"
printf 'form: NOPE\n' >"$TMP/garbled.textproto"
# The released runs missing: one line naming every way to provide them, from both CLIs.
for missing in "--runs_csv=$TMP/none.csv" "--subset=in_fit_set"; do
  for needle in "--runs_csv" "DATAWALL_RUNS_CSV" "tools/setup.d/40-released-runs.sh" "$TMP/none.csv"; do
    expect_usage_error "$needle" env DATAWALL_RUNS_CSV="$TMP/none.csv" "$FIT" "$missing"
  done
done
expect_usage_error "DATAWALL_RUNS_CSV=$TMP/none.csv" env DATAWALL_RUNS_CSV="$TMP/none.csv" \
  "$EVALUATE" --law="$TMP/paper.textproto"
expect_usage_error "bad.csv:3 (key 'r2'): unique_tokens" "$FIT" --runs="$TMP/bad.csv"
expect_usage_error "nonnum.csv:2: column 'val_loss' is not a number" "$FIT" --runs="$TMP/nonnum.csv"
expect_usage_error "cannot open" "$FIT" --runs="$TMP/missing.csv"
expect_usage_error "--subset: " "$FIT" --subset=nope
expect_usage_error ": no column 'nope'" "$FIT" --subset=nope
expect_usage_error "--law: unknown form 'eq99'" "$FIT" --law=eq99
expect_usage_error "--fixed: form data_constrained has no coefficient 'gamma'" "$FIT" --fixed=gamma
expect_usage_error "--grid: 'x' is not a number" "$FIT" --grid='rd_star=1,x'
expect_usage_error "--format=xml: must be text or json" "$FIT" --format=xml
expect_usage_error "--format=yaml: must be text or json" "$EVALUATE" --format=yaml
expect_usage_error "--budgets=1e21,x: 'x' is not a finite number" "$FIT" --budgets=1e21,x
expect_usage_error "--bootstrap=many" "$FIT" --bootstrap=many
expect_usage_error "--bootstrap" "$FIT" --bootstrap=-1
expect_usage_error "--ci_out: needs --bootstrap=N" "$FIT" --ci_out="$TMP/x.csv"
expect_usage_error "--holdout" "$FIT" --holdout='params>3'
expect_usage_error "--init" "$FIT" --init="$TMP/short.textproto"
expect_usage_error "--profile: form chinchilla" "$FIT" --law=chinchilla --profile
expect_usage_error "--threads" "$FIT" --threads=0
expect_usage_error "--objective: must be huber or huber_mle" "$FIT" --objective=l2
expect_usage_error "--objective: huber_mle needs the line-search (bfgs) method" "$FIT" \
  --objective=huber_mle --method=lm
expect_usage_error "--nosuchflag" "$FIT" --nosuchflag=1
expect_usage_error "--table1" "$FIT" --table1=eq99
expect_usage_error "starts exceed max_starts" "$FIT" --law=overfitting_penalty
expect_usage_error "--law: required" "$EVALUATE"
expect_usage_error "needs coefficient 'b'" "$EVALUATE" --law="$TMP/short.textproto"
expect_usage_error "garbled.textproto" "$EVALUATE" --law="$TMP/garbled.textproto"
expect_usage_error "bad.csv:3" "$EVALUATE" --runs="$TMP/bad.csv" --law="$TMP/paper.textproto"

# A fit that cannot converge in its iteration budget says so (exit 3) and writes no law file.
"$FIT" --subset=in_fit_set --fixed=a,b,e,alpha,beta --grid='rd_star=3;rn_star=30' \
  --max_iterations=1 --out="$TMP/nc.textproto" >"$TMP/nc.txt" 2>"$TMP/nc.err"; rc=$?
[[ $rc -eq 3 ]] || fail "non-converged exit $rc (want 3)"
grep -q "NOT CONVERGED" "$TMP/nc.txt" || fail "non-converged fit not marked"
[[ ! -e "$TMP/nc.textproto" ]] || fail "law file written for a non-converged fit"

if [[ $fails -eq 0 ]]; then echo "cli_test: all passed"; else echo "cli_test: $fails failed"; exit 1; fi
