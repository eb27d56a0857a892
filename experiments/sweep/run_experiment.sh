#!/usr/bin/env bash
# Entry point of every experiment target (//experiments:<name>): runs the sweep CLI (first
# argument) with the experiment's spec, the train CLI and //data:prepare, which the target
# passes as the next arguments, followed by the user's flags (--scale=..., --dry_run, ...).
# Nothing else: all logic lives in experiments/sweep/sweep_main.cc.
set -euo pipefail
sweep="$1"
shift
exec "$sweep" "$@"
