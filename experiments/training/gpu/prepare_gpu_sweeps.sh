#!/usr/bin/env bash
# prepare_gpu_sweeps.sh: makes what run_gpu_sweeps.sh (beside this file) needs on a machine
# without Bazel, under data/raw/gpu_carry/ (gitignored), for the device tool to carry with the
# tree (carry: data/raw/gpu_carry and data/raw/gpu_debs):
#   plans/<experiment>.json      the sweep CLI's dry run of each experiment at SCALE (default gpu)
#   shards/<path>.xz             every shard those plans read, whole (so every budget and data
#                                hash is exactly what it is here), xz-compressed (en_mix's train
#                                shard at vocabulary 1,024: 110.7 MB -> 26.2 MB)
#   MANIFEST                     scale, code (commit, dirty), experiments, shards with their
#                                sizes and checksums
# and runs carry_debs.sh (protobuf, Abseil, glog, gflags, nlohmann JSON into data/raw/gpu_debs).
#
#   bash experiments/training/gpu/prepare_gpu_sweeps.sh return_isoflop_2b8 allocation_100m
#   SCALE=smoke bash experiments/training/gpu/prepare_gpu_sweeps.sh return_isoflop_8b7   (the CPU check)
#
# Needs Bazel (it runs the experiment targets' dry runs) and xz. Idempotent: a shard is
# recompressed only when its checksum changed. Prints the carry's size; exits 1 on any failure.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../../.." && pwd)"
SCALE="${SCALE:-gpu}"
carry="$ROOT/data/raw/gpu_carry"
die() { echo "prepare_gpu_sweeps.sh: $*" >&2; exit 1; }
[ $# -gt 0 ] || die "usage: prepare_gpu_sweeps.sh EXPERIMENT... (e.g. return_isoflop_2b8 allocation_100m)"
command -v xz >/dev/null || die "xz not found"
cd "$ROOT"
bash experiments/training/gpu/carry_debs.sh >/dev/null
mkdir -p "$carry/plans" "$carry/shards"
rm -f "$carry/plans/"*.json
: > "$carry/MANIFEST.partial"
echo "scale $SCALE" >> "$carry/MANIFEST.partial"
# The code these plans and the carried tree are: the records made from them say so.
dirty=0
[ -z "$(git status --porcelain --untracked-files=no 2>/dev/null)" ] || dirty=1
echo "code $(git rev-parse HEAD 2>/dev/null || echo unknown) $dirty" >> "$carry/MANIFEST.partial"
shards=()
for e in "$@"; do
  [ -f "experiments/specs/$e.textproto" ] || die "$e: no experiments/specs/$e.textproto"
  bazel run -c opt "//experiments:$e" -- --scale="$SCALE" --dry_run --format=json \
    > "$carry/plans/$e.json" 2> "$carry/plans/$e.log" || die "$e: dry run failed (see $carry/plans/$e.log)"
  rm -f "$carry/plans/$e.log"
  echo "experiment $e" >> "$carry/MANIFEST.partial"
  while IFS= read -r s; do shards+=("$s"); done < <(python3 - "$carry/plans/$e.json" <<'PY'
import json, sys
plan = json.load(open(sys.argv[1]))
seen = set()
for run in plan["runs"]:
    spec = run["spec"]
    for p in [d["shard"] for d in spec.get("data", [])] + [spec.get("validation_shard", "")]:
        if p and p not in seen:
            seen.add(p)
            print(p)
PY
)
done
for s in $(printf '%s\n' "${shards[@]}" | sort -u); do
  [ -f "$s" ] || die "$s: missing (prepare it: the experiment target without --dry_run does)"
  sum=$(cksum < "$s" | cut -d' ' -f1)
  out="$carry/shards/$s.xz"
  mkdir -p "$(dirname "$out")"
  if [ "$(cat "$out.cksum" 2>/dev/null)" != "$sum" ]; then
    xz -6 -T2 -c "$s" > "$out.partial" && mv "$out.partial" "$out"
    echo "$sum" > "$out.cksum"
  fi
  echo "shard $s $(stat -c %s "$s") $sum" >> "$carry/MANIFEST.partial"
done
mv "$carry/MANIFEST.partial" "$carry/MANIFEST"
echo "prepare_gpu_sweeps.sh: $(du -sh "$carry" | cut -f1) in $carry, $(du -sh data/raw/gpu_debs | cut -f1) in data/raw/gpu_debs"
