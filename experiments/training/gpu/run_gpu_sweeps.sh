#!/usr/bin/env bash
# run_gpu_sweeps.sh: whole sweeps on a machine without Bazel (the GPU machine), from what
# prepare_gpu_sweeps.sh (beside this file) left in data/raw/gpu_carry and carry_debs.sh in
# data/raw/gpu_debs. From the repository root:
#
#   OUT=/some/dir K=4 bash experiments/training/gpu/run_gpu_sweeps.sh     (default OUT: ./gpu_out)
#
# Steps (each logged in $OUT/steps.log; the first that fails ends the script with exit 1):
#   1. environment: torch / CUDA versions, GPU, nvidia-smi    -> $OUT/env.txt
#   2. CMake build of train and run_plan (CMakeLists.txt beside this file) against the machine's
#      LibTorch (a pip torch's, else the system's), the carried packages found by their prefix
#   3. the carried shards decompressed to their paths under $DATA_ROOT (default ./gpu_data),
#      each checked against the MANIFEST's size and checksum
#   4. each plan in data/raw/gpu_carry/plans/, in the MANIFEST's order, by run_plan: on GPU 0 with
#      K trainers sharing it (K=0 or no GPU: one trainer on the CPU), records in $OUT/<experiment>/
#      (checkpoints deleted once a run is complete), the wall time in $OUT/<experiment>/wall_seconds
# Bring $OUT/<experiment>/runs back into experiments/results/<scale>/<experiment>/ and summarise
# them there with `bazel run -c opt //experiments:<experiment> -- --scale=<scale> --summary_only`.
# A rerun skips what is done: the build is incremental, shards already there are kept, complete
# runs are skipped and interrupted ones resume (run_plan). Exit: 0 every run complete, 3 some
# runs incomplete, 1 a step failed.
set -uo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../../.." && pwd)"
OUT="${OUT:-$ROOT/gpu_out}"
DATA_ROOT="${DATA_ROOT:-$ROOT/gpu_data}"
BUILD="${BUILD_DIR:-/tmp/datawall_gpu_sweeps_build}"
PY="${PYTHON:-python3}"
K="${K:-4}"
carry="$ROOT/data/raw/gpu_carry"
mkdir -p "$OUT"
step() { echo "== $* ($(date -u +%H:%M:%S))" | tee -a "$OUT/steps.log"; }
fail() { echo "run_gpu_sweeps.sh: FAILED: $*" | tee -a "$OUT/steps.log"; exit 1; }
[ -f "$carry/MANIFEST" ] || fail "no $carry/MANIFEST: run prepare_gpu_sweeps.sh where Bazel is and carry data/raw/gpu_carry"

step "1 environment"
{
  "$PY" -c 'import torch; print("torch", torch.__version__, "cuda", torch.version.cuda, "available", torch.cuda.is_available()); print("gpu", torch.cuda.get_device_name(0) if torch.cuda.is_available() else "none"); print("cxx11_abi", torch._C._GLIBCXX_USE_CXX11_ABI)' 2>&1 || echo "torch: no python torch"
  nvidia-smi --query-gpu=name,driver_version,memory.total --format=csv,noheader 2>&1 || echo "nvidia-smi: none"
  uname -a; ldd --version 2>&1 | head -1
} > "$OUT/env.txt"
cat "$OUT/env.txt"
gpu=0
grep -q "available True" "$OUT/env.txt" && gpu=1
# Debian's Abseil and protobuf use the C++11 string ABI; a LibTorch built with the old one cannot
# link with them.
grep -q "cxx11_abi False" "$OUT/env.txt" && fail "this torch uses the pre-C++11 string ABI: the carried Debian libraries cannot link with it"

step "2 build"
prefix=()
if p=$("$PY" -c 'import torch; print(torch.utils.cmake_prefix_path)' 2>/dev/null); then prefix=(-DCMAKE_PREFIX_PATH="$p"); fi
cuda=()
if [ "$gpu" = 1 ]; then
  nvcc="${CUDACXX:-$(command -v nvcc || echo /usr/local/cuda/bin/nvcc)}"
  export CUDACXX="$nvcc" PATH="$(dirname "$nvcc"):$PATH"
  cuda=(-DCUDAToolkit_ROOT="$(dirname "$(dirname "$nvcc")")")
fi
gen=()  # Ninja when there is one, unless the build directory already has its generator
[ -f "$BUILD/CMakeCache.txt" ] || { command -v ninja >/dev/null && gen=(-G Ninja); }
t0=$(date +%s)
cmake -S "$ROOT/experiments/training/gpu" -B "$BUILD" "${gen[@]}" -DCMAKE_BUILD_TYPE=Release "${prefix[@]}" \
  "${cuda[@]}" > "$OUT/cmake.log" 2>&1 || { tail -20 "$OUT/cmake.log"; fail "cmake configure (see cmake.log)"; }
cmake --build "$BUILD" --target train run_plan -j "$(nproc)" >> "$OUT/cmake.log" 2>&1 \
  || { tail -30 "$OUT/cmake.log"; fail "cmake build (see cmake.log)"; }
[ -x "$BUILD/train" ] && [ -x "$BUILD/run_plan" ] || { grep -i warning -A3 "$OUT/cmake.log" | head; fail "train or run_plan not built"; }
echo "built train and run_plan in $(( $(date +%s) - t0 )) s" | tee -a "$OUT/steps.log"

step "3 data"
while read -r kind path size sum; do
  [ "$kind" = shard ] || continue
  dst="$DATA_ROOT/$path"
  if [ ! -f "$dst" ] || [ "$(stat -c %s "$dst")" != "$size" ]; then
    mkdir -p "$(dirname "$dst")"
    if command -v xz >/dev/null; then
      xz -d -c "$carry/shards/$path.xz" > "$dst.partial" || fail "xz -d $path"
    else
      "$PY" -c 'import lzma, shutil, sys; shutil.copyfileobj(lzma.open(sys.argv[1]), open(sys.argv[2], "wb"))' \
        "$carry/shards/$path.xz" "$dst.partial" || fail "lzma $path"
    fi
    mv "$dst.partial" "$dst"
  fi
  [ "$(cksum < "$dst" | cut -d' ' -f1)" = "$sum" ] || fail "$path: checksum differs from the MANIFEST's"
  echo "shard $path ($size bytes)"
done < "$carry/MANIFEST"

step "4 sweeps"
# The records' code version: the carried tree's commit (there is no git checkout here).
read -r _ commit dirty < <(grep "^code " "$carry/MANIFEST")
export DATAWALL_GIT_COMMIT="${commit:-unknown}" DATAWALL_GIT_DIRTY="${dirty:-0}"
placement=(--workers=1)
if [ "$gpu" = 1 ] && [ "$K" -gt 0 ]; then placement=(--devices=0 --runs_per_device="$K"); fi
status=0
while read -r kind name _; do
  [ "$kind" = experiment ] || continue
  step "4 $name (${placement[*]})"
  t0=$(date +%s)
  "$BUILD/run_plan" --plan="$carry/plans/$name.json" --out="$OUT/$name" --train_binary="$BUILD/train" \
    --data_root="$DATA_ROOT" "${placement[@]}" --progress_every=30 2>&1 | tee "$OUT/$name.log" | grep -v "^\[.*\] start "
  rc=${PIPESTATUS[0]}
  echo "$(( $(date +%s) - t0 ))" > "$OUT/$name/wall_seconds"
  echo "$name: exit $rc in $(cat "$OUT/$name/wall_seconds") s" | tee -a "$OUT/steps.log"
  [ "$rc" = 0 ] || status=3
  [ "$rc" = 0 ] || [ "$rc" = 3 ] || fail "run_plan $name exited $rc"
done < "$carry/MANIFEST"
exit $status
