#!/bin/bash
# Measures, on the GPU machine, the training throughput of the four model shapes the `gpu` scale
# of the experiment specs uses (vocab 1024, context 256, batch 32, bf16), with the training core's
# CMake build (train_lite, experiments/training/gpu/CMakeLists.txt) on a synthetic Markov shard,
# plus the fixed cost of one run (process start, CUDA init, final evaluation of 262,144 tokens),
# plus how much K runs sharing the GPU gain together (K = 2, 4, 8 concurrent runs of each shape:
# "concurrency K speedup shape" lines, speedup = K x one run's wall time / the K runs' wall time,
# which the dry run's gpu estimate uses with --runs_per_device=K).
# The runner cannot run there (no Bazel/protobuf/Abseil), so this calibrates the gpu scale's time
# estimates instead: $OUT/gpu_throughput.txt in experiments/plan/throughput.h's format.
# Usage, from the repository root:  OUT=/some/dir bash experiments/plan/gpu/measure_gpu_scale.sh
set -uo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../../.." && pwd)"
OUT="${OUT:-$ROOT/gpu_out}"
BUILD="${BUILD_DIR:-/tmp/datawall_gpu_build}"
mkdir -p "$OUT"
log="$OUT/measure.log"
: > "$log"
PREFIX="$(python3 -c 'import torch;print(torch.utils.cmake_prefix_path)')"
export CUDACXX="${CUDACXX:-$(command -v nvcc || echo /usr/local/cuda/bin/nvcc)}"
export PATH="$(dirname "$CUDACXX"):$PATH"
python3 -c 'import torch;print("torch", torch.__version__, torch.cuda.get_device_name(0))' | tee -a "$log"
gen=(); command -v ninja >/dev/null && gen=(-G Ninja)
t0=$(date +%s)
cmake -S "$ROOT/experiments/training/gpu" -B "$BUILD" "${gen[@]}" -DCMAKE_PREFIX_PATH="$PREFIX" \
  -DCUDAToolkit_ROOT="$(dirname "$(dirname "$CUDACXX")")" >> "$log" 2>&1 &&
  cmake --build "$BUILD" -j "$(nproc)" --target train_lite >> "$log" 2>&1 ||
  { echo "build FAILED"; tail -30 "$log"; exit 1; }
echo "build: $(( $(date +%s) - t0 )) s" | tee -a "$log"

data=/tmp/datawall_gpu_scale_data
mkdir -p "$data"
"$BUILD/train_lite" --make_markov_shard="$data/train.shard" vocab=1024 tokens=8000000 seed=1 stream=0 >> "$log" 2>&1
"$BUILD/train_lite" --make_markov_shard="$data/val.shard" vocab=1024 tokens=400000 seed=1 stream=1 >> "$log" 2>&1

# run NAME D L KV HEADS TOKENS: one training run; prints "params tokens/s wall_seconds".
run() {
  local name=$1 d=$2 l=$3 kv=$4 h=$5 tokens=$6
  cat > "$data/$name.txt" <<CFG
name = $name
d_model = $d
ffw_size = $((4 * d))
kv_size = $kv
n_heads = $h
n_layers = $l
vocab_size = 1024
seq_len = 256
total_tokens = $tokens
unique_tokens = $tokens
seed = 0
max_lr = 0.001
batch_size = 32
eval_tokens = 262144
device = cuda
bf16 = true
progress_every_seconds = 0
CFG
  rm -rf "$data/out_$name"
  local start end
  start=$(date +%s.%N)
  timeout 300 "$BUILD/train_lite" "$data/$name.txt" train_shard="$data/train.shard" \
    validation_shard="$data/val.shard" out_dir="$data/out_$name" >> "$log" 2>&1 || echo "$name FAILED" | tee -a "$log"
  end=$(date +%s.%N)
  cp "$data/out_$name/summary.txt" "$OUT/summary_$name.txt" 2>/dev/null
  local params tps
  params=$(grep -E '^params' "$data/out_$name/summary.txt" | awk '{print $NF}')
  tps=$(grep -E '^train_tokens_per_second' "$data/out_$name/summary.txt" | awk '{print $NF}')
  echo "$name $params $tps $(awk -v a="$start" -v b="$end" 'BEGIN{printf "%.3f", b - a}')" | tee -a "$OUT/runs.txt"
}

: > "$OUT/runs.txt"
run warm 128 4 32 4 81920          # warm-up (CUDA/cuBLAS caches), 10 steps
run fixed 128 4 32 4 81920         # the fixed cost of a run: wall - tokens / tokens_per_second
for shape in "d128l4 128 4 32 4" "d256l4 256 4 64 4" "d384l6 384 6 64 6" "d512l8 512 8 64 8"; do
  set -- $shape
  run "$1" "$2" "$3" "$4" "$5" 3276800   # 400 steps of 32 x 256
done
# together NAME K D L KV HEADS TOKENS: K copies of one run at once (the sweep runner's
# --runs_per_device=K); prints "NAME K wall_seconds".
together() {
  local name=$1 k=$2
  shift 2
  local start end i
  start=$(date +%s.%N)
  for i in $(seq 1 "$k"); do
    run "${name}_k${k}_$i" "$@" > /dev/null &
  done
  wait
  end=$(date +%s.%N)
  echo "$name $k $(awk -v a="$start" -v b="$end" 'BEGIN{printf "%.3f", b - a}')" | tee -a "$OUT/together.txt"
}
: > "$OUT/together.txt"
for shape in "d128l4 128 4 32 4" "d256l4 256 4 64 4" "d384l6 384 6 64 6" "d512l8 512 8 64 8"; do
  for k in 2 4 8; do
    set -- $shape
    together "$1" "$k" "$2" "$3" "$4" "$5" 3276800
  done
done

{
  echo "# Measured with experiments/plan/gpu/measure_gpu_scale.sh (train_lite, bf16, vocab 1024,"
  echo "# seq 256, batch 32, synthetic Markov data) on: $(python3 -c 'import torch;print(torch.cuda.get_device_name(0))')"
  awk '$1 == "fixed" && $3 > 0 {printf "per_run_seconds %.3f\n", $4 - 81920 / $3}' "$OUT/runs.txt"
  awk '$1 ~ /^d[0-9]+l[0-9]+$/ && $3 > 0 {printf "%s %s train_lite %s\n", $2, $3, $1}' "$OUT/runs.txt"
  # One run's wall time per shape (runs.txt) against K at once (together.txt).
  awk 'NR == FNR { if ($1 ~ /^d[0-9]+l[0-9]+$/) alone[$1] = $4; next }
       alone[$1] > 0 && $3 > 0 { printf "concurrency %d %.3f train_lite %s\n", $2, $2 * alone[$1] / $3, $1 }' \
    "$OUT/runs.txt" "$OUT/together.txt"
} > "$OUT/gpu_throughput.txt"
cat "$OUT/gpu_throughput.txt"
