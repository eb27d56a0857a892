#!/usr/bin/env bash
# //data:dedup end to end: on random corpora (two JSONL files) with planted 100+ byte duplicates
# across documents (and a repeat inside one document, which must not count), --format=json
# reports exactly the planted spans and the documents holding them, with the report's keys;
# --out_dir writes per-source JSONL that the CLI (the same reader as //data:prepare) reads back,
# with nothing duplicated left in document mode and exactly the planted bytes cut in span mode.
# Bad flags, a missing file and a malformed line exit 2 with one line.
set -euo pipefail
dedup="$TEST_SRCDIR/datawall/data/dedup/dedup"
tmp="$TEST_TMPDIR"
/usr/bin/python3 - "$tmp" <<'PY'
import json, random, sys
tmp = sys.argv[1]
rng = random.Random(5)
letters = "abcdefghijklmnopqrstuvwxyz "
def text(n): return "".join(rng.choice(letters) for _ in range(n))
docs = {"alpha": [], "beta": []}
for src in docs:
    for i in range(30):
        docs[src].append({"src": src, "id": f"{src}/{i}", "text": text(rng.randrange(0, 2000))})
expected = {}  # (src, id) -> spans
borders = iter("ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789")
for s in range(6):
    planted = text(100 + rng.randrange(0, 300)) + "é"  # ends inside no character: é is whole
    targets = rng.sample([(src, i) for src in docs for i in range(30)], 2 + s % 2)
    for src, i in targets:
        d = docs[src][i]
        left, right = next(borders), next(borders)
        b = len(d["text"].encode()) + 1
        d["text"] += left + planted + right + text(50)
        expected.setdefault(f"{src}\t{d['id']}", []).append([b, b + len(planted.encode())])
# A repeat inside one document only.
d = docs["alpha"][0] if "alpha\talpha/0" not in expected else docs["alpha"][1]
r = text(300)
d["text"] += "<" + r + ">" + "[" + r + "]"
for src in docs:
    with open(f"{tmp}/{src}.jsonl", "w") as f:
        for d in docs[src]:
            f.write(json.dumps(d, ensure_ascii=False) + "\n")
with open(f"{tmp}/summary.tsv", "w") as f:
    f.write("alpha\tmix\tprose\t30\t0\nbeta\tmix\ttech\t30\t0\n")
json.dump(expected, open(f"{tmp}/expected.json", "w"))
PY

"$dedup" --docs="$tmp/alpha.jsonl" --docs "$tmp/beta.jsonl" --min_span_chars=100 --mode=document \
  --format=json --out_dir="$tmp/doc_out" > "$tmp/report.json"
"$dedup" --docs "$tmp/alpha.jsonl" "$tmp/beta.jsonl" --mode=span --format=json \
  --out_dir="$tmp/span_out" > "$tmp/span.json"
"$dedup" --docs="$tmp/doc_out/alpha.jsonl,$tmp/doc_out/beta.jsonl" --format=json > "$tmp/again.json"
"$dedup" --docs="$tmp/alpha.jsonl,$tmp/beta.jsonl" > "$tmp/report.txt"
grep -q "^document mode removes:" "$tmp/report.txt" || { echo "FAIL: text report"; exit 1; }

/usr/bin/python3 - "$tmp" <<'PY'
import json, sys
tmp = sys.argv[1]
expected = json.load(open(f"{tmp}/expected.json"))
rep = json.load(open(f"{tmp}/report.json"))
for key in ["documents", "bytes", "documents_with_spans", "spans", "duplicate_span_bytes",
            "removed_document_count", "removed_bytes", "removed_documents", "document_mode",
            "span_mode", "per_source", "duplicated", "min_span_chars", "mode"]:
    assert key in rep, key
assert rep["documents"] == 60 and rep["min_span_chars"] == 100 and rep["mode"] == "document"
found = {f"{d['src']}\t{d['id']}": d["spans"] for d in rep["duplicated"]}
assert found == expected, (found, expected)
assert sorted(f"{d['src']}\t{d['id']}" for d in rep["removed_documents"]) == sorted(expected)
planted = sum(e - b for spans in expected.values() for b, e in spans)
assert rep["duplicate_span_bytes"] == planted, (rep["duplicate_span_bytes"], planted)
assert [s["src"] for s in rep["per_source"]] == ["alpha", "beta"]
assert sum(s["duplicate_span_bytes"] for s in rep["per_source"]) == planted
assert rep["removed_document_count"] == len(expected)

def read(d):
    docs = {}
    for src in ["alpha", "beta"]:
        for line in open(f"{tmp}/{d}/{src}.jsonl", encoding="utf-8"):
            doc = json.loads(line)
            assert sorted(doc) == ["id", "src", "text"] and doc["src"] == src
            docs[f"{src}\t{doc['id']}"] = doc["text"].encode()
    return docs
orig = read(".")
kept = read("doc_out")
assert sorted(kept) == sorted(k for k in orig if k not in expected)
assert all(kept[k] == orig[k] for k in kept)
summary = open(f"{tmp}/doc_out/summary.tsv").read().split("\n")
assert summary[0].split("\t")[:4] == ["alpha", "mix", "prose", str(sum(k.startswith("alpha") for k in kept))], summary
again = json.load(open(f"{tmp}/again.json"))
assert again["documents"] == len(kept) and again["duplicate_span_bytes"] == 0, again

span = json.load(open(f"{tmp}/span.json"))
assert span["mode"] == "span" and span["removed_documents"] == [] and span["removed_document_count"] == 0
assert span["removed_bytes"] == planted == span["span_mode"]["removed_bytes"]
cut = read("span_out")
assert sorted(cut) == sorted(orig)
for key, text in orig.items():
    want = text
    for b, e in reversed(expected.get(key, [])):
        want = want[:b] + want[e:]
    assert cut[key] == want, key
print("reports ok")
PY

# Bad input: exit 2 and exactly one line.
expect_two() {
  local err rc
  set +e
  err=$("$dedup" "$@" 2>&1 >/dev/null)
  rc=$?
  set -e
  [ "$rc" = 2 ] || { echo "FAIL: exit $rc for $*: $err"; exit 1; }
  [ "$(printf '%s\n' "$err" | wc -l)" = 1 ] || { echo "FAIL: not one line for $*: $err"; exit 1; }
  echo "ok ($*): $err"
}
printf '{"src": "a", "id": "1", "text": "fine"}\n{"src": "a", "id": 2, "text": "x"}\n' > "$tmp/bad.jsonl"
printf '{"src": "a", "id": "1", "text": "fine"}\nnot json\n' > "$tmp/bad2.jsonl"
expect_two
expect_two --docs="$tmp/missing.jsonl"
expect_two --docs="$tmp/alpha.jsonl" "$tmp/missing.jsonl"
expect_two --docs="$tmp/bad.jsonl"
expect_two --docs="$tmp/bad2.jsonl"
expect_two --docs="$tmp/alpha.jsonl" --mode=paragraph
expect_two --docs="$tmp/alpha.jsonl" --min_span_chars=0
expect_two --docs="$tmp/alpha.jsonl" --min_span_chars=ten
expect_two --docs="$tmp/alpha.jsonl" --format=xml
expect_two --docs="$tmp/alpha.jsonl" --no_such_flag=1
echo PASS
