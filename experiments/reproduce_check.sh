#!/usr/bin/env bash
# CI's reproducibility check of the committed results: makes sure the cpu-scale shards exist
# (`//data:prepare -- --tokenizer=small --small_vocab_size=1024`; tools/setup.d/50-cpu-shards.sh
# already made them, so this takes seconds) and retrains the cheapest complete committed cpu run with
# `//experiments:reproduce`, which must give its recorded final validation loss bit for bit on the
# recorded BLAS kernel, else within 1e-6 relative. Exit 0 reproduced, else non-zero.
# Usage: bash experiments/reproduce_check.sh [RESULTS_DIR]   (default experiments/results/cpu)
set -uo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
results="${1:-experiments/results/cpu}"
bazel run -c opt //data:prepare -- --tokenizer=small --small_vocab_size=1024 --nofetch --quiet \
  >/dev/null || { echo "reproduce_check: //data:prepare failed"; exit 1; }
bazel run -c opt //experiments:reproduce -- --results="$results"
