#!/usr/bin/python3
"""Reads the repository's Bazel BUILD files statically (no Bazel) into a graph of targets.

What it is: a small reader for the subset of Starlark our BUILD files use (rule calls with
keyword arguments, lists, glob()), so tests that run inside `bazel test` (where Bazel cannot be
called) can check properties of the build graph: the layering test (tests/layering/) and the
check that the CMake source list matches the BUILD files (tests/experiments/training/gpu/).
What it is not: a Starlark interpreter. A BUILD file that calls a rule or function it does not
know (or uses load()) is an error naming the file, so the reader never silently drops edges.
Standard library only.
"""
import fnmatch
import os
import re

# Rules whose calls define a target; their label-valued attributes are read below.
RULES = (
    "alias", "cc_binary", "cc_library", "cc_proto_library", "cc_test", "filegroup", "genrule",
    "proto_lang_toolchain", "proto_library", "py_binary", "py_library", "py_test", "sh_binary",
    "sh_library", "sh_test",
)
# Attributes that name other targets or files (all edges of the graph).
LABEL_ATTRS = ("srcs", "hdrs", "deps", "data", "actual", "runtime", "blacklisted_protos")
SKIP_DIRS = ("bazel-", ".git")


class BuildError(Exception):
    """A BUILD file the reader cannot read exactly."""


class Target:
    """One rule instance: label ("//pkg:name"), kind ("cc_library"), attributes as given."""

    def __init__(self, package, kind, attrs):
        self.package = package
        self.kind = kind
        self.name = attrs["name"]
        self.label = f"//{package}:{self.name}"
        self.attrs = attrs

    def labels(self, attr):
        """The attribute's entries as absolute labels ("//pkg:name"; external ones unchanged)."""
        value = self.attrs.get(attr) or []
        if isinstance(value, str):  # alias(actual = "...")
            value = [value]
        return [normalize(v, self.package) for v in value]

    def __repr__(self):
        return f"Target({self.label}, {self.kind})"


def normalize(label, package):
    """":x" and "x" -> "//package:x"; "//a/b" -> "//a/b:b"; "@repo//..." unchanged."""
    if label.startswith("@"):
        return label
    if label.startswith("//"):
        if ":" not in label:
            return label + ":" + label.rsplit("/", 1)[-1]
        return label
    return f"//{package}:{label.lstrip(':')}"


def package_of(label):
    """"//a/b:c" -> "a/b"; external labels -> None."""
    if not label.startswith("//"):
        return None
    return label[2:].split(":", 1)[0]


def _glob(package_dir):
    def glob(include, exclude=None, exclude_directories=1, allow_empty=True):
        out = []
        for dirpath, dirnames, filenames in os.walk(package_dir):
            rel_dir = os.path.relpath(dirpath, package_dir)
            # A subdirectory with its own BUILD file is another package: glob does not enter it.
            dirnames[:] = [d for d in dirnames
                           if not os.path.exists(os.path.join(dirpath, d, "BUILD"))]
            for f in filenames:
                rel = f if rel_dir == "." else os.path.join(rel_dir, f)
                if any(fnmatch.fnmatchcase(rel, p.replace("**/", "*")) or
                       fnmatch.fnmatchcase(rel, p) for p in include) and \
                   not any(fnmatch.fnmatchcase(rel, p) for p in exclude or []):
                    out.append(rel)
        return sorted(out)
    return glob


def read_package(root, package):
    """Targets defined by root/package/BUILD, as a list."""
    path = os.path.join(root, package, "BUILD")
    with open(path, encoding="utf-8") as f:
        text = f.read()
    if re.search(r"^\s*load\(", text, re.M):
        raise BuildError(f"{path}: load() is not supported by tools/build_graph/build_graph.py")
    targets = []

    def rule(kind):
        def call(*args, **attrs):
            if args or "name" not in attrs:
                raise BuildError(f"{path}: {kind}() needs keyword arguments and a name")
            targets.append(Target(package, kind, attrs))
        return call

    env = {kind: rule(kind) for kind in RULES}
    env["glob"] = _glob(os.path.join(root, package))
    env["package"] = lambda **kw: None
    env["exports_files"] = lambda *a, **kw: None
    env["__builtins__"] = {"True": True, "False": False, "None": None, "len": len,
                           "sorted": sorted, "range": range, "str": str}
    try:
        exec(compile(text, path, "exec"), env)
    except NameError as e:
        raise BuildError(f"{path}: unknown rule or function ({e}); teach "
                         "tools/build_graph/build_graph.py about it") from None
    except SyntaxError as e:
        raise BuildError(f"{path}:{e.lineno}: not readable as Starlark: {e.msg}") from None
    return targets


def packages(root):
    """Every package (directory holding a BUILD file) under root, as "a/b" ("" for the root)."""
    out = []
    for dirpath, dirnames, filenames in os.walk(root):
        rel = os.path.relpath(dirpath, root)
        dirnames[:] = sorted(d for d in dirnames if not d.startswith(SKIP_DIRS) and
                             not (rel == "data" and d in ("raw", "work")))
        if "BUILD" in filenames:
            out.append("" if rel == "." else rel)
    return out


def read_graph(root):
    """{label: Target} for every target under root."""
    graph = {}
    for package in packages(root):
        for t in read_package(root, package):
            graph[t.label] = t
    return graph


def edges(target, attrs=("deps", "srcs", "hdrs", "data", "actual")):
    """Labels of rules the target uses (file labels of its own package excluded by callers)."""
    out = []
    for attr in attrs:
        out.extend(target.labels(attr))
    return out


def transitive(graph, labels, attrs=("deps", "srcs", "hdrs", "actual")):
    """Every target label reachable from labels (included) through attrs; files are skipped."""
    seen, stack = set(), list(labels)
    while stack:
        label = stack.pop()
        if label in seen or label not in graph:
            continue
        seen.add(label)
        stack.extend(edges(graph[label], attrs))
    return seen


def sources(graph, labels, suffixes=(".cc",)):
    """Repository paths of the source files (by suffix) of the targets reachable from labels."""
    out = set()
    for label in transitive(graph, labels):
        t = graph[label]
        for src in t.labels("srcs"):
            if src in graph:
                continue  # a rule (e.g. a genrule's output), not a file
            path = src[2:].replace(":", "/", 1).lstrip("/")
            if path.endswith(suffixes):
                out.add(path)
    return out


if __name__ == "__main__":
    import sys
    if len(sys.argv) < 3 or sys.argv[1] not in ("--sources", "--deps"):
        print("usage: build_graph.py --sources|--deps WORKSPACE_ROOT //label...", file=sys.stderr)
        sys.exit(2)
    g = read_graph(sys.argv[2])
    missing = [l for l in sys.argv[3:] if l not in g]
    if missing:
        print(f"build_graph.py: no such target: {' '.join(missing)}", file=sys.stderr)
        sys.exit(2)
    result = sources(g, sys.argv[3:]) if sys.argv[1] == "--sources" else \
        transitive(g, sys.argv[3:])
    print("\n".join(sorted(result)))
