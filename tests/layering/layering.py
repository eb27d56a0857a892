#!/usr/bin/python3
"""The layering check: every dependency between our packages points down the layers that
tests/layering/layers.txt defines.

Usage: layering.py WORKSPACE_ROOT [LAYERS_FILE]   (default: WORKSPACE_ROOT/tests/layering/layers.txt)
Prints one line per violation ("upward dependency: laws -> sim: //laws:fit deps //sim:sweep")
and exits 1 if there is any; 2 for an unreadable workspace or layers file; 0 otherwise.

What it checks, statically (a test cannot run Bazel inside `bazel test`): the edges of the BUILD
graph (deps, srcs, hdrs, data, actual; read by tools/build_graph/build_graph.py) and the
#include lines of every .cc/.h file (a quoted include names a file of a package; a system include
maps to a third-party group through the layers file's "include" lines). Each edge from group A to
group B != A must be allowed by A's "->" list (transitively). "closed" lines bound everything
some targets reach. It is not a compiler: an #include inside a disabled #if counts too.
"""
import fnmatch
import os
import re
import sys

INCLUDE_RE = re.compile(r'^\s*#\s*include\s*([<"])([^>"]+)[>"]', re.M)
SOURCE_SUFFIXES = (".cc", ".h", ".proto")


class Layers:
    """The parsed layers file: groups (patterns, allowed), include prefixes, closed rules."""

    def __init__(self, path):
        self.groups = {}       # name -> (patterns, direct allowed groups), in file order
        self.includes = []     # (prefix, group)
        self.closed = []       # (labels, allowed names)
        with open(path, encoding="utf-8") as f:
            for n, raw in enumerate(f, 1):
                line = raw.split("#", 1)[0].strip()
                if not line:
                    continue
                kind, _, rest = line.partition(" ")
                where = f"{path}:{n}"
                if kind == "group" and "->" in rest:
                    left, right = rest.split("->", 1)
                    name, *patterns = left.split()
                    allowed = [g for g in right.split() if g != "-"]
                    if not patterns or name in self.groups:
                        raise ValueError(f"{where}: group needs a new name and patterns")
                    self.groups[name] = (patterns, allowed)
                elif kind == "include" and "->" in rest:
                    left, right = rest.split("->", 1)
                    for prefix in left.split():
                        self.includes.append((prefix, right.strip()))
                elif kind == "closed" and " : " in rest:
                    labels, allowed = rest.split(" : ", 1)
                    self.closed.append((labels.split(), allowed.split()))
                else:
                    raise ValueError(f"{where}: not a group, include or closed line")
        for name, (_, allowed) in self.groups.items():
            for g in allowed:
                if g not in self.groups:
                    raise ValueError(f"{path}: group {name} allows unknown group {g}")
        for _, g in self.includes:
            if g not in self.groups:
                raise ValueError(f"{path}: include line names unknown group {g}")
        self.reach = {name: self._closure(name) for name in self.groups}
        for name, reach in self.reach.items():
            if name in reach:
                raise ValueError(f"{path}: group {name} may depend on itself through a cycle")

    def _closure(self, name):
        seen, stack = set(), list(self.groups[name][1])
        while stack:
            g = stack.pop()
            if g not in seen:
                seen.add(g)
                stack.extend(self.groups[g][1])
        return seen

    def group_of(self, package):
        """The group of a package ("a/b", "" for the root, "@repo" for external), or None."""
        best, best_len = None, -1
        for name, (patterns, _) in self.groups.items():
            for p in patterns:
                if p == "//":
                    hit, length = package == "", 1
                elif p.startswith("@"):
                    hit, length = package == p, len(p)
                elif p.startswith("**/"):
                    hit = package == p[3:] or package.endswith("/" + p[3:])
                    length = len(p[3:])
                elif p.endswith("/**"):
                    hit = package == p[:-3] or package.startswith(p[:-2])
                    length = len(p) - 3
                else:
                    hit, length = fnmatch.fnmatchcase(package, p), len(p)
                if hit and length > best_len:
                    best, best_len = name, length
        return best

    def include_group(self, header):
        for prefix, group in self.includes:
            if header.startswith(prefix):
                return group
        return None


def load_build_graph(root):
    here = os.path.dirname(os.path.abspath(__file__))
    for d in (os.path.join(here, "..", "..", "tools", "build_graph"),
              os.path.join(root, "tools", "build_graph")):
        if os.path.isfile(os.path.join(d, "build_graph.py")):
            sys.path.insert(0, d)
            break
    import build_graph
    return build_graph


def external_package(label):
    """"@eigen//:eigen" -> "@eigen"; "@//x" is not external."""
    return label.split("//", 1)[0]


def source_files(root):
    """Every .cc/.h/.proto file of the repository (generated and ignored places skipped)."""
    out = []
    for dirpath, dirnames, filenames in os.walk(root):
        rel = os.path.relpath(dirpath, root)
        rel = "" if rel == "." else rel
        dirnames[:] = sorted(d for d in dirnames if not d.startswith(("bazel-", ".")) and
                             not (rel == "data" and d in ("raw", "work")))
        out += [os.path.join(rel, f) if rel else f for f in sorted(filenames)
                if f.endswith(SOURCE_SUFFIXES)]
    return out


def include_target(root, layers, header):
    """(directory or "<header>", group) an #include names: a repository path when its first
    component is a top-level directory of the repository, else a system header mapped by the
    layers file's include lines; None for the standard library and other system headers."""
    first = header.split("/", 1)[0]
    if "/" in header and os.path.isdir(os.path.join(root, first)):
        d = os.path.dirname(header)
        return d, layers.group_of(d)
    g = layers.include_group(header)
    return (f"<{header}>", g) if g else None


def spelled(quote, header):
    return f"<{header}>" if quote == "<" else f'"{header}"'


def includes_of(root, path):
    try:
        with open(os.path.join(root, path), encoding="utf-8", errors="replace") as f:
            text = f.read()
    except OSError:
        return []
    if path.endswith(".proto"):
        return [("\"", m) for m in re.findall(r'^\s*import\s+"([^"]+)"', text, re.M)]
    return INCLUDE_RE.findall(text)


def check(root, layers_path):
    """Violations, one line each."""
    layers = Layers(layers_path)
    bg = load_build_graph(root)
    graph = bg.read_graph(root)
    packages = set(bg.packages(root))
    problems = []

    def group_of_label(label):
        if label.startswith("@"):
            return layers.group_of(external_package(label)), external_package(label)
        pkg = bg.package_of(label)
        return layers.group_of(pkg), pkg

    unknown = {pkg for pkg in packages if layers.group_of(pkg) is None}
    problems += [f"package {pkg or '//'} is in no group of {layers_path}" for pkg in unknown]

    def edge(src_pkg, dst_pkg, dst_group, what):
        src_group = layers.group_of(src_pkg)
        for pkg, g in ((src_pkg, src_group), (dst_pkg, dst_group)):
            if g is None and pkg not in unknown:
                unknown.add(pkg)
                problems.append(f"directory {pkg or '//'} is in no group of {layers_path}")
        if None in (src_group, dst_group) or src_group == dst_group:
            return
        if dst_group not in layers.reach[src_group]:
            direction = "upward" if src_group in layers.reach[dst_group] else "undeclared"
            problems.append(f"{direction} dependency: {src_group} -> {dst_group}: {what}")

    # BUILD edges.
    for label, target in sorted(graph.items()):
        src_pkg = target.package
        for dep in bg.edges(target):
            dst_group, dst_pkg = group_of_label(dep)
            if dst_pkg == src_pkg:
                continue
            edge(src_pkg, dst_pkg, dst_group, f"{label} uses {dep}")

    # #include edges: a file belongs to the group of its directory (with or without a BUILD).
    for path in source_files(root):
        src_dir = os.path.dirname(path)
        for quote, header in includes_of(root, path):
            hit = include_target(root, layers, header)
            if hit is None or hit[0] == src_dir:
                continue
            edge(src_dir, hit[0], hit[1], f"{path} includes {spelled(quote, header)}")

    # Closed sets.
    for labels, allowed in layers.closed:
        missing = [l for l in labels if l not in graph]
        if missing:
            problems.append(f"closed rule names unknown targets: {' '.join(missing)}")
            continue
        allowed_set = set(allowed)

        def ok(pkg, group):
            return pkg in allowed_set or group in allowed_set

        reached = bg.transitive(graph, labels)
        for label in sorted(reached):
            t = graph[label]
            for dep in bg.edges(t, ("deps", "srcs", "hdrs", "actual")):
                g, pkg = group_of_label(dep)
                if not ok(pkg, g):
                    problems.append(f"closed set of {' '.join(labels)} leaves {' '.join(allowed)}: "
                                    f"{label} uses {dep}")
            for f in t.labels("srcs") + t.labels("hdrs"):
                if f in graph:
                    continue
                path = f[2:].replace(":", "/", 1).lstrip("/")
                for quote, header in includes_of(root, path):
                    hit = include_target(root, layers, header)
                    if hit is not None and hit[0] != os.path.dirname(path) and \
                            not ok(hit[0], hit[1]):
                        problems.append(f"closed set of {' '.join(labels)} leaves "
                                        f"{' '.join(allowed)}: {path} includes "
                                        f"{spelled(quote, header)}")
    return sorted(set(problems))


def main(argv):
    if len(argv) not in (2, 3):
        print(__doc__.split("\n\n")[1], file=sys.stderr)
        return 2
    root = argv[1]
    layers_path = argv[2] if len(argv) == 3 else os.path.join(root, "tests/layering/layers.txt")
    try:
        problems = check(root, layers_path)
    except Exception as e:  # OSError, ValueError, build_graph.BuildError: say it in one line
        if isinstance(e, (KeyboardInterrupt, AssertionError)):
            raise
        print(f"layering.py: {e}", file=sys.stderr)
        return 2
    for p in problems:
        print(p)
    if problems:
        print(f"{len(problems)} layering violations (layers: {layers_path})")
        return 1
    print(f"layering ok ({layers_path})")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
