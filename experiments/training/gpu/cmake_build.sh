#!/usr/bin/env bash
# cmake_build.sh: CI's check that the training core's CMake flow (CMakeLists.txt beside this
# file, the flow the GPU machine uses) still builds and runs, here against Debian's LibTorch.
# Builds train_lite (the core library and its main), train_throughput (the benchmark, which
# also needs nlohmann JSON's headers: here Debian's), and the train CLI and run_plan (protobuf,
# Abseil, glog: here Debian's); trains a 40-step micro model on CPU from synthetic shards, resumes
# the finished run (it must change nothing), times one CPU step of train_throughput's smallest
# shape (its line must parse as JSON), trains the same model through the train CLI from a
# RunSpec (a complete record) and checks that run_plan refuses a bad plan with one line. It does not touch CUDA;
# run_gpu_check.sh does that on the GPU machine. That the source list matches the BUILD files is
# //tests/experiments/training/gpu:cmake_sources_test.
#
#   bash experiments/training/gpu/cmake_build.sh        (from anywhere; needs cmake, make)
#
# The build directory (default: /tmp/datawall-cmake-<hash of this checkout's path>, so reruns
# are incremental; override with BUILD_DIR) is outside the workspace. Prints one closing line,
# "cmake build: ok in N s" or "cmake build: FAILED (<step>)", and exits 0 or 1.
set -uo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../../.." && pwd)"
BUILD="${BUILD_DIR:-/tmp/datawall-cmake-$(printf '%s' "$ROOT" | cksum | cut -d' ' -f1)}"
JOBS="${JOBS:-2}"
t0=$(date +%s)
log="$BUILD/cmake_build.log"
mkdir -p "$BUILD"
: > "$log"
fail() { echo "cmake build: FAILED ($1; log: $log)"; tail -20 "$log"; exit 1; }

command -v cmake >/dev/null || fail "cmake not found: tools/setup.sh installs it"
cmake -S "$ROOT/experiments/training/gpu" -B "$BUILD" -DCMAKE_BUILD_TYPE=Release >> "$log" 2>&1 \
  || fail "configure"
cmake --build "$BUILD" --target train_lite train_throughput train run_plan -j "$JOBS" >> "$log" 2>&1 || fail "build"
echo "cmake build: train_lite, train_throughput, train and run_plan built in $(( $(date +%s) - t0 )) s ($BUILD)"

data="$BUILD/smoke"
rm -rf "$data" && mkdir -p "$data"
lite="$BUILD/train_lite"
"$lite" --make_markov_shard="$data/train.shard" vocab=256 tokens=200000 seed=1 stream=0 >> "$log" 2>&1 \
  && "$lite" --make_markov_shard="$data/val.shard" vocab=256 tokens=20000 seed=1 stream=1 >> "$log" 2>&1 \
  || fail "synthetic shards"
settings=(name=cmake_smoke preset=micro_d32_l1 vocab_size=256 seq_len=64 total_tokens=20480
          unique_tokens=10240 batch_size=8 eval_tokens=2049 eval_every_steps=20
          checkpoint_every_steps=20 device=cpu train_shard="$data/train.shard"
          validation_shard="$data/val.shard" out_dir="$data/run")
"$lite" /dev/null "${settings[@]}" >> "$log" 2>&1 || fail "training run"
summary="$data/run/summary.txt"
value() { sed -n "s/^$1 = //p" "$2"; }
first_loss=$(value final_val_loss "$summary")
[ "$(value complete "$summary")" = true ] && [ "$(value steps "$summary")" = 40 ] \
  || fail "training run did not complete 40 steps: $(tr '\n' ' ' < "$summary")"
# It learned something: below the loss of a uniform guess over 256 tokens (ln 256 = 5.545).
awk -v l="$first_loss" 'BEGIN { exit !(l + 0 > 0 && l + 0 < log(256)) }' \
  || fail "validation loss $first_loss is not below ln 256"
"$lite" /dev/null "${settings[@]}" resume=true >> "$log" 2>&1 || fail "resume"
[ "$(value resumed_from_step "$summary")" = 40 ] && [ "$(value final_val_loss "$summary")" = "$first_loss" ] \
  || fail "resuming the finished run changed it: $(tr '\n' ' ' < "$summary")"
"$BUILD/train_throughput" --shape=b --steps=1 --warmup=0 > "$data/throughput.jsonl" 2>> "$log" \
  || fail "train_throughput"
python3 -c 'import json, sys; r = json.loads(open(sys.argv[1]).readline())
assert r["program"] == "datawall_cpp" and r["shape"] == "b" and r["tokens_per_s"] > 0, r' \
  "$data/throughput.jsonl" >> "$log" 2>&1 \
  || fail "train_throughput's line is not the expected JSON: $(head -c 300 "$data/throughput.jsonl")"
# The train CLI (the one run_plan launches) on the same shards, from a RunSpec: a complete record.
cat > "$data/spec.textproto" <<SPEC
name: "cmake_cli_smoke"
model { preset: "micro_d32_l1" vocab_size: 256 seq_len: 64 }
total_tokens: 20480
unique_tokens: 10240
optimizer { max_lr: 0.003 batch_size: 8 }
data { name: "markov" shard: "$data/train.shard" }
validation_shard: "$data/val.shard"
eval_tokens: 2049
checkpoint_every_steps: 20
SPEC
"$BUILD/train" --spec="$data/spec.textproto" --out="$data/cli_run" >> "$log" 2>&1 || fail "train CLI run"
grep -q "^complete: true" "$data/cli_run/record.textproto" && grep -q "^final_val_loss: " "$data/cli_run/record.textproto" \
  || fail "train CLI: no complete record in $data/cli_run"
cli_loss=$(sed -n 's/^final_val_loss: //p' "$data/cli_run/record.textproto")
# run_plan starts, and refuses a bad plan with one line (exit 2); its runs are run_plan_test's.
echo '{"runs": [' > "$data/bad_plan.json"
"$BUILD/run_plan" --plan="$data/bad_plan.json" --out="$data/plan_out" --train_binary="$BUILD/train" \
  > "$data/run_plan.out" 2>&1
[ $? = 2 ] && [ "$(wc -l < "$data/run_plan.out")" = 1 ] \
  || fail "run_plan on a bad plan: $(head -c 300 "$data/run_plan.out")"
echo "cmake build: ok in $(( $(date +%s) - t0 )) s (40 CPU steps, val loss $first_loss, resume changes nothing; train_throughput prints JSON; the train CLI: val loss $cli_loss; run_plan refuses a bad plan)"
