#!/usr/bin/env bash
# Side-by-side performance of sim/'s exact allocator and the authors' grid search, in one run on
# one machine: builds //sim/benchmarks:allocate_benchmark and //sim:simulate (-c opt), runs
#   1. the Google Benchmark (exact allocator, the same grid in C++, the 1000 x 1000 sweep),
#   2. alloc_authors.py (the datablations README grid in Python/numpy, 200 budgets, 5 repeats),
#   3. `simulate sweep` of 1000 x 1000 budgets to a CSV file, timed end to end,
# and prints ns per allocation, allocations/s, the speed ratio and the sweep's wall time.
#
#   sim/benchmarks/run_allocation_benchmark.sh            # from the repository root
#   OUTPUT_BASE=/root/.cache/bazel_sim sim/benchmarks/run_allocation_benchmark.sh
set -euo pipefail
cd "$(dirname "$0")/../.."
bazel_cmd=(bazel)
if [[ -n "${OUTPUT_BASE:-}" ]]; then bazel_cmd+=(--output_base="$OUTPUT_BASE"); fi
"${bazel_cmd[@]}" build -c opt //sim/benchmarks:allocate_benchmark //sim:simulate >/dev/null 2>&1
bin="$("${bazel_cmd[@]}" info -c opt bazel-bin 2>/dev/null)"
tmp="$(mktemp -d)"
trap 'rm -rf "$tmp"' EXIT

"$bin/sim/benchmarks/allocate_benchmark" --benchmark_format=json --benchmark_min_time=1 \
  >"$tmp/ours.json" 2>/dev/null
/usr/bin/python3 sim/benchmarks/alloc_authors.py --reps 200 --repeat 5 >"$tmp/authors.json"
/usr/bin/time -f "%e %U %S" -o "$tmp/time.txt" "$bin/sim/simulate" sweep --flops_min=1e18 --flops_max=1e26 --flops_steps=1000 \
  --unique_min=1e8 --unique_max=1e13 --unique_steps=1000 --format=csv --output="$tmp/sweep.csv"
rows=$(($(wc -l <"$tmp/sweep.csv") - 1))

/usr/bin/python3 - "$tmp/ours.json" "$tmp/authors.json" "$tmp/time.txt" "$rows" <<'PY'
import json, sys
ours = {b["name"]: b for b in json.load(open(sys.argv[1]))["benchmarks"]}
authors = json.loads(open(sys.argv[2]).read())
exact = ours["BM_AllocateExact"]
grid_cpp = ours["BM_AuthorsGridCpp"]
ns_real, ns_cpu = exact["real_time"], exact["cpu_time"]
py_ns = authors["ms_per_allocation_median"] * 1e6
py_cpu_ns = authors["cpu_ms_per_allocation_median"] * 1e6
print(f"exact allocator (C++):   {ns_real:8.0f} ns/allocation wall, {ns_cpu:8.0f} ns CPU "
      f"({1e9 / ns_cpu / 1e6:.2f} M allocations/s/core by CPU time, {1e9 / ns_real / 1e6:.2f} M/s by wall)")
print(f"authors' grid (Python):  {py_ns:8.0f} ns/allocation wall (median of {authors['repeat']} x "
      f"{authors['reps']} budgets; README example reproduced: {authors['matches_readme']}), {py_cpu_ns:.0f} ns CPU")
print(f"authors' grid (C++ port): {grid_cpp['real_time']:7.0f} ns/allocation wall, {grid_cpp['cpu_time']:.0f} ns CPU")
print(f"speed-up vs Python grid: {py_ns / ns_real:,.0f}x (wall/wall), {py_cpu_ns / ns_cpu:,.0f}x (CPU/CPU)")
print(f"speed-up vs C++ grid:    {grid_cpp['cpu_time'] / ns_cpu:,.0f}x (CPU/CPU)")
print(f"loss vs grid on the 200 budgets: strictly lower on {exact['budgets_exact_strictly_better']:.0f}, "
      f"not worse (4 ulp) on {exact['budgets_exact_not_worse_4ulp']:.0f}, "
      f"largest gain {exact['max_loss_gain_over_grid']:.3g}; grid optimum on its boundary (i = 3) on "
      f"{exact['grid_on_boundary']:.0f}; largest |ln(N_grid / N_exact)| {exact['max_abs_log_params_gap']:.3g}")
print(f"README budget (1e22, 25e9): grid loss {authors['loss']:.10f}")
it = next(b for n, b in ours.items() if n.startswith("BM_NewtonIterations"))
print(f"Newton iterations: at most {it['paper_law_max_iterations']:.0f} over {it['paper_law_budgets']:.0f} budgets "
      f"of the paper's law, at most {it['random_laws_max_iterations']:.0f} over 20000 random laws")
for b in ours.values():
    if b["name"].startswith("BM_Sweep1000"):
        print(f"{b['name']}: {b['real_time']:.0f} ms wall, {b['cpu_time']:.0f} ms CPU (main thread)")
wall, user, system = map(float, open(sys.argv[3]).read().split()[-3:])
print(f"simulate sweep 1000 x 1000 -> CSV file (2 threads, atomic write): {int(sys.argv[4])} rows in "
      f"{wall:.2f} s wall, {user:.2f} s user + {system:.2f} s system CPU (whole process)")
PY
echo "load average: $(cut -d' ' -f1-3 /proc/loadavg) on $(nproc) cores"
