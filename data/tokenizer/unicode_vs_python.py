#!/usr/bin/python3
"""Counts code points whose GPT-2 pre-tokenizer class differs between our table (JavaScript's
\\p{L}, \\p{N}, \\s, read as `gen_unicode_classes.js --ranges` lines on stdin) and Python's
unicodedata categories plus the Unicode White_Space property (what OpenAI's Python encoder and
tiktoken use for \\s). For docs/tokenizer.md; not used by the build.

Run: node data/tokenizer/gen_unicode_classes.js --ranges | /usr/bin/python3 data/tokenizer/unicode_vs_python.py
"""
import bisect
import sys
import unicodedata

NAMES = {0: "other", 1: "letter", 2: "number", 3: "space"}
WHITE_SPACE = set([9, 10, 11, 12, 13, 32, 0x85, 0xA0, 0x1680, 0x2028, 0x2029, 0x202F, 0x205F,
                   0x3000] + list(range(0x2000, 0x200B)))
runs = [(int(a, 16), int(b)) for a, b in (line.split() for line in sys.stdin if line.strip())]
starts = [s for s, _ in runs]
counts = {}
examples = {}
for cp in range(0x110000):
    if 0xD800 <= cp <= 0xDFFF:
        continue
    cat = unicodedata.category(chr(cp))
    py = 1 if cat[0] == "L" else 2 if cat[0] == "N" else 3 if cp in WHITE_SPACE else 0
    js = runs[bisect.bisect_right(starts, cp) - 1][1]
    if py != js:
        counts[(py, js)] = counts.get((py, js), 0) + 1
        examples.setdefault((py, js), cp)
print(f"Python unicodedata {unicodedata.unidata_version} vs the JavaScript table:")
for (py, js), n in sorted(counts.items()):
    print(f"  {n:6d} code points: Python {NAMES[py]}, JavaScript {NAMES[js]} "
          f"(e.g. U+{examples[(py, js)]:04X})")
