#!/usr/bin/env bash
# The sweep CLI's contract: bad input exits 2 with one line naming the flag or file; --dry_run
# prints the plan (text and JSON) and runs nothing; the paper scale only plans; with a trainer
# (the fake one) failed runs exit 3 and a finished sweep 0, runs.csv is written either way, and a
# copy of the finished results elsewhere, without data, is complete as it is (exit 0, nothing
# prepared or trained).
set -uo pipefail
sweep=experiments/sweep/sweep
spec=experiments/specs/return_isoflop_8b7.textproto
tmp=${TEST_TMPDIR:-/tmp}
failures=0

# expect CODE NEEDLE ARGS...: runs the CLI, checks the exit code and that NEEDLE is in its
# output (stderr for errors), and for errors that stderr is one line.
expect() {
  local code=$1 needle=$2
  shift 2
  "$sweep" "$@" >"$tmp/out" 2>"$tmp/err"
  local rc=$?
  if [ "$rc" -ne "$code" ]; then
    echo "FAIL: $* -> exit $rc, want $code"; cat "$tmp/err"; failures=$((failures + 1)); return
  fi
  if ! grep -qF -- "$needle" "$tmp/out" "$tmp/err"; then
    echo "FAIL: $* -> output lacks '$needle'"; cat "$tmp/out" "$tmp/err" | head -5; failures=$((failures + 1)); return
  fi
  if [ "$code" -eq 2 ] && [ "$(wc -l <"$tmp/err")" -ne 1 ]; then
    echo "FAIL: $* -> error is not one line"; cat "$tmp/err"; failures=$((failures + 1))
  fi
}

expect 2 "--scale: required" --experiment=$spec
expect 2 "--experiment: required" --scale=cpu
expect 2 '--scale: experiment return_isoflop_8b7 has no scale "huge"' --experiment=$spec --scale=huge
expect 2 "--format: must be text or json" --experiment=$spec --scale=cpu --format=xml
expect 2 "--workers: must be at least 1" --experiment=$spec --scale=cpu --workers=-1
expect 2 "--workers=3 contradicts --devices x --runs_per_device = 4" --experiment=$spec --scale=gpu \
  --devices=0,1 --runs_per_device=2 --workers=3
expect 2 "--runs_per_device: needs --devices" --experiment=$spec --scale=gpu --runs_per_device=2
expect 2 "--runs_per_device: must be at least 1" --experiment=$spec --scale=gpu --devices=0 --runs_per_device=-2
expect 2 "/nonexistent/x.textproto" --experiment=/nonexistent/x.textproto --scale=cpu
printf 'name: "x"\nkind: ALLOCATION\nepochs: [1, oops]\n' >"$tmp/bad.textproto"
expect 2 "$tmp/bad.textproto: 3:" --experiment="$tmp/bad.textproto" --scale=cpu
expect 2 "--bogus" --experiment=$spec --scale=cpu --bogus
expect 2 "--scale=paper: the paper's grid needs" --experiment=$spec --scale=paper --out="$tmp/paper"
expect 2 "--train_binary: required" --experiment=$spec --scale=smoke --out="$tmp/smoke"
expect 2 "--law:" --experiment=$spec --scale=paper --dry_run --law=/nonexistent/law.textproto
expect 2 "--throughput:" --experiment=$spec --scale=cpu --dry_run --throughput=/nonexistent/t.txt

# Dry runs: every experiment at every scale, nothing written.
for e in allocation_100m allocation_400m allocation_1b5 return_isoflop_2b8 return_isoflop_4b2 \
         return_isoflop_8b7 complementary_code; do
  for scale in smoke cpu gpu paper; do
    expect 0 "$e at scale $scale" --experiment=experiments/specs/$e.textproto --scale=$scale \
      --dry_run --out="$tmp/dry" --throughput=experiments/plan/cpu_throughput.txt
  done
done
[ -e "$tmp/dry" ] && { echo "FAIL: --dry_run wrote $tmp/dry"; failures=$((failures + 1)); }

# The similarity card (experiments/plan/similarity.h) in the dry run; a cpu scale marked gpu
# scale only is planned but never run (one line, exit 2); a bad calibration file is bad input.
a1b5=experiments/specs/allocation_1b5.textproto
expect 0 "similarity card" --experiment=$spec --scale=cpu --dry_run --out="$tmp/dry"
expect 0 "gpu scale only: " --experiment=$a1b5 --scale=cpu --dry_run --out="$tmp/dry"
expect 2 "--scale=cpu: gpu scale only (" --experiment=$a1b5 --scale=cpu --out="$tmp/g1b5" \
  --train_binary=tests/experiments/sweep/fake_train
expect 2 "--validation_std:" --experiment=$spec --scale=cpu --dry_run --out="$tmp/dry" \
  --validation_std=/nonexistent/v.txt
"$sweep" --experiment=$spec --scale=cpu --dry_run --format=json --out="$tmp/dry" \
  --throughput=experiments/plan/cpu_throughput.txt \
  --validation_std=experiments/plan/validation_loss_std.txt >"$tmp/card.json" || failures=$((failures + 1))
/usr/bin/python3 - "$tmp/card.json" <<'PY' || failures=$((failures + 1))
import json, sys
plan = json.load(open(sys.argv[1]))
card = plan["card"]
assert len(card["runs"]) == len(plan["runs"]), card
assert card["rules_applied"] and card["violations"] == [], card["violations"]
assert card["val_se_calibrated"] and card["max_expected_val_se"] > 0, card
print("card.json ok")
PY
[ -e "$tmp/dry" ] || [ -e "$tmp/g1b5" ] && { echo "FAIL: a dry run or a refused run wrote files"; failures=$((failures + 1)); }

# Paper scale: per-run FLOPs, GPU-hours and the paper law's prediction, in text and JSON.
expect 0 "8b7178b4b" --experiment=$spec --scale=paper --dry_run
expect 0 "GPU-hours at 40% MFU" --experiment=$spec --scale=paper --dry_run
"$sweep" --experiment=$spec --scale=paper --dry_run --format=json --mfu=0.5 >"$tmp/plan.json" || failures=$((failures + 1))
/usr/bin/python3 - "$tmp/plan.json" <<'PY' || failures=$((failures + 1))
import json, sys
plan = json.load(open(sys.argv[1]))
runs = plan["runs"]
assert len(runs) == 8, len(runs)
for r in runs:
    flops = 6 * int(r["params"]) * int(r["spec"]["total_tokens"])
    assert abs(r["flops"] - flops) <= 1e-9 * flops, r
    assert abs(r["gpu_hours"] - flops / (0.5 * 989e12) / 3600) <= 1e-9 * r["gpu_hours"], r
    assert 2.0 < r["predicted_loss"] < 3.0, r
# More repetition at equal compute: a higher predicted loss (paper law, R_D* = 15.4).
losses = [r["predicted_loss"] for r in runs]
assert losses == sorted(losses), losses
assert plan["mfu"] == 0.5
print("plan.json ok")
PY

# Running with the fake trainer (tests/experiments/sweep/fake_train.cc) at smoke scale. The
# shards only need to exist (the fake trainer reads none).
fake=tests/experiments/sweep/fake_train
root="$tmp/root"
mkdir -p "$root/data/work/shards/small384_max20"
touch "$root/data/work/shards/small384_max20/en_mix.train.shard" \
      "$root/data/work/shards/small384_max20/en_mix.validation.shard"
run=(--experiment=$spec --scale=smoke --train_binary=$fake --data_root="$root" --out="$tmp/sw"
     --bootstrap=0 --progress_every=0)
FAKE_TRAIN_EXIT_AFTER=1 FAKE_TRAIN_STEP_MS=0 expect 3 "failed" "${run[@]}" --max_attempts=1
grep -q "^hash,name,params," "$tmp/sw/runs.csv" && ! grep -q ",true,true," "$tmp/sw/runs.csv" ||
  { echo "FAIL: runs.csv after failed runs"; cat "$tmp/sw/runs.csv"; failures=$((failures + 1)); }
FAKE_TRAIN_STEP_MS=0 expect 0 "3 of 3 runs complete" "${run[@]}"
[ "$(grep -c ",true,true," "$tmp/sw/runs.csv")" -eq 3 ] ||
  { echo "FAIL: runs.csv after a finished sweep"; cat "$tmp/sw/runs.csv"; failures=$((failures + 1)); }
expect 0 "3 of 3 runs complete" "${run[@]}" --summary_only
# Incomplete records and --summary_only: 3 as well.
cp -r "$tmp/sw" "$tmp/sw_partial"
rm "$tmp/sw_partial/runs/$(ls "$tmp/sw_partial/runs" | head -1)/record.textproto"
expect 3 "2 of 3 runs complete" --experiment=$spec --scale=smoke --out="$tmp/sw_partial" \
  --bootstrap=0 --summary_only
# The committed part of the results, copied to another root with no data and no trainer that
# could run: every run is already complete, nothing is prepared or launched.
other="$tmp/other_checkout/experiments/results/smoke/return_isoflop_8b7"
mkdir -p "$other"
for d in "$tmp/sw/runs/"*; do
  mkdir -p "$other/runs/$(basename "$d")"
  cp "$d/record.textproto" "$d/launches.log" "$other/runs/$(basename "$d")/"
done
expect 0 "3 planned: 3 already complete, 0 completed now" --experiment=$spec --scale=smoke \
  --train_binary=$fake --data_root="$tmp/other_checkout" --out="$other" --bootstrap=0 \
  --progress_every=0 --prepare_binary=/nonexistent/prepare
for d in "$tmp/sw/runs/"*; do
  cmp -s "$d/launches.log" "$other/runs/$(basename "$d")/launches.log" ||
    { echo "FAIL: $d: a trainer ran again in the other checkout"; failures=$((failures + 1)); }
done
cmp -s "$other/runs.csv" "$tmp/sw/runs.csv" ||
  { echo "FAIL: runs.csv differs in the other checkout"; diff "$other/runs.csv" "$tmp/sw/runs.csv"; failures=$((failures + 1)); }

if [ "$failures" -ne 0 ]; then echo "$failures failure(s)"; exit 1; fi
echo "all CLI checks passed"
