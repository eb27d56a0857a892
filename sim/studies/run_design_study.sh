#!/usr/bin/env bash
# The experiment designer's simulation study (sim/studies/design_study.cc), end to end: builds
# //sim/studies:design_study (-c opt), runs it against the paper's law with 1% log-normal noise on
# the released runs' configurations, and writes into OUT_DIR
#   width_vs_flops.csv   order,seed,step,runs,cumulative_flops,width,median,at_bound
#   summary.txt          FLOPs per order to reach each width, and whether designed needs <= 1/3
#   width_vs_flops.svg   interval width vs cumulative FLOPs, designed / grid / random (gnuplot)
# Not here: the criterion (sim/design.h). Extra arguments go to design_study.
#
#   sim/studies/run_design_study.sh OUT_DIR [--target=n_opt@1e22,25e9 ...]   # from the repo root
set -euo pipefail
cd "$(dirname "$0")/../.."
out="${1:?usage: run_design_study.sh OUT_DIR [design_study flags]}"
shift
mkdir -p "$out"
nice bazel build -c opt //sim/studies:design_study >/dev/null 2>&1
bin="$(bazel info -c opt bazel-bin 2>/dev/null)"
nice "$bin/sim/studies/design_study" --random_orders=10 --resamples=64 --report_widths=2,1,0.3 \
  --out_csv="$out/width_vs_flops.csv" "$@" 2>/dev/null | tee "$out/summary.txt"

tmp="$(mktemp -d)"
trap 'rm -rf "$tmp"' EXIT
# One data file per order; blank lines between random seeds break the lines. Steps with more than
# 2.5% of the resamples at an end of R_D* / R_N* (at_bound) are left out: their width measures
# nothing (an ensemble piled on "no decay" has width ~0), and the summary does not count them.
awk -F, -v dir="$tmp" 'NR > 1 && $8 <= 0.025 {
  f = dir "/" $1 ".dat"
  key = $1 "/" $2
  if (key != last[$1] && last[$1] != "") print "" >> f
  last[$1] = key
  print $5, $6 >> f
}' "$out/width_vs_flops.csv"
target_width="$(sed -n 's/^width <= \([0-9.e+-]*\) (the stated target).*/\1/p' "$out/summary.txt")"
title="$(head -1 "$out/summary.txt" | sed 's/;.*//; s/_/\\\\_/g')"
gnuplot <<GP
set terminal svg size 760,460 font "Helvetica,12" background rgb "white"
set output "$out/width_vs_flops.svg"
set title "$title"
set logscale xy
set format x "10^{%L}"
set xlabel "cumulative training FLOPs (6ND, start runs included)"
set ylabel "95% bootstrap interval width (log scale of the target)"
set key top right
set label "steps with > 2.5% of resamples at an end of R* not drawn" at graph 0.02, graph 0.04 font ",9"
set grid
set arrow from graph 0, first $target_width to graph 1, first $target_width nohead dt 2 lc rgb "black"
set label "stated target $target_width" at graph 0.02, first $target_width offset 0,0.6
plot "$tmp/random.dat" using 1:2 with lines lw 1 lc rgb "#9ecae1" title "random (10 seeds)", \
     "$tmp/grid.dat" using 1:2 with linespoints lw 2 pt 7 ps 0.4 lc rgb "#636363" title "grid (ascending 6ND)", \
     "$tmp/designed.dat" using 1:2 with linespoints lw 2 pt 7 ps 0.4 lc rgb "#d62728" title "designed (k = 4 per batch)"
GP
echo "wrote $out/width_vs_flops.csv, $out/summary.txt, $out/width_vs_flops.svg"
