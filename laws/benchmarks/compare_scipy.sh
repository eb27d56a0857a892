#!/bin/bash
# Side by side on one machine, one thread each: //laws:fit (Ceres BFGS from its default grid of
# 1,600 starts, plus its boundary probes) against scipy's L-BFGS-B with analytic gradients from
# the same grid (scipy_refit.py), on synthetic Chinchilla-like tables with known coefficients
# (synthetic_runs.py: 240 runs, N in [7e7, 1.6e10], D in [5e9, 5e11], 1% log noise), one table
# per seed. Prints per table: time per start, objective, what each reports about its minima.
#
#   bazel run -c opt //laws/benchmarks:compare_scipy -- [SEED ...]     (default: 1 2 3)
#
# Needs /usr/bin/python3 with numpy and scipy (Debian python3-numpy, python3-scipy).
set -euo pipefail
RUNFILES="${RUNFILES_DIR:-$0.runfiles}/datawall"
ROOT="${BUILD_WORKSPACE_DIRECTORY:-$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)}"
FIT="$RUNFILES/laws/fit"
[[ -x "$FIT" ]] || FIT="$ROOT/bazel-bin/laws/fit"
HERE="$RUNFILES/laws/benchmarks"
[[ -r "$HERE/scipy_refit.py" ]] || HERE="$ROOT/laws/benchmarks"
PY=/usr/bin/python3
if ! "$PY" -c "import numpy, scipy" 2>/dev/null; then
  echo "compare_scipy: $PY cannot import numpy and scipy (apt-get install -y python3-numpy python3-scipy)" >&2
  exit 2
fi
SEEDS=("$@")
[[ ${#SEEDS[@]} -gt 0 ]] || SEEDS=(1 2 3)
TMP="$(mktemp -d)"
trap 'rm -rf "$TMP"' EXIT
echo "machine: $(nproc) CPUs, load $(cut -d' ' -f1-3 /proc/loadavg); one thread each"
for seed in "${SEEDS[@]}"; do
  [[ "$seed" =~ ^[0-9]+$ ]] || { echo "compare_scipy: seed '$seed' is not a number" >&2; exit 2; }
  "$PY" "$HERE/synthetic_runs.py" "$TMP/runs.csv" --seed "$seed" >"$TMP/truth.txt"
  "$FIT" --runs="$TMP/runs.csv" --law=chinchilla --threads=1 --format=json >"$TMP/ours.json"
  "$PY" "$HERE/scipy_refit.py" "$TMP/runs.csv" >"$TMP/scipy.json"
  "$PY" - "$seed" "$TMP/truth.txt" "$TMP/ours.json" "$TMP/scipy.json" <<'PY'
import json, sys
seed, truth = sys.argv[1], open(sys.argv[2]).read().strip()
ours, sp = (json.load(open(f)) for f in sys.argv[3:])
ours_ms = ours["wall_ms"] / ours["starts"]
grid_starts = ours["starts"] - ours["boundary_probes"]
print(f"[seed {seed}] {truth}")
print(f"  per start  ours {ours_ms:6.2f} ms ({ours['starts']} starts, {ours['boundary_probes']} of them probes)"
      f"   scipy {sp['ms_per_start']:6.2f} ms ({sp['starts']} starts)   ratio {sp['ms_per_start'] / ours_ms:4.2f}x")
verdict = "ours lower or equal" if ours["objective"] <= sp["objective"] * (1 + 1e-9) else "SCIPY LOWER"
print(f"  objective  ours {ours['objective']:.10g}   scipy {sp['objective']:.10g}   ({verdict})")
c = ours["coefficients"]
print("  ours best: " + " ".join(f"{k}={c[k]:.5g}" for k in ["a", "b", "e", "alpha", "beta"]))
c = sp["coefficients"]
print("  scipy best: " + " ".join(f"{k}={c[k]:.5g}" for k in ["a", "b", "e", "alpha", "beta"]))
deg = sum(1 for m in ours["minima"] if m["degenerate"])
print(f"  ours: {len(ours['minima'])} basins ({deg} degenerate), starts {ours['starts_converged']} converged / "
      f"{ours['starts_iteration_limit']} iteration limit / {ours['starts_line_search_failure']} line-search failure / "
      f"{ours['starts_failed']} failed; best basin {ours['minima'][0]['starts']} starts")
s = sp["status"]
print(f"  scipy: {sp['distinct_end_points_at_1e-3']} distinct end points (rounded to 1e-3), starts {s['converged']} converged / "
      f"{s['iteration_limit']} iteration limit / {s['abnormal']} abnormal line search / {s['nonfinite']} non-finite")
PY
done
