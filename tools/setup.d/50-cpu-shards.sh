#!/usr/bin/env bash
# Makes the token shards the cpu-scale experiments train on and the grid tests check
# (data/work/shards/small1024_full/: en_mix and python_stdlib, train and validation, with the
# 1,024-piece BPE trained here): `//data:prepare -- --tokenizer=small --small_vocab_size=1024`
# from the raw sources 30-data.sh fetched. About a minute on a fresh machine (extraction 27 s,
# encoding 33 s on 2 cores, plus building //data:prepare); a few seconds when they are up to date.
# Usage: 50-cpu-shards.sh REPO_ROOT   (tools/setup.sh passes it)
set -euo pipefail
root=${1:?usage: 50-cpu-shards.sh REPO_ROOT}
cd "$root"
bazel run -c opt //data:prepare -- --tokenizer=small --small_vocab_size=1024 --nofetch --quiet \
  > /dev/null
echo "cpu shards: data/work/shards/small1024_full/ ready"
