#!/bin/bash
# precision_check.sh: bf16 weights (float32 master weights) vs float32 weights under autocast on
# the GPU machine, from the repository root:  OUT=/some/dir bash experiments/training/gpu/precision_check.sh
# Builds the core (gpu/CMakeLists.txt), then: train_throughput on d512 (gpu_smoke's shape) and
# gpt2 (124M-like) at batch 16 in both precisions, and gpu_smoke.txt trained twice in each
# precision (alternating) to compare final validation losses against run-to-run noise (CUDA
# kernels are not bitwise deterministic). Prints one line per measurement; JSON in $OUT/bench.jsonl.
set -uo pipefail
PY=python3; BUILD=/tmp/dwb; PREFIX="$($PY -c 'import torch;print(torch.utils.cmake_prefix_path)')"
export CUDACXX="$(command -v nvcc || echo /usr/local/cuda/bin/nvcc)"; export PATH="$(dirname $CUDACXX):$PATH"
gen=(); command -v ninja >/dev/null && gen=(-G Ninja)
cmake -S experiments/training/gpu -B $BUILD "${gen[@]}" -DCMAKE_PREFIX_PATH="$PREFIX" > $OUT/cmake.log 2>&1 && cmake --build $BUILD -j 16 >> $OUT/cmake.log 2>&1 || { tail -20 $OUT/cmake.log; exit 1; }
for s in d512 gpt2; do for p in bf16 autocast; do
  $BUILD/train_throughput --shape=$s --device=cuda --steps=20 --warmup=5 --batch=16 --precision=$p | tee -a $OUT/bench.jsonl | python3 -c 'import json,sys; r=json.loads(sys.stdin.read()); print(r["shape"], r["precision"], r["batch"], round(r["tokens_per_s"]), "mfu", r["mfu"], "step_ms", round(r["median_step_seconds"]*1e3,1))'
done; done
d=/tmp/dwd; mkdir -p $d
$BUILD/train_lite --make_markov_shard=$d/t.shard vocab=4096 tokens=3000000 seed=1 stream=0 >/dev/null 2>&1
$BUILD/train_lite --make_markov_shard=$d/v.shard vocab=4096 tokens=300000 seed=1 stream=1 >/dev/null 2>&1
for w in true false true false; do rm -rf $d/run
  $BUILD/train_lite experiments/training/gpu/gpu_smoke.txt train_shard=$d/t.shard validation_shard=$d/v.shard out_dir=$d/run bf16_weights=$w progress_every_seconds=0 > $d/log 2>&1
  echo "bf16_weights=$w $(grep -E '^(final_val_loss|train_tokens_per_second|wall_seconds)' $d/run/summary.txt | tr '\n' ' ')"
done
