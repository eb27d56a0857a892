#!/bin/bash
# Side by side on one machine, one thread each: the authors' fit procedure (PyTorch L-BFGS, float32,
# 50 steps x 20 iterations per start; the project's baseline script fit_authors.py, which is not
# part of this repository: name it with AUTHORS_FIT_PY) against //laws:fit on the same 182
# fit-set runs. Prints each side's in-process fit time, objective and the ratio. The released runs
# are found as laws/released_runs.h finds them: $DATAWALL_RUNS_CSV, else the copy that
# tools/setup.d/40-released-runs.sh installs.
#
#   bazel run -c opt //laws/benchmarks:compare_authors -- [decay|coef5|all] [--threads=N]
#
# decay: R_D*, R_N* with a, b, e, alpha, beta frozen, start grid {0,4,...,20}^2 (36 starts).
# coef5: a, b, e, alpha, beta free (R_D*, R_N* frozen), 900 starts (a, b in linspace(0,25,5),
#        e in linspace(-1,1,4), alpha, beta in linspace(0,1,3)); the authors' side takes minutes.
# The two coef5 objectives differ by definition: the authors' script computes U_N once from the
# App. B coefficients, ours recomputes it from the coefficients being fitted (Eq. 15); we also
# report our objective at the authors' best point, and a like-for-like fit: the Chinchilla form
# on the authors' fixed effective inputs (N', D') (authors_inputs.py), whose objective is
# exactly the authors' coef5 objective, from the same 900 starts.
set -euo pipefail
MODE="${1:-decay}"
THREADS=1
[[ "${2:-}" == --threads=* ]] && THREADS="${2#--threads=}"
HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
ROOT="${BUILD_WORKSPACE_DIRECTORY:-$(cd "$HERE/../.." && pwd)}"
RUNS="${DATAWALL_RUNS_CSV:-$ROOT/data/raw/datablations/runs.csv}"
if [[ ! -r "$RUNS" ]]; then
  echo "compare_authors: released runs: $RUNS cannot be read; install them with" \
    "\`bash tools/setup.d/40-released-runs.sh .\`, or set DATAWALL_RUNS_CSV=PATH" >&2
  exit 2
fi
AUTHORS="${AUTHORS_FIT_PY:-}"
if [[ ! -r "$AUTHORS" ]]; then
  echo "compare_authors: set AUTHORS_FIT_PY to the authors' baseline fit_authors.py (not in this repository)" >&2
  exit 2
fi
FIT="${RUNFILES_DIR:-$0.runfiles}/datawall/laws/fit"
[[ -x "$FIT" ]] || FIT="$ROOT/bazel-bin/laws/fit"
EVALUATE="$(dirname "$FIT")/evaluate"
# authors_inputs.py: in the runfiles under `bazel run`, else beside this script in the checkout.
INPUTS="${RUNFILES_DIR:-$0.runfiles}/datawall/laws/benchmarks/authors_inputs.py"
[[ -r "$INPUTS" ]] || INPUTS="$ROOT/laws/benchmarks/authors_inputs.py"
PY=/usr/bin/python3
if ! "$PY" -c "import torch" 2>/dev/null; then
  echo "compare_authors: $PY cannot import torch (apt-get install -y python3-torch)" >&2
  exit 2
fi
TMP="$(mktemp -d)"
trap 'rm -rf "$TMP"' EXIT
echo "machine: $(nproc) CPUs, load $(cut -d' ' -f1-3 /proc/loadavg); threads: ours $THREADS, authors 1"

run_mode() {
  local mode="$1" flags
  if [[ "$mode" == decay ]]; then
    flags=(--fixed=a,b,e,alpha,beta)
  else
    flags=(--fixed=rd_star,rn_star --grid='a=0:25:5;b=0:25:5;e=-1:1:4;alpha=0:1:3;beta=0:1:3')
  fi
  "$FIT" --runs="$RUNS" --subset=in_fit_set "${flags[@]}" --threads="$THREADS" --format=json \
    >"$TMP/ours.json"
  "$PY" "$AUTHORS" --mode "$mode" --k 6 --threads 1 | tail -1 >"$TMP/authors.json"
  # Our objective at the authors' best point (exact float64, our definitions).
  "$PY" - "$TMP/authors.json" >"$TMP/authors_law.textproto" <<'PY'
import json, sys
p = json.load(open(sys.argv[1]))["params"]
print("form: DATA_CONSTRAINED")
for n, v in zip(["a", "b", "e", "alpha", "beta", "rd_star", "rn_star"], p):
    print('coefficient { name: "%s" value: %.9g }' % (n, v))
PY
  "$EVALUATE" --runs="$RUNS" --subset=in_fit_set --law="$TMP/authors_law.textproto" \
    --format=json >"$TMP/authors_eval.json"
  "$PY" - "$mode" "$TMP/ours.json" "$TMP/authors.json" "$TMP/authors_eval.json" <<'PY'
import json, sys
mode, ours, authors, at = sys.argv[1], *(json.load(open(f)) for f in sys.argv[2:])
ours_ms = ours["wall_ms"]
auth_ms = authors["fit_seconds"] * 1e3
print(f"[{mode}] starts: ours {ours['starts']}, authors {authors['starts']} "
      f"({authors['nonfinite_starts']} non-finite)")
print(f"  fit time   ours {ours_ms:10.1f} ms   authors {auth_ms:10.1f} ms   ratio {auth_ms / ours_ms:7.1f}x")
print(f"  objective  ours {ours['objective']:.9g} (our definition)   authors {authors['objective_f64_at_best']:.9g} "
      f"(their float64 recomputation)   ours at their best point {at['objective']:.9g}")
c = ours["coefficients"]
print("  our best: " + " ".join(f"{k}={c[k]:.6g}" for k in ["a", "b", "e", "alpha", "beta", "rd_star", "rn_star"])
      + f"; {len(ours['minima'])} distinct minima")
print("  authors' best: " + " ".join(f"{v:.6g}" for v in authors["params"]))
PY
  if [[ "$mode" == coef5 ]]; then
    "$PY" "$INPUTS" "$RUNS" "$TMP/authors_inputs.csv"
    "$FIT" --runs="$TMP/authors_inputs.csv" --subset=in_fit_set --law=chinchilla \
      --grid='a=0:25:5;b=0:25:5;e=-1:1:4;alpha=0:1:3;beta=0:1:3' --threads="$THREADS" \
      --format=json >"$TMP/ours_fixed.json"
    "$PY" - "$TMP/ours_fixed.json" "$TMP/authors.json" <<'PY'
import json, sys
ours, authors = (json.load(open(f)) for f in sys.argv[1:])
ours_ms, auth_ms = ours["wall_ms"], authors["fit_seconds"] * 1e3
print(f"[coef5, like for like: the authors' fixed U_N, R_N, R_D] starts: ours {ours['starts']}")
print(f"  fit time   ours {ours_ms:10.1f} ms   authors {auth_ms:10.1f} ms   ratio {auth_ms / ours_ms:7.1f}x")
print(f"  objective  ours {ours['objective']:.10g}   authors {authors['objective_f64_at_best']:.10g} "
      f"({'ours lower or equal' if ours['objective'] <= authors['objective_f64_at_best'] else 'AUTHORS LOWER'})")
PY
  fi
}

case "$MODE" in
  decay|coef5) run_mode "$MODE" ;;
  all) run_mode decay; run_mode coef5 ;;
  *) echo "compare_authors: mode must be decay, coef5 or all" >&2; exit 2 ;;
esac
