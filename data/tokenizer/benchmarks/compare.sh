#!/usr/bin/env bash
# Side-by-side GPT-2 encode throughput: our encoder (tok_bench, C++) and js-tiktoken 1.0.21 (node,
# tok_bench.js) on the same texts in one run, same machine, one thread each; then our
# EncodeParallel with --threads. Checks that both produce identical ids (cmp of the u16 dumps) and
# prints MB/s for both, the ratio, and the parallel speedup, then the speedup that perfectly
# parallel code gets on the machine at that moment (cpu_scaling_control). Not a test.
#
# Rerun:  bash data/tokenizer/benchmarks/compare.sh [--reps R] [--threads T] [FILE...]
#   default FILEs: data/work/tokbench/{prose,code}.txt (built by build_texts.sh if missing; the
#   same 12.0 MB of man pages and 10.9 MB of Python as the shared baseline).
#   BAZEL_OUTPUT_BASE=DIR passes --output_base=DIR to bazel.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../../.." && pwd)
reps=5 threads=2 files=()
while [ $# -gt 0 ]; do
  case "$1" in
    --reps) reps=$2; shift 2 ;;
    --threads) threads=$2; shift 2 ;;
    -*) echo "compare.sh: unknown option $1" >&2; exit 2 ;;
    *) files+=("$1"); shift ;;
  esac
done
if [ ${#files[@]} -eq 0 ]; then
  [ -s "$root/data/work/tokbench/prose.txt" ] && [ -s "$root/data/work/tokbench/code.txt" ] \
    || bash "$here/build_texts.sh" >&2
  files=("$root/data/work/tokbench/prose.txt" "$root/data/work/tokbench/code.txt")
fi
bazel=(bazel)
[ -n "${BAZEL_OUTPUT_BASE:-}" ] && bazel+=(--output_base="$BAZEL_OUTPUT_BASE")
(cd "$root" && "${bazel[@]}" build -c opt //data/tokenizer/benchmarks:tok_bench \
  //data/tokenizer/benchmarks:cpu_scaling_control >&2)
bindir="$(cd "$root" && "${bazel[@]}" info -c opt bazel-bin 2>/dev/null)/data/tokenizer/benchmarks"
bin="$bindir/tok_bench"
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
echo "load average before: $(cut -d' ' -f1-3 /proc/loadavg)"
echo "machine: $(nproc) CPUs, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | xargs); node $(node --version)"
for f in "${files[@]}"; do
  js=$(node "$here/tok_bench.js" "$f" --reps "$reps" --dump "$tmp/js.u16")
  cc=$(cd "$root" && "$bin" "$f" --reps="$reps" --threads="$threads" --dump="$tmp/cc.u16")
  if cmp -s "$tmp/js.u16" "$tmp/cc.u16"; then same=identical; else same=DIFFERENT; fi
  JS="$js" CC="$cc" SAME="$same" FILE="$f" node -e '
    const js = JSON.parse(process.env.JS), cc = JSON.parse(process.env.CC);
    const f = (x) => x.toFixed(2);
    console.log(`${require("path").basename(process.env.FILE)}: ${(js.bytes / 1e6).toFixed(1)} MB, ` +
      `${js.tokens} tokens, ids ${process.env.SAME} (fnv ${js.fnv1a32_ids} vs ${cc.fnv1a32_ids})`);
    console.log(`  js-tiktoken 1 thread: ${f(js.warm_MBps)} MB/s warm median (cold ${f(js.cold_MBps)})`);
    console.log(`  datawall    1 thread: ${f(cc.warm_MBps)} MB/s warm median (cold ${f(cc.cold_MBps)}; ` +
      `CPUs busy on average: ${cc.warm_cpus_busy.toFixed(2)})`);
    console.log(`  ratio datawall/js-tiktoken: ${f(cc.warm_MBps / js.warm_MBps)}x`);
    if (cc.threads > 1) {
      console.log(`  datawall ${cc.threads} threads (EncodeParallel): ` +
        `${f(cc.parallel_MBps)} MB/s, speedup ${f(cc.parallel_speedup)}x over 1 thread ` +
        `(CPUs busy on average: ${cc.parallel_cpus_busy.toFixed(2)}), ids ` +
        (cc.parallel_ids_identical ? "identical" : "DIFFERENT"));
      // Work per CPU-second: equal figures mean the threads add no overhead, so the wall-clock
      // speedup is what the CPUs the machine grants allow (on a loaded machine, little).
      const one = cc.warm_MBps / cc.warm_cpus_busy, par = cc.parallel_MBps / cc.parallel_cpus_busy;
      console.log(`  MB per CPU-second: 1 thread ${f(one)}, ${cc.threads} threads ${f(par)} ` +
        `(parallel efficiency ${(100 * par / one).toFixed(0)}%)`);
    }'
  [ "$same" = identical ] || { echo "compare.sh: ids differ on $f" >&2; exit 1; }
done
if [ "$threads" -gt 1 ]; then
  ctl=$("$bindir/cpu_scaling_control" "$threads")
  CTL="$ctl" node -e '
    const c = JSON.parse(process.env.CTL);
    console.log(`control: perfectly parallel spin loops get ${c.ideal_code_speedup.toFixed(2)}x with ` +
      `${c.threads} threads here now (CPUs busy: ${c.one_thread_cpus_busy.toFixed(2)} with 1 thread, ` +
      `${c.many_threads_cpus_busy.toFixed(2)} with ${c.threads})`);'
fi
echo "load average after: $(cut -d' ' -f1-3 /proc/loadavg)"
