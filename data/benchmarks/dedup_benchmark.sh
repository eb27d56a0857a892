#!/usr/bin/env bash
# Times //data:dedup (exact-substring deduplication, data/dedup/dedup.h) on the extracted corpora:
# en_mix alone and en_mix + python_stdlib, in both removal modes, each writing its filtered
# documents to a temporary --out_dir. Prints one line per run: documents, documents and bytes
# removed, bytes inside duplicated spans, wall time and peak resident memory (GNU time -v).
# Not a test: it needs data/work/docs (bazel run -c opt //data:prepare, or data/extract) and
# takes about two minutes on this machine. Usage: data/benchmarks/dedup_benchmark.sh [K]
set -euo pipefail
root=$(cd "$(dirname "$0")/../.." && pwd)
cd "$root"
k=${1:-100}
docs=data/work/docs
[ -f "$docs/summary.tsv" ] || { echo "dedup_benchmark: $docs/summary.tsv missing (run //data:prepare)" >&2; exit 2; }
[ -x /usr/bin/time ] || { echo "dedup_benchmark: /usr/bin/time missing (apt-get install time)" >&2; exit 2; }
nice bazel build -c opt //data/dedup:dedup >/dev/null 2>&1
bin=bazel-bin/data/dedup/dedup
en_mix=$(awk -F'\t' -v d="$docs" '$2 == "en_mix" { printf "%s%s/%s.jsonl", sep, d, $1; sep = "," }' "$docs/summary.tsv")
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
printf '%-22s %-8s %7s %8s %6s %11s %6s %10s %6s %7s %8s\n' corpus mode docs removed "%" \
  removed_B "%" span_B "%" wall_s peak_MB
for corpus in en_mix en_mix+python_stdlib; do
  files=$en_mix
  [ "$corpus" = en_mix ] || files="$files,$docs/python_stdlib.jsonl"
  for mode in document span; do
    /usr/bin/time -v -o "$tmp/time" "$bin" --docs="$files" --min_span_chars="$k" --mode="$mode" \
      --out_dir="$tmp/out" --format=json > "$tmp/report.json"
    wall=$(awk -F': ' '/Elapsed \(wall clock\)/ { n = split($2, t, ":"); s = 0;
      for (i = 1; i <= n; i++) s = s * 60 + t[i]; printf "%.1f", s }' "$tmp/time")
    rss=$(awk -F': ' '/Maximum resident set size/ { printf "%.0f", $2 / 1024 }' "$tmp/time")
    /usr/bin/python3 - "$tmp/report.json" "$corpus" "$mode" "$wall" "$rss" <<'PY'
import json, sys
r = json.load(open(sys.argv[1]))
corpus, mode, wall, rss = sys.argv[2:]
pct = lambda a, b: 100.0 * a / b if b else 0.0
print(f"{corpus:<22} {mode:<8} {r['documents']:>7} {r['removed_document_count']:>8} "
      f"{pct(r['removed_document_count'], r['documents']):>5.1f}% {r['removed_bytes']:>11} "
      f"{pct(r['removed_bytes'], r['bytes']):>5.1f}% {r['duplicate_span_bytes']:>10} "
      f"{pct(r['duplicate_span_bytes'], r['bytes']):>5.1f}% {wall:>7} {rss:>8}")
PY
    rm -rf "$tmp/out"
  done
done
