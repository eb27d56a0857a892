#!/usr/bin/env bash
# The perplexity_filter CLI's contract on real data (skips without data/work): a reference GPT
# trained by the train CLI on the validation shard scores the shard's documents; each of
# --filter=top25,top50,mid25_75 keeps its share of the documents outside --exclude_sources and
# writes its shard ({filter} in --out_shard) with <shard>.filter.json (scorer id and the reference's data hash) and the scores TSV; bad input
# exits 2 with one line.
set -uo pipefail
filter=experiments/quality/perplexity_filter
train=experiments/train
root=$(dirname "$(readlink -f WORKSPACE)")
shard=$root/data/work/shards/small1024_full/en_mix.validation.shard
tmp=${TEST_TMPDIR:-/tmp}
failures=0
fail() { echo "FAIL: $*"; failures=$((failures + 1)); }
if [ ! -f "$shard" ]; then echo "data/work missing: skipped"; exit 0; fi

cat >"$tmp/ref.textproto" <<SPEC
name: "reference"
model { d_model: 32 ffw_size: 128 kv_size: 16 n_heads: 2 n_layers: 1 vocab_size: 1024 seq_len: 64 }
total_tokens: 40960
unique_tokens: 40960
seed: 1
optimizer { max_lr: 0.003 batch_size: 8 }
data { name: "en_mix" shard: "$shard" }
validation_shard: "$shard"
eval_tokens: 4097
SPEC
"$train" --spec="$tmp/ref.textproto" --out="$tmp/ref" --progress_every_seconds=0 >"$tmp/train.log" 2>&1 ||
  { fail "reference training"; cat "$tmp/train.log"; exit 1; }

"$filter" --reference_run="$tmp/ref" --shard="$shard" --exclude_sources=brown,sotu \
  --filter=top25,top50,mid25_75 --out_shard="$tmp/{filter}.shard" --scores="$tmp/scores.tsv" --format=json >"$tmp/out.json" 2>"$tmp/err" ||
  { fail "filter run"; cat "$tmp/err"; }
python3 - "$tmp" <<'PY' || failures=$((failures + 1))
import json, sys, math
tmp = sys.argv[1]
r = json.load(open(tmp + "/out.json"))
for k in ["scorer_id", "reference_data_hash", "scored_documents", "scored_tokens", "filters",
          "tokens_per_second", "source_shard_checksum", "excluded_sources", "per_source"]:
    assert k in r, k
assert r["scorer_id"].startswith("gpt:"), r["scorer_id"]
n = r["scored_documents"]
want = {"top25": math.ceil(n / 4), "top50": math.ceil(n / 2),
        "mid25_75": math.ceil(3 * n / 4) - n // 4}
assert [f["filter"] for f in r["filters"]] == ["top25", "top50", "mid25_75"], r["filters"]
for f in r["filters"]:
    assert f["kept_documents"] == want[f["filter"]], f
    assert sum(c["documents"] for c in f["per_source"].values()) == f["kept_documents"], f
    side = json.load(open(tmp + "/" + f["filter"] + ".shard.filter.json"))
    assert side["scorer_id"] == r["scorer_id"] and side["reference_data_hash"] == r["reference_data_hash"]
    assert side["filter"] == f["filter"] and side["tokens"] == f["kept_tokens"]
assert "brown" not in r["per_source"] and "sotu" not in r["per_source"], r["per_source"]
lines = [l.rstrip("\n").split("\t") for l in open(tmp + "/scores.tsv") if not l.startswith("#")]
assert lines[0] == ["doc", "src", "id", "tokens", "nll", "perplexity", "top25", "top50", "mid25_75"], lines[0]
rows = lines[1:]
assert len(rows) == n, len(rows)
ppl = [float(row[5]) for row in rows]
for col in (6, 7):  # the top bands: every kept document below every dropped one
    kept = [p for p, row in zip(ppl, rows) if row[col] == "1"]
    dropped = [p for p, row in zip(ppl, rows) if row[col] == "0"]
    assert max(kept) <= min(dropped), lines[0][col]
print("ok:", n, "scored,", [f["kept_documents"] for f in r["filters"]], "kept,",
      round(r["tokens_per_second"]), "tokens/s")
PY

expect_usage() {  # NEEDLE ARGS...: exit 2 and one stderr line containing NEEDLE
  local needle=$1; shift
  "$filter" "$@" >/dev/null 2>"$tmp/err"; local rc=$?
  [ "$rc" -eq 2 ] || fail "$* -> exit $rc, want 2"
  grep -qF -- "$needle" "$tmp/err" || fail "$* -> stderr lacks '$needle': $(cat "$tmp/err")"
  [ "$(wc -l <"$tmp/err")" -eq 1 ] || fail "$* -> stderr is not one line"
}
expect_usage "--reference_run is required" --shard="$shard"
expect_usage "--filter=top75" --reference_run="$tmp/ref" --shard="$shard" --filter=top75 --out_shard=x
expect_usage "go together" --reference_run="$tmp/ref" --shard="$shard" --filter=top25
expect_usage "{filter}" --reference_run="$tmp/ref" --shard="$shard" --filter=top25,top50 --out_shard=x.shard
expect_usage "record.textproto" --reference_run="$tmp/nothing" --shard="$shard"
expect_usage "nothing.shard" --reference_run="$tmp/ref" --shard="$tmp/nothing.shard"

[ "$failures" -eq 0 ] && echo PASS || { echo "$failures failures"; exit 1; }
