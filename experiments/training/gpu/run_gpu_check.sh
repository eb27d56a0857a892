#!/bin/bash
# run_gpu_check.sh: build the training core with LibTorch's CMake flow on the GPU machine and
# measure it. From the repository root:
#
#   OUT=/some/dir bash experiments/training/gpu/run_gpu_check.sh      (default OUT: ./gpu_out)
#
# Needs: python3 with a CUDA torch wheel (2.x; its C++ headers and libraries), cmake, ninja or
# make, nvcc (CUDA toolkit) at /usr/local/cuda or on PATH, nlohmann JSON's headers for
# train_throughput (data/raw/gpu_debs, made by carry_debs.sh beside this file on a
# machine with Debian's package and carried with the tree). No network.
# Steps (each logged; a failing step does not stop the later ones where they can still run):
#   1. environment: torch / CUDA versions, GPU name, C++ ABI, nvidia-smi
#   2. cmake + build of train_lite and train_throughput (experiments/training/gpu/CMakeLists.txt)
#   3. synthetic Markov shards (vocab 4096) and a 200-step bf16 training run (gpu_smoke.txt),
#      then a 2nd process resuming it (must change nothing: resumed_from_step 200)
#   4. throughput, GPT-2 124M-like (d 768, 12 layers, vocab 50304, seq 1024, batches $BATCHES
#      (default "16 32"), bf16 weights and float32 weights under autocast):
#      our C++ loop vs PyTorch eager (benchmarks/train_bench.py --attn sdpa), same device, same
#      run, 20 timed steps after 5 warm-up steps; tokens/s and MFU (peak --peak_tflops, 989 for
#      H100/H200 SXM dense bf16)
# Results: $OUT/summary.txt (the figures), $OUT/*.jsonl, $OUT/*.log, $OUT/train_run/.
set -uo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../../.." && pwd)"
OUT="${OUT:-$ROOT/gpu_out}"
BUILD="${BUILD_DIR:-/tmp/datawall_gpu_build}"
PY="${PYTHON:-python3}"
PEAK="${PEAK_TFLOPS:-989}"
BATCHES="${BATCHES:-16 32}"
mkdir -p "$OUT"
summary="$OUT/summary.txt"
: > "$summary"
say() { echo "$@" | tee -a "$summary"; }
step() { echo "== $* ==" | tee -a "$OUT/steps.log"; }

step "1 environment"
"$PY" - > "$OUT/env.txt" 2>&1 <<'PY'
import torch
print("torch", torch.__version__, "cuda", torch.version.cuda)
print("cuda_available", torch.cuda.is_available())
if torch.cuda.is_available():
    print("gpu", torch.cuda.get_device_name(0))
print("cxx11_abi", torch._C._GLIBCXX_USE_CXX11_ABI)
print("cmake_prefix", torch.utils.cmake_prefix_path)
PY
cat "$OUT/env.txt" | tee -a "$summary"
nvidia-smi > "$OUT/nvidia-smi.txt" 2>&1 || true
PREFIX="$("$PY" -c 'import torch;print(torch.utils.cmake_prefix_path)')"
export CUDACXX="${CUDACXX:-$(command -v nvcc || echo /usr/local/cuda/bin/nvcc)}"
export PATH="$(dirname "$CUDACXX"):$PATH"

step "2 build"
gen=(); command -v ninja >/dev/null && gen=(-G Ninja)
t0=$(date +%s)
if cmake -S "$ROOT/experiments/training/gpu" -B "$BUILD" "${gen[@]}" -DCMAKE_PREFIX_PATH="$PREFIX" \
     -DCUDAToolkit_ROOT="$(dirname "$(dirname "$CUDACXX")")" > "$OUT/cmake.log" 2>&1 &&
   cmake --build "$BUILD" -j "$(nproc)" >> "$OUT/cmake.log" 2>&1; then
  say "build: ok in $(( $(date +%s) - t0 )) s"
else
  say "build: FAILED (see cmake.log)"; tail -30 "$OUT/cmake.log"
  exit 1
fi

step "3 training run"
data=/tmp/datawall_gpu_data; mkdir -p "$data"
"$BUILD/train_lite" --make_markov_shard="$data/train.shard" vocab=4096 tokens=3000000 seed=1 stream=0 >> "$OUT/train.log" 2>&1
"$BUILD/train_lite" --make_markov_shard="$data/val.shard" vocab=4096 tokens=300000 seed=1 stream=1 >> "$OUT/train.log" 2>&1
rm -rf "$OUT/train_run"
if timeout 300 "$BUILD/train_lite" "$ROOT/experiments/training/gpu/gpu_smoke.txt" \
     train_shard="$data/train.shard" validation_shard="$data/val.shard" \
     out_dir="$OUT/train_run" >> "$OUT/train.log" 2>&1; then
  say "training run: $(grep -E '^(final_val_loss|train_tokens_per_second|wall_seconds|device)' "$OUT/train_run/summary.txt" | tr '\n' ' ')"
  cp "$OUT/train_run/summary.txt" "$OUT/train_summary_first.txt"
  if timeout 120 "$BUILD/train_lite" "$ROOT/experiments/training/gpu/gpu_smoke.txt" \
       train_shard="$data/train.shard" validation_shard="$data/val.shard" \
       out_dir="$OUT/train_run" resume=true >> "$OUT/train.log" 2>&1; then
    say "resume of a finished run: $(grep -E '^(final_val_loss|resumed_from_step)' "$OUT/train_run/summary.txt" | tr '\n' ' ')"
  else
    say "resume: FAILED (see train.log)"
  fi
else
  say "training run: FAILED (see train.log)"; tail -20 "$OUT/train.log"
fi
rm -rf "$OUT/train_run_autocast"
if timeout 300 "$BUILD/train_lite" "$ROOT/experiments/training/gpu/gpu_smoke.txt" \
     train_shard="$data/train.shard" validation_shard="$data/val.shard" bf16_weights=false \
     out_dir="$OUT/train_run_autocast" >> "$OUT/train_autocast.log" 2>&1; then
  say "same run, float32 weights under autocast: $(grep -E '^(final_val_loss|train_tokens_per_second|device)' "$OUT/train_run_autocast/summary.txt" | tr '\n' ' ')"
else
  say "autocast training run: FAILED (see train_autocast.log)"
fi
rm -f "$OUT"/train_run/checkpoints/*.ckpt "$OUT"/train_run_autocast/checkpoints/*.ckpt  # large

step "4 throughput"
# For each batch in $BATCHES: our loop with bf16 weights (the trainer's default), our loop with
# float32 weights under autocast, and PyTorch eager (autocast, as nanoGPT); same device, same run.
for b in $BATCHES; do
  for precision in bf16 autocast; do
    timeout 240 "$BUILD/train_throughput" --shape=gpt2 --device=cuda --steps=20 --warmup=5 \
      --batch="$b" --peak_tflops="$PEAK" --precision="$precision" > "$OUT/bench_cpp_${precision}_b$b.jsonl" \
      2> "$OUT/bench_cpp_${precision}_b$b.log" || say "C++ benchmark ($precision, batch $b): FAILED"
  done
  timeout 240 "$PY" "$ROOT/experiments/training/benchmarks/train_bench.py" --shape gpt2 --device cuda \
    --attn sdpa --steps 20 --warmup 5 --batch "$b" --peak_tflops "$PEAK" > "$OUT/bench_py_b$b.jsonl" \
    2> "$OUT/bench_py_b$b.log" || say "PyTorch eager benchmark (batch $b): FAILED"
done
"$PY" - "$OUT" $BATCHES >> "$summary" <<'PY'
import json, sys, os
out, batches = sys.argv[1], sys.argv[2:]
def load(name):
    p = os.path.join(out, name)
    rows = [json.loads(l) for l in open(p) if l.startswith('{')] if os.path.exists(p) else []
    return rows[0] if rows else None
for b in batches:
    rows = (('datawall C++, bf16 weights ', load(f'bench_cpp_bf16_b{b}.jsonl')),
            ('datawall C++, autocast     ', load(f'bench_cpp_autocast_b{b}.jsonl')),
            ('PyTorch eager, autocast    ', load(f'bench_py_b{b}.jsonl')))
    for label, r in rows:
        if r:
            print(f"batch {b} {label}: {r['tokens_per_s']:.0f} tok/s, MFU {r.get('mfu', 0) * 100:.1f}% "
                  f"({r.get('achieved_tflops', 0):.0f} TFLOP/s of {r.get('peak_tflops')}), "
                  f"params {r['params']}, step {r['median_step_seconds'] * 1e3:.1f} ms")
    if rows[0][1] and rows[2][1]:
        print(f"batch {b} ratio C++ (bf16 weights) / eager: {rows[0][1]['tokens_per_s'] / rows[2][1]['tokens_per_s']:.2f}x")
PY
cat "$summary"
