#!/usr/bin/python3
"""Every repository path the docs and comments cite exists.

Scans README.md, every other README.md, docs/*.md (not docs/log/: a dated journal records the
tree as it was that day), and the comments of .cc/.h/.proto/BUILD/.sh/.py files (for .py: `#`
comments and docstrings), for
  - paths that start with a top-level directory of the repository (laws/fit.cc, experiments/,
    docs/log/...; a template such as experiments/results/<scale>/ is checked up to the template),
  - Bazel labels (//data:prepare must be a target, //laws a package, //tests/... a directory; the
    short form tests/laws:cli_test too),
  - relative Markdown links ([log](log/2026-11-26-x.md)),
and prints "FILE:LINE: PATH does not exist" for each miss (exit 1). Generated or ignored places
are not checked (data/raw, data/work, bazel-*). Usage: paths_test.py [WORKSPACE_ROOT].
Under `bazel test` it reads the real workspace through the //:WORKSPACE runfile link (tag
external: the files it reads are not declared inputs).
"""
import ast
import io
import os
import re
import sys
import tokenize

if len(sys.argv) > 1:
    ROOT = os.path.abspath(sys.argv[1])
    GRAPH_DIR = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..")
else:
    runfiles = os.path.join(os.environ["TEST_SRCDIR"], "datawall")
    ROOT = os.path.dirname(os.path.realpath(os.path.join(runfiles, "WORKSPACE")))
    GRAPH_DIR = runfiles
sys.path.insert(0, os.path.join(GRAPH_DIR, "tools", "build_graph"))
import build_graph  # noqa: E402

TOP = ("laws", "sim", "data", "models", "experiments", "reports", "tools", "tests", "docs",
       "third_party", "paper", ".ci")
UNCHECKED = ("data/raw", "data/work", "bazel-")
SKIP_DIRS = {".git", "data/raw", "data/work", "docs/log"}
# A path token: a top-level directory, then path characters (templates <x>, {a,b}, * included).
PATH_RE = re.compile(r"(?<![\w./@$-])((?:%s)/[\w./<>{},*+$:-]*)" % "|".join(re.escape(t) for t in TOP))
LABEL_RE = re.compile(r"(?<![\w/@:])//([\w/.-]*\w|)(/\.\.\.)?(?::(\w[\w./+-]*\w|\w|\{[^}]*\}))?")
MD_LINK_RE = re.compile(r"\]\(([^)\s]+)\)")
TEMPLATE_CHARS = "<{*$"


def comments_cc(text):
    """(line, comment text) of // and /* */ comments, string and char literals skipped."""
    out, i, n, line = [], 0, len(text), 1
    while i < n:
        c = text[i]
        if c == "\n":
            line += 1
        elif text.startswith("//", i):
            j = text.find("\n", i)
            j = n if j < 0 else j
            out.append((line, text[i + 2:j]))
            i = j
            continue
        elif text.startswith("/*", i):
            j = text.find("*/", i + 2)
            j = n if j < 0 else j
            body = text[i + 2:j]
            out += [(line + k, part) for k, part in enumerate(body.split("\n"))]
            line += body.count("\n")
            i = j + 2
            continue
        elif text.startswith('R"', i) and (i == 0 or not text[i - 1].isalnum()):
            m = re.match(r'R"([^(]*)\(', text[i:])
            if m:
                end = text.find(")" + m.group(1) + '"', i)
                end = n if end < 0 else end
                line += text[i:end].count("\n")
                i = end + len(m.group(1)) + 2
                continue
        elif c in "\"'":
            j = i + 1
            while j < n and text[j] != c and text[j] != "\n":
                j += 2 if text[j] == "\\" else 1
            i = j + 1
            continue
        i += 1
    return out


def comments_hash(text):
    """(line, comment text) of # comments (shell): a # at the start of a word, outside quotes."""
    out = []
    for no, raw in enumerate(text.splitlines(), 1):
        quote = None
        for k, c in enumerate(raw):
            if quote:
                if c == quote:
                    quote = None
            elif c in "\"'":
                quote = c
            elif c == "#" and (k == 0 or raw[k - 1] in " \t;"):
                out.append((no, raw[k + 1:]))
                break
    return out


def comments_py(text, docstrings):
    """(line, text) of # comments (Python tokens) and, for .py files, docstrings."""
    out = []
    try:
        for tok in tokenize.generate_tokens(io.StringIO(text).readline):
            if tok.type == tokenize.COMMENT:
                out.append((tok.start[0], tok.string[1:]))
    except (tokenize.TokenError, SyntaxError):
        return comments_hash(text)
    if docstrings:
        try:
            tree = ast.parse(text)
        except SyntaxError:
            return out
        for node in ast.walk(tree):
            if isinstance(node, (ast.Module, ast.FunctionDef, ast.ClassDef, ast.AsyncFunctionDef)):
                body = getattr(node, "body", [])
                if body and isinstance(body[0], ast.Expr) and isinstance(
                        getattr(body[0], "value", None), ast.Constant) and \
                        isinstance(body[0].value.value, str):
                    out += [(body[0].lineno + k, part)
                            for k, part in enumerate(body[0].value.value.split("\n"))]
    return out


def texts(root):
    """(repository path, [(line, text)]) of every place the test reads."""
    for dirpath, dirnames, filenames in os.walk(root):
        rel = os.path.relpath(dirpath, root)
        rel = "" if rel == "." else rel
        dirnames[:] = sorted(d for d in dirnames if not d.startswith("bazel-") and
                             (os.path.join(rel, d) if rel else d) not in SKIP_DIRS)
        for f in sorted(filenames):
            path = os.path.join(rel, f) if rel else f
            if f.endswith(".md"):
                if not (f == "README.md" or (rel == "docs")):
                    continue
                kind = "md"
            elif f.endswith((".cc", ".h", ".proto")):
                kind = "cc"
            elif f == "BUILD" or f.endswith(".bzl"):
                kind = "build"
            elif f.endswith(".py"):
                kind = "py"
            elif f.endswith(".sh") or rel == ".ci":
                kind = "sh"
            else:
                continue
            try:
                with open(os.path.join(root, path), encoding="utf-8") as fh:
                    text = fh.read()
            except (OSError, UnicodeDecodeError):
                continue
            if kind == "md":
                yield path, list(enumerate(text.splitlines(), 1)), True
            elif kind == "cc":
                yield path, comments_cc(text), False
            elif kind == "sh":
                yield path, comments_hash(text), False
            else:
                yield path, comments_py(text, kind == "py"), False


def exists(rel):
    return os.path.exists(os.path.join(ROOT, rel))


def check_path(token):
    """None if the cited path exists (or is not checked), else the path that is missing."""
    token = token.rstrip(".,;:)'`\"")
    cut = min([token.find(c) for c in TEMPLATE_CHARS if c in token] + [len(token)])
    if cut < len(token):
        token = token[:cut].rsplit("/", 1)[0]  # up to the last directory before the template
    token = re.sub(r":\d+(-\d+)?$", "", token)  # laws/fit.cc:120
    if ":" in token:  # tests/laws:cli_test, the short form of a label
        pkg, _, name = token.partition(":")
        if os.path.isfile(os.path.join(ROOT, pkg, "BUILD")) and name:
            return check_label(pkg, name)
        token = pkg
    token = token.rstrip("/.")
    if not token or token.startswith(UNCHECKED) or exists(token):
        return None
    # A module named without its extension (models/ops), or a target written as a path
    # (tests/laws/law_io_test, sim/simulate).
    if exists(token + ".h") or exists(token + ".cc"):
        return None
    pkg, _, name = token.rpartition("/")
    if pkg and os.path.isfile(os.path.join(ROOT, pkg, "BUILD")) and check_label(pkg, name) is None:
        return None
    return token


GRAPH = None


def check_label(pkg, name):
    global GRAPH
    if pkg.startswith(UNCHECKED):
        return None
    if name in (None, "", "all", "*"):
        return None if os.path.isfile(os.path.join(ROOT, pkg, "BUILD")) else "//" + pkg
    if name.startswith("{"):
        return None if os.path.isfile(os.path.join(ROOT, pkg, "BUILD")) else "//" + pkg
    if GRAPH is None:
        GRAPH = build_graph.read_graph(ROOT)
    label = f"//{pkg}:{name}"
    if label in GRAPH or exists(os.path.join(pkg, name)):  # a rule, or a source file
        return None
    return label


def check_text(path, lines, markdown):
    missing = []
    for no, text in lines:
        for m in LABEL_RE.finditer(text):
            pkg, dots, name = m.group(1), m.group(2), m.group(3)
            if pkg.split("/", 1)[0] not in TOP and pkg != "":
                continue  # not one of ours (e.g. a URL's //host)
            if dots:
                bad = None if exists(pkg) else "//" + pkg + "/..."
            else:
                bad = check_label(pkg, name)
            if bad:
                missing.append((no, bad))
        scrubbed = LABEL_RE.sub(lambda m: " " * len(m.group(0)), text)
        for m in PATH_RE.finditer(scrubbed):
            token = m.group(1).rstrip(".,;:)'`\"")
            in_code = scrubbed[:m.start()].count("`") % 2 == 1
            last = token.rsplit("/", 1)[-1]
            if not in_code and token.count("/") == 1 and last and "." not in last and \
                    not any(c in token for c in TEMPLATE_CHARS + ":"):
                continue  # "data/script", "laws/sim": prose, unless written as code
            bad = check_path(token)
            if bad:
                missing.append((no, bad))
        if markdown:
            for m in MD_LINK_RE.finditer(text):
                target = m.group(1).split("#", 1)[0]
                if not target or re.match(r"^[a-z]+:", target):
                    continue
                rel = os.path.normpath(os.path.join(os.path.dirname(path), target))
                if not rel.startswith(UNCHECKED) and not exists(rel):
                    missing.append((no, rel))
    return missing


FIXTURE = {
    "laws/BUILD": 'cc_library(name = "fit", srcs = ["fit.cc"])  # see laws/gone.h\n',
    "laws/fit.cc": ('// Fits laws (laws/fit.cc, //laws:fit, //laws:gone, tests/laws:fit).\n'
                    'const char* kPath = "laws/not_a_comment.cc";  // ok: laws/fit.cc:12\n'
                    '/* several lines:\n   experiments/results/<scale>/x is a template */\n'),
    "docs/a.md": ("Read `laws/fit.cc` and [the log](log/2026-01-01-x.md); prose data/script;\n"
                  "`data/raw/anything` is not checked; `//laws/...` and `//sim/...`.\n"),
    "tools/t.sh": 'echo "#laws/x.cc"  # tools/gone.sh\n',
    "tools/t.py": '"""Docstring citing docs/b.md."""\nX = """laws/in_a_string.cc"""  # ok\n',
}
FIXTURE_MISSING = [
    "docs/a.md:1: docs/log/2026-01-01-x.md does not exist",
    "docs/a.md:2: //sim/... does not exist",
    "laws/BUILD:1: laws/gone.h does not exist",
    "laws/fit.cc:1: //laws:gone does not exist",
    "laws/fit.cc:1: tests/laws does not exist",  # the fixture has no package tests/laws
    "laws/fit.cc:4: experiments/results does not exist",
    "tools/t.py:1: docs/b.md does not exist",
    "tools/t.sh:1: tools/gone.sh does not exist",
]


def self_test():
    """The scanner on a small tree: exactly the planted misses, nothing else."""
    import subprocess
    import tempfile
    with tempfile.TemporaryDirectory(dir=os.environ.get("TEST_TMPDIR")) as root:
        for path, text in FIXTURE.items():
            os.makedirs(os.path.dirname(os.path.join(root, path)), exist_ok=True)
            with open(os.path.join(root, path), "w") as f:
                f.write(text)
        p = subprocess.run([sys.executable, os.path.abspath(__file__), root],
                           capture_output=True, text=True)
    got = [l for l in p.stdout.splitlines() if " does not exist" in l and ":" in l.split()[0]]
    if p.returncode != 1 or got != FIXTURE_MISSING:
        print("FAIL: the scanner on its fixture: exit", p.returncode, "\n" + p.stdout + p.stderr)
        print("expected:\n" + "\n".join(FIXTURE_MISSING))
        return False
    return True


def main():
    if len(sys.argv) == 1 and not self_test():
        return 1
    problems = []
    scanned = 0
    for path, lines, markdown in texts(ROOT):
        scanned += 1
        for no, bad in check_text(path, lines, markdown):
            problems.append(f"{path}:{no}: {bad} does not exist")
    for p in sorted(set(problems)):
        print(p)
    if problems:
        print(f"{len(set(problems))} cited paths do not exist ({scanned} files scanned in {ROOT})")
        return 1
    print(f"ok: every cited path exists ({scanned} files scanned in {ROOT})")
    return 0


if __name__ == "__main__":
    sys.exit(main())
