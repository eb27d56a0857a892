#!/bin/bash
# compare_cpu: training tokens/s of our C++ loop vs PyTorch eager (Python) on the same CPU,
# same shapes, batch, float32 and thread count, side by side in one sitting.
#
#   bazel run -c opt //experiments/training/benchmarks:compare_cpu -- [--shapes "a b"]
#       [--rounds 2] [--threads 1] [--steps 20] [--skylakex] [--eager_reuse]
#
# Runs the two programs alternately (py, C++, py, C++, ...) per shape, `rounds` times each, and
# prints every JSON line plus tables of tokens per CPU-second (median step, and fastest step:
# interference from other processes only ever adds time) and the ratio C++ / Python.
# Both sides load the same Debian LibTorch 1.13 and OpenBLAS, so the ratio is the framework
# overhead (and the slow 1.13 CPU kernels) we remove. BLAS threads are set to --threads for both.
# --skylakex sets OPENBLAS_CORETYPE=SkylakeX for both, only if the environment has not set
# OPENBLAS_CORETYPE already (never override the workplace's value); tests never use it.
# Our trainer reuses freed host memory (experiments/training/host_memory.h); eager PyTorch runs
# with glibc's default. --eager_reuse adds a control: eager again with the same policy set
# through glibc's environment (MALLOC_MMAP_MAX_=0, MALLOC_TRIM_THRESHOLD_), its own column.
set -euo pipefail
shapes="a b"; rounds=2; threads=1; steps=20; skylakex=0; cpp=""; eager_reuse=0
while [[ $# -gt 0 ]]; do
  case "$1" in
    --shapes) shapes="$2"; shift 2 ;;
    --rounds) rounds="$2"; shift 2 ;;
    --threads) threads="$2"; shift 2 ;;
    --steps) steps="$2"; shift 2 ;;
    --skylakex) skylakex=1; shift ;;
    --eager_reuse) eager_reuse=1; shift ;;
    --cpp) cpp="$2"; shift 2 ;;  # a train_throughput binary (default: the runfile)
    *) echo "compare_cpu: unknown argument $1" >&2; exit 2 ;;
  esac
done
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
runfiles="${RUNFILES_DIR:-$0.runfiles}"
[[ -n "$cpp" ]] || cpp="$runfiles/datawall/experiments/training/benchmarks/train_throughput"
py="$runfiles/datawall/experiments/training/benchmarks/train_bench.py"
[[ -x "$cpp" ]] || { echo "compare_cpu: no train_throughput binary (use bazel run or --cpp)" >&2; exit 2; }
[[ -f "$py" ]] || py="$here/train_bench.py"
export OPENBLAS_NUM_THREADS="$threads" OMP_NUM_THREADS="$threads" MKL_NUM_THREADS="$threads"
if [[ "$skylakex" == 1 && -z "${OPENBLAS_CORETYPE:-}" ]]; then export OPENBLAS_CORETYPE=SkylakeX; fi
echo "# host $(hostname), $(getconf _NPROCESSORS_ONLN) vCPU, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | xargs)"
echo "# threads $threads, OPENBLAS_CORETYPE=${OPENBLAS_CORETYPE:-<unset>}, rounds $rounds, steps $steps"
results=$(mktemp)
for shape in $shapes; do
  for ((r = 0; r < rounds; ++r)); do
    /usr/bin/python3 "$py" --shape "$shape" --steps "$steps" --threads "$threads" | tee -a "$results"
    "$cpp" --shape="$shape" --steps="$steps" --threads="$threads" | tee -a "$results"
    if [[ "$eager_reuse" == 1 ]]; then
      MALLOC_MMAP_MAX_=0 MALLOC_TRIM_THRESHOLD_=1000000000000000 \
        /usr/bin/python3 "$py" --shape "$shape" --steps "$steps" --threads "$threads" |
        sed 's/"baseline": "\([a-z_]*\)"/"baseline": "\1", "host_memory_env": true/' | tee -a "$results"
    fi
  done
done
/usr/bin/python3 - "$results" <<'PY'
import json, statistics, sys
KEY = 'cpu_tokens_per_s'  # process CPU time: robust on a shared host (wall figures are in the JSON)
rows = [json.loads(l) for l in open(sys.argv[1]) if l.startswith('{')]
for key, how, agg in ((KEY, 'median step, median over rounds', statistics.median),
                      (KEY + '_best', 'fastest step of all rounds', max)):
    control = any('host_memory_env' in r for r in rows)
    print(f'\n(tokens per CPU-second, {how})\nshape  params     python_eager_tok/s  datawall_cpp_tok/s  ratio'
          + ('   eager_same_malloc_tok/s  ratio' if control else ''))
    for shape in sorted({r['shape'] for r in rows}):
        of = lambda pick: [r[key] for r in rows if r['shape'] == shape and pick(r)]
        py = agg(of(lambda r: 'baseline' in r and 'host_memory_env' not in r))
        cc = agg(of(lambda r: 'program' in r))
        params = next(r['params'] for r in rows if r['shape'] == shape)
        line = f'{shape:<6} {params:<10} {py:>18.0f}  {cc:>18.0f}  {cc / py:5.2f}x'
        if control:
            pr = agg(of(lambda r: 'host_memory_env' in r))
            line += f'   {pr:>23.0f}  {cc / pr:5.2f}x'
        print(line)
blas = next((r['blas'] for r in rows if 'blas' in r), '?')
print(f'BLAS: {blas}')
PY
rm -f "$results"
