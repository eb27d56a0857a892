"""Extractors for EN-MIX's technical-English sources (data-sources.md §5.2).

reST/POD/AsciiDoc are kept as written; HTML is converted to text; man pages are rendered with
groff (Debian's groff-base). Each extractor yields (id, text) in a fixed (sorted) order. Not a
markup converter: markup that survives is part of the data.
"""
import concurrent.futures
import glob
import gzip
import os
import re
import subprocess

import textutil

ROOT = "root"


def _root(raw, package, *parts):
    return os.path.join(raw, ROOT, package, *parts)


def _files(base, pattern):
    """Regular (non-symlink) files under base matching a glob pattern, sorted by path."""
    paths = glob.glob(os.path.join(base, pattern), recursive=True)
    return sorted(p for p in paths if os.path.isfile(p) and not os.path.islink(p))


def _rel(path, base):
    return os.path.relpath(path, base)


def linuxdoc(raw):
    base = _root(raw, "linux-doc-6.1", "usr/share/doc/linux-doc-6.1/Documentation")
    for path in _files(base, "**/*.gz"):
        rel = _rel(path, base)
        if rel.startswith(("devicetree/bindings/", "translations/", "ABI/")):
            continue
        name = os.path.basename(rel)[:-3]
        if "." in name and not name.endswith((".rst", ".txt")):
            continue  # scripts, images, YAML, ...
        with gzip.open(path, "rb") as f:
            data = f.read()
        yield rel[:-3], data.decode("utf-8", "replace")


def pythondoc(raw):
    base = _root(raw, "python3.11-doc", "usr/share/doc/python3.11/html/_sources")
    for path in _files(base, "**/*.rst.txt"):
        yield _rel(path, base), textutil.read_text(path)


def perldoc(raw):
    base = _root(raw, "perl-doc")
    for path in _files(base, "**/*.pod"):
        yield _rel(path, base), textutil.read_text(path)


def gitdoc(raw):
    base = _root(raw, "git-doc", "usr/share/doc/git-doc")
    for path in _files(base, "*.txt"):
        yield _rel(path, base), textutil.read_text(path)


def _html_dir(base, pattern, skip=()):
    for path in _files(base, pattern):
        rel = _rel(path, base)
        if not rel.startswith(skip):
            yield rel, textutil.html_to_text(textutil.read_text(path))


def djangodoc(raw):
    # Generated indexes and highlighted source are not prose.
    return _html_dir(_root(raw, "python-django-doc", "usr/share/doc/python-django-doc/html"),
                     "**/*.html", skip=("_modules/", "genindex", "py-modindex", "search"))


def postgresdoc(raw):
    return _html_dir(_root(raw, "postgresql-doc-15", "usr/share/doc/postgresql-doc-15/html"),
                     "*.html")


def lohelp(raw):
    return _html_dir(_root(raw, "libreoffice-help-en-us", "usr/share/libreoffice/help/en-US"),
                     "**/*.html")


def absguide(raw):
    return _html_dir(_root(raw, "abs-guide", "usr/share/doc/abs-guide/html"), "*.html")


def rmanuals(raw):
    return _html_dir(_root(raw, "r-doc-html", "usr/share/R/doc/manual"), "*.html")


def debianreference(raw):
    return _html_dir(_root(raw, "debian-reference-en", "usr/share/debian-reference"), "*.en.html")


def _render_man(path):
    with gzip.open(path, "rb") as f:
        source = f.read()
    if source.lstrip().startswith(b".so "):
        return None  # an alias stub: the page it names is extracted on its own
    env = dict(os.environ, LC_ALL="C.UTF-8", MANWIDTH="80")
    out = subprocess.run(["groff", "-man", "-Tutf8", "-P", "-cbou", "-rHY=0", "-rLL=80n"],
                         input=source, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL,
                         env=env, check=False).stdout.decode("utf-8", "replace")
    lines = []
    for line in out.split("\n"):
        line = line.rstrip()
        if line.startswith("       "):
            line = line[7:]  # the body indent
        lines.append(re.sub(r"(?<=\S)  +(?=\S)", " ", line))  # justification padding
    return textutil.clean("\n".join(lines))


def manpages(raw):
    paths, bases = [], []
    for package in ("manpages", "manpages-dev"):
        base = _root(raw, package, "usr/share/man")
        for path in _files(base, "man*/*.gz"):
            paths.append(path)
            bases.append(base)
    # groff runs as separate processes: render in batches on all cores, yield in order (batches
    # keep a --max_documents_per_source run from rendering every page).
    batch = 4 * (os.cpu_count() or 2)
    with concurrent.futures.ThreadPoolExecutor(max_workers=os.cpu_count() or 2) as pool:
        for start in range(0, len(paths), batch):
            chunk = paths[start:start + batch]
            for path, base, text in zip(chunk, bases[start:start + batch],
                                        pool.map(_render_man, chunk)):
                if text is not None:
                    yield _rel(path, base)[:-3], text
