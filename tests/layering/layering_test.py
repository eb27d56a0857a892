#!/usr/bin/python3
"""The layering check (tests/layering/layering.py with tests/layering/layers.txt):
1. on small synthetic trees it passes a clean one and fails, naming the edge, on a planted upward
   BUILD dependency, a planted upward #include, a system header outside a closed set, and a
   package in no group; a layers file with a cycle is refused (exit 2);
2. with the project's own layers file, a synthetic tree fails on the upward edges issue #11 named
   (laws using sim, plan including the sweep runner) and on LibTorch in tools/;
3. the real workspace has no violation.
Reads the real workspace's BUILD and source files (not declared inputs), hence tag "external".
"""
import os
import subprocess
import sys
import tempfile

runfiles = os.path.join(os.environ.get("TEST_SRCDIR", ""), "datawall")
if "TEST_SRCDIR" in os.environ:
    here = os.path.join(runfiles, "tests", "layering")
    workspace = os.path.dirname(os.path.realpath(os.path.join(runfiles, "WORKSPACE")))
else:
    here = os.path.dirname(os.path.abspath(__file__))
    workspace = os.path.abspath(os.path.join(here, "..", ".."))
CHECKER = os.path.join(here, "layering.py")
failures = []

LAYERS = """
group lib     third_party/lib           -> -
include lib/                            -> lib
group low     low/**                    -> lib
group mid     mid/**                    -> low
group high    high/**                   -> mid
group tests   tests/**                  -> high
closed //low:core : low
"""
CLEAN = {
    "third_party/lib/BUILD": 'cc_library(name = "lib")\n',
    "low/BUILD": 'cc_library(name = "core", srcs = ["core.cc"], hdrs = ["core.h"])\n'
                 'cc_library(name = "io", srcs = ["io.cc"], deps = [":core", "//third_party/lib"])\n',
    "low/core.h": "#include <vector>\n",
    "low/core.cc": '#include "low/core.h"\n',
    "low/io.cc": '#include "low/core.h"\n#include <lib/lib.h>\n',
    "mid/BUILD": 'cc_library(name = "mid", srcs = glob(["*.cc"]), deps = ["//low:io"])\n',
    "mid/mid.cc": '#include "low/core.h"\n',
    "high/BUILD": 'cc_binary(name = "high", srcs = ["main.cc"], deps = ["//mid"])\n',
    "high/main.cc": '#include "mid/mid.h"\n',
    "tests/BUILD": 'cc_test(name = "t", srcs = ["t.cc"], deps = ["//high", "//low:core"])\n',
    "tests/t.cc": '#include "high/x.h"\n',
}


def run(files, layers=LAYERS):
    with tempfile.TemporaryDirectory(dir=os.environ.get("TEST_TMPDIR")) as root:
        for path, text in files.items():
            os.makedirs(os.path.dirname(os.path.join(root, path)), exist_ok=True)
            with open(os.path.join(root, path), "w") as f:
                f.write(text)
        with open(os.path.join(root, "layers.txt"), "w") as f:
            f.write(layers)
        p = subprocess.run([sys.executable, CHECKER, root, os.path.join(root, "layers.txt")],
                           capture_output=True, text=True)
        return p.returncode, p.stdout + p.stderr


def expect(name, files, rc, needle, layers=LAYERS):
    got_rc, out = run(files, layers)
    if got_rc != rc or needle not in out:
        failures.append(f"{name}: expected exit {rc} and {needle!r}, got exit {got_rc}:\n{out}")


def planted(path, text):
    files = dict(CLEAN)
    files[path] = text
    return files


expect("clean tree", CLEAN, 0, "layering ok")
expect("upward BUILD dependency",
       planted("low/BUILD", CLEAN["low/BUILD"] + 'cc_library(name = "bad", deps = ["//mid"])\n'),
       1, "upward dependency: low -> mid: //low:bad uses //mid:mid")
expect("upward #include", planted("mid/mid.cc", '#include "high/main.h"\n'),
       1, 'upward dependency: mid -> high: mid/mid.cc includes "high/main.h"')
expect("sideways dependency through data",
       planted("low/BUILD", CLEAN["low/BUILD"] + 'filegroup(name = "d", srcs = ["//tests:t.cc"])\n'),
       1, "upward dependency: low -> tests: //low:d uses //tests:t.cc")
expect("closed set reaches a library", planted("low/core.h", "#include <lib/lib.h>\n"),
       1, "closed set of //low:core leaves low: low/core.h includes <lib/lib.h>")
expect("package in no group", planted("other/BUILD", 'cc_library(name = "o")\n'),
       1, "package other is in no group")
expect("cycle in the layers", CLEAN, 2, "cycle", LAYERS.replace("low/**                    -> lib",
                                                               "low/**                    -> high"))
expect("unreadable BUILD", planted("mid/BUILD", 'load("//x.bzl", "y")\n'), 2, "load()")

# The project's own layers file catches the upward edges the issue names (plan including the
# sweep runner, laws using sim) and a heavy library in tools/.
with open(os.path.join(here, "layers.txt")) as f:
    REAL = f.read()
REAL_TREE = {
    "laws/BUILD": 'cc_library(name = "law", srcs = ["law.cc"])\n',
    "laws/law.cc": "#include <cmath>\n",
    "sim/BUILD": 'cc_library(name = "allocate", deps = ["//laws:law"])\n',
    "experiments/plan/BUILD": 'cc_library(name = "plan", srcs = ["plan.cc"])\n',
    "experiments/plan/plan.cc": '#include "experiments/plan/plan.h"\n',
    "experiments/sweep/BUILD": 'cc_library(name = "runner", deps = ["//experiments/plan"])\n',
    "tools/io/BUILD": 'cc_library(name = "io", srcs = ["io.cc"])\n',
    "tools/io/io.cc": "#include <string>\n",
}
REAL_TREE["experiments/training/BUILD"] = 'cc_binary(name = "train_lite")\n'
REAL_TREE["experiments/training/benchmarks/BUILD"] = 'cc_binary(name = "train_throughput")\n'
REAL_TREE["data/BUILD"] = 'cc_library(name = "shard")\ncc_library(name = "sampler")\n'
expect("real layers: clean tree", REAL_TREE, 0, "layering ok", REAL)
tree = dict(REAL_TREE)
tree["laws/BUILD"] = 'cc_library(name = "law", srcs = ["law.cc"], deps = ["//sim:allocate"])\n'
expect("real layers: laws uses sim", tree, 1,
       "upward dependency: laws -> sim: //laws:law uses //sim:allocate", REAL)
expect("real layers: plan includes the sweep runner",
       dict(REAL_TREE, **{"experiments/plan/plan.cc": '#include "experiments/sweep/runner.h"\n'}),
       1, 'upward dependency: plan -> sweep: experiments/plan/plan.cc includes '
          '"experiments/sweep/runner.h"', REAL)
expect("real layers: tools include LibTorch",
       dict(REAL_TREE, **{"tools/io/io.cc": "#include <torch/version.h>\n"}),
       1, "undeclared dependency: tools -> libtorch: tools/io/io.cc includes <torch/version.h>",
       REAL)

p = subprocess.run([sys.executable, CHECKER, workspace], capture_output=True, text=True)
if p.returncode != 0:
    failures.append(f"the workspace ({workspace}) breaks its layers:\n{p.stdout}{p.stderr}")

for f in failures:
    print("FAIL:", f)
if failures:
    sys.exit(1)
print("ok: planted violations are caught; the workspace follows tests/layering/layers.txt")
