"""Extractor for the code corpus: the CPython 3.11 standard library and its test suite.

One .py file = one document, taken from the three Debian packages' trees; symlinks, files under
50 bytes or over 1 MB, and files that are not UTF-8 are skipped. Not a Python parser: invalid
files that are valid UTF-8 (lib2to3 fixtures, badsyntax tests) are kept on purpose.
"""
import glob
import os

ROOT = "root"
PACKAGES = ("libpython3.11-minimal", "libpython3.11-stdlib", "libpython3.11-testsuite")


def python_stdlib(raw):
    seen = set()
    entries = []
    for package in PACKAGES:
        base = os.path.join(raw, ROOT, package, "usr/lib/python3.11")
        for path in glob.glob(os.path.join(base, "**", "*.py"), recursive=True):
            rel = os.path.relpath(path, base)
            if rel in seen or os.path.islink(path) or not os.path.isfile(path):
                continue
            seen.add(rel)
            entries.append((rel, path))
    for rel, path in sorted(entries):
        size = os.path.getsize(path)
        if size < 50 or size > 1_000_000:
            continue
        with open(path, "rb") as f:
            data = f.read()
        try:
            text = data.decode("utf-8")
        except UnicodeDecodeError:
            continue
        yield rel, text
