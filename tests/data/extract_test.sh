#!/usr/bin/env bash
# data/extract/extract.py: two forced runs give byte-identical documents (determinism), every
# line is a {"src","id","text"} object with unique ids, and bad input exits 2 with one line.
# Needs data/raw (tools/setup.sh fetches it); skips itself when absent.
set -euo pipefail
ws=$(dirname "$(readlink -f "$TEST_SRCDIR/datawall/WORKSPACE")")
extract="$TEST_SRCDIR/datawall/data/extract/extract.py"
raw="$ws/data/raw"
if [ ! -f "$raw/MANIFEST.tsv" ]; then echo "SKIP: $raw missing"; exit 0; fi
sources=sotu,email_spam,brown,austen,webbible,fortunes,manpages,lohelp,gitdoc,python_stdlib
for run in a b; do
  /usr/bin/python3 "$extract" --raw="$raw" --out="$TEST_TMPDIR/$run" --sources=$sources \
    --max_documents_per_source=25 --force 2>/dev/null
done
for f in "$TEST_TMPDIR"/a/*.jsonl; do
  cmp "$f" "$TEST_TMPDIR/b/$(basename "$f")" || { echo "FAIL: $(basename "$f") differs"; exit 1; }
done
[ "$(ls "$TEST_TMPDIR"/a/*.jsonl | wc -l)" = 10 ] || { echo "FAIL: expected 10 sources"; exit 1; }
/usr/bin/python3 - "$TEST_TMPDIR/a" <<'PY'
import json, os, sys
d = sys.argv[1]
for name in sorted(os.listdir(d)):
    if not name.endswith(".jsonl"):
        continue
    src, ids = name[:-6], set()
    with open(os.path.join(d, name), encoding="utf-8") as f:
        for line in f:
            doc = json.loads(line)
            assert sorted(doc) == ["id", "src", "text"], doc.keys()
            assert doc["src"] == src and doc["text"].strip(), (name, doc["id"])
            assert doc["id"] not in ids, (name, doc["id"])
            ids.add(doc["id"])
    assert len(ids) == 25, (name, len(ids))
print("documents ok")
PY
# Bad input: exit 2 and exactly one line.
expect_two() {
  local err
  set +e
  err=$(/usr/bin/python3 "$extract" "$@" 2>&1 >/dev/null)
  local rc=$?
  set -e
  [ $rc = 2 ] || { echo "FAIL: rc=$rc for $*: $err"; exit 1; }
  [ "$(printf '%s\n' "$err" | wc -l)" = 1 ] || { echo "FAIL: not one line: $err"; exit 1; }
  echo "ok: $err"
}
expect_two --raw="$raw" --out="$TEST_TMPDIR/c" --sources=nonsense
expect_two --raw="$TEST_TMPDIR/no_raw" --out="$TEST_TMPDIR/c" --sources=sotu
echo PASS
