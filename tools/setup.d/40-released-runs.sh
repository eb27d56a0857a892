#!/usr/bin/env bash
# Installs the paper's released runs (the final losses of the authors' 296 training runs, from
# utils/parametric_fit.ipynb of huggingface/datablations, Apache-2.0) into
# data/raw/datablations/runs.csv (gitignored), where laws/released_runs.h finds them. The first
# source that works wins:
#   1. the file $DATAWALL_RUNS_CSV names;
#   2. the mirror ../shared/datablations/runs.csv beside the repository (this repository's CI);
#   3. the authors' notebook, fetched from GitHub (20 s timeout) and converted by our own
#      extractor, tools/released_runs/extract_runs.py.
# Whatever the source, the file must have 296 records and the sha256 below, or it is not
# installed. Says in one line what it did. Idempotent: an installed file that verifies is kept.
# Never fails setup: when nothing works it prints one line saying what to download and where to
# put it, and exits 0 (the tools that need the runs then fail with their own one-line message).
#
# Usage: 40-released-runs.sh REPO_ROOT   (tools/setup.sh passes it)
# For this hook's test only: DATAWALL_RUNS_MIRROR (instead of ../shared/...),
# DATAWALL_RUNS_NOTEBOOK_URL (instead of GitHub), DATAWALL_RUNS_EXPECT="COUNT SHA256".
set -uo pipefail
root=${1:?usage: 40-released-runs.sh REPO_ROOT}
root=$(cd "$root" && pwd)

dest="$root/data/raw/datablations/runs.csv"
rel_dest="data/raw/datablations/runs.csv"
mirror=${DATAWALL_RUNS_MIRROR:-$(realpath -m "$root/../shared/datablations/runs.csv")}
url=${DATAWALL_RUNS_NOTEBOOK_URL:-https://raw.githubusercontent.com/huggingface/datablations/main/utils/parametric_fit.ipynb}
read -r want_count want_sha <<< "${DATAWALL_RUNS_EXPECT:-296 ff9f767c23147bc253cc92284e9fca919a478e0caf47037b3ea285719e373d8c}"
extractor="$root/tools/released_runs/extract_runs.py"
header="key,params,tokens,unique_tokens,val_loss,in_fit_set"

say() { echo "  released runs: $*"; }

# check FILE: empty when FILE is the released runs, else why not (one phrase).
check() {
  [ -r "$1" ] || { echo "cannot read $1"; return; }
  local first count sha
  first=$(head -n 1 "$1" | tr -d '\r')
  [ "$first" = "$header" ] || { echo "$1: header is not $header"; return; }
  count=$(( $(wc -l < "$1") - 1 ))
  [ "$count" = "$want_count" ] || { echo "$1: $count records, expected $want_count"; return; }
  sha=$(sha256sum "$1" | awk '{print $1}')
  [ "$sha" = "$want_sha" ] || { echo "$1: sha256 $sha, expected $want_sha"; return; }
}

# install FILE HOW: copies a verified FILE into place (atomically) and says so.
install_from() {
  mkdir -p "$(dirname "$dest")"
  cp "$1" "$dest.tmp.$$" && mv -f "$dest.tmp.$$" "$dest" || { rm -f "$dest.tmp.$$"; say "cannot write $dest"; exit 1; }
  say "${rejected}installed $rel_dest from $2 ($want_count runs, sha256 ok)"
  exit 0
}

rejected=""
if [ -e "$dest" ]; then
  why=$(check "$dest")
  if [ -z "$why" ]; then
    say "$rel_dest already installed ($want_count runs, sha256 ok)"
    exit 0
  fi
  # Not the released runs: moved aside, never read by the tools, never deleted.
  mv -f "$dest" "$dest.rejected"
  rejected="moved the installed file aside to $rel_dest.rejected (${why#"$dest: "}); "
fi

if [ -n "${DATAWALL_RUNS_CSV:-}" ]; then
  why=$(check "$DATAWALL_RUNS_CSV")
  [ -z "$why" ] && install_from "$DATAWALL_RUNS_CSV" "\$DATAWALL_RUNS_CSV"
  say "${rejected}not installed: DATAWALL_RUNS_CSV: $why"
  exit 0
fi

if [ -e "$mirror" ]; then
  why=$(check "$mirror")
  [ -z "$why" ] && install_from "$mirror" "the mirror $mirror"
  say "${rejected}not installed: the mirror $why"
  exit 0
fi

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
fetch_problem=""
if ! command -v curl > /dev/null; then
  fetch_problem="curl not found"
elif ! curl -fsSL --max-time 20 -o "$tmp/parametric_fit.ipynb" "$url" 2> "$tmp/curl.err"; then
  fetch_problem="cannot fetch $url ($(tr '\n' ' ' < "$tmp/curl.err" | sed 's/ *$//'))"
elif ! /usr/bin/python3 "$extractor" "$tmp/parametric_fit.ipynb" "$tmp/runs.csv" 2> "$tmp/x.err"; then
  fetch_problem="$(head -n 1 "$tmp/x.err")"
else
  why=$(check "$tmp/runs.csv")
  [ -z "$why" ] && install_from "$tmp/runs.csv" "$url (extracted by tools/released_runs/extract_runs.py)"
  fetch_problem="extracted runs from $url do not verify: ${why#"$tmp/runs.csv: "}"
fi
say "${rejected}not installed ($fetch_problem): download $url and run" \
    "'python3 tools/released_runs/extract_runs.py parametric_fit.ipynb $rel_dest'," \
    "or put a copy of runs.csv at $rel_dest or point DATAWALL_RUNS_CSV at one"
exit 0
