#!/usr/bin/env bash
# run_plan's contract (experiments/sweep/run_plan_main.cc): it runs a plan made by the sweep CLI's
# dry run (JSON) or a sweep directory's plan.textproto with the local runner and the fake trainer;
# the records it leaves are the sweep's: `--summary_only` there finds every run complete and its
# summary equals that of a sweep that trained the runs itself. Placement flags are the sweep's
# (--devices with --runs_per_device give each trainer CUDA_VISIBLE_DEVICES); a rerun trains
# nothing; failed runs exit 3; bad input exits 2 with one line naming the flag or file.
set -uo pipefail
sweep=experiments/sweep/sweep
run_plan=experiments/sweep/run_plan
fake=tests/experiments/sweep/fake_train
spec=experiments/specs/return_isoflop_8b7.textproto
tmp=${TEST_TMPDIR:-/tmp}
failures=0
fail() { echo "FAIL: $*"; failures=$((failures + 1)); }

# expect CODE NEEDLE ARGS...: as in cli_test.sh, for run_plan.
expect() {
  local code=$1 needle=$2
  shift 2
  "$run_plan" "$@" >"$tmp/out" 2>"$tmp/err"
  local rc=$?
  [ "$rc" -eq "$code" ] || { fail "$* -> exit $rc, want $code"; cat "$tmp/err" | tail -5; return; }
  grep -qF -- "$needle" "$tmp/out" "$tmp/err" || { fail "$* -> output lacks '$needle'"; tail -3 "$tmp/err"; return; }
  if [ "$code" -eq 2 ] && [ "$(wc -l <"$tmp/err")" -ne 1 ]; then fail "$* -> error is not one line"; cat "$tmp/err"; fi
}

# The shards only need to exist (the fake trainer reads none).
root="$tmp/root"
mkdir -p "$root/data/work/shards/small384_max20"
touch "$root/data/work/shards/small384_max20/en_mix.train.shard" \
      "$root/data/work/shards/small384_max20/en_mix.validation.shard"
"$sweep" --experiment=$spec --scale=smoke --dry_run --format=json --out="$tmp/unused" >"$tmp/plan.json" ||
  fail "dry run"

expect 2 "--plan: required" --out="$tmp/a" --train_binary=$fake
expect 2 "--out: required" --plan="$tmp/plan.json" --train_binary=$fake
expect 2 "--train_binary: required" --plan="$tmp/plan.json" --out="$tmp/a"
expect 2 "--plan: " --plan=/nonexistent/plan.json --out="$tmp/a" --train_binary=$fake
echo '{"runs": [{"hash": 3' >"$tmp/broken.json"
expect 2 "$tmp/broken.json: not a plan in JSON" --plan="$tmp/broken.json" --out="$tmp/a" --train_binary=$fake
echo 'runs { nonsense: 1 }' >"$tmp/broken.textproto"
expect 2 "$tmp/broken.textproto: not a SweepPlan in text format" --plan="$tmp/broken.textproto" --out="$tmp/a" \
  --train_binary=$fake
echo '{"experiment": "x"}' >"$tmp/empty.json"
expect 2 "the plan has no runs" --plan="$tmp/empty.json" --out="$tmp/a" --train_binary=$fake
expect 2 "--runs_per_device: needs --devices" --plan="$tmp/plan.json" --out="$tmp/a" --train_binary=$fake \
  --runs_per_device=2
expect 2 "--workers=3 contradicts --devices x --runs_per_device = 4" --plan="$tmp/plan.json" --out="$tmp/a" \
  --train_binary=$fake --devices=0,1 --runs_per_device=2 --workers=3
expect 2 "--data_root: /nonexistent: not a directory" --plan="$tmp/plan.json" --out="$tmp/a" \
  --train_binary=$fake --data_root=/nonexistent
expect 2 "--bogus" --plan="$tmp/plan.json" --out="$tmp/a" --train_binary=$fake --bogus

# Failures exit 3; then the plan runs to the end, two trainers on "device" 7, and a rerun trains nothing.
run=(--plan="$tmp/plan.json" --out="$tmp/gpu_run" --train_binary=$fake --data_root="$root" --progress_every=0)
FAKE_TRAIN_EXIT_AFTER=1 FAKE_TRAIN_STEP_MS=0 expect 3 "failed" "${run[@]}" --max_attempts=1
FAKE_TRAIN_TIMELINE="$tmp/timeline" FAKE_TRAIN_STEP_MS=1 expect 0 "completed now" "${run[@]}" --devices=7 --runs_per_device=2
[ "$(cut -d' ' -f1 "$tmp/timeline" | sort -u)" = "7" ] || { fail "placement"; cat "$tmp/timeline"; }
expect 0 "3 already complete" "${run[@]}"

# The records come back to a checkout with the stack: the sweep summarises them as they are, and
# their final losses equal those of the sweep training the same plan itself.
"$sweep" --experiment=$spec --scale=smoke --out="$tmp/gpu_run" --summary_only --bootstrap=0 >"$tmp/summary.txt" 2>"$tmp/summary.err" ||
  { fail "--summary_only over run_plan's records"; cat "$tmp/summary.err"; }
grep -q "3 of 3 runs complete" "$tmp/summary.txt" || { fail "summary"; head -3 "$tmp/summary.txt"; }
FAKE_TRAIN_STEP_MS=0 "$sweep" --experiment=$spec --scale=smoke --train_binary=$fake --data_root="$root" \
  --out="$tmp/sweep_run" --bootstrap=0 --progress_every=0 >/dev/null 2>"$tmp/sweep.err" || { fail "sweep"; tail -3 "$tmp/sweep.err"; }
cut -d, -f1,13 "$tmp/gpu_run/runs.csv" >"$tmp/a.csv"
cut -d, -f1,13 "$tmp/sweep_run/runs.csv" >"$tmp/b.csv"
cmp -s "$tmp/a.csv" "$tmp/b.csv" || { fail "final losses differ"; diff "$tmp/a.csv" "$tmp/b.csv"; }

# The plan.textproto a sweep directory holds is a plan too.
rm -rf "$tmp/from_textproto"
FAKE_TRAIN_STEP_MS=0 expect 0 "completed now" --plan="$tmp/sweep_run/plan.textproto" --out="$tmp/from_textproto" \
  --train_binary=$fake --data_root="$root" --progress_every=0

if [ "$failures" -ne 0 ]; then echo "$failures failure(s)"; exit 1; fi
echo "PASS"
