#!/usr/bin/python3
"""The CMake flow of the training core (experiments/training/gpu/CMakeLists.txt) builds the same
sources as Bazel: its core library lists exactly the .cc files of the targets that
//experiments/training:train_lite and //experiments/training/benchmarks:train_throughput depend
on; its CLI library exactly the further .cc files of //experiments:train and
//experiments/sweep:run_plan, and DATAWALL_PROTOS their .proto files; each executable lists its
cc_binary's srcs, and its C++ standard is the one .bazelrc sets.
Reads the real workspace's BUILD files (tools/build_graph), so it reruns every time (tag external).
"""
import os
import re
import sys

# Under `bazel test` the workspace is where the WORKSPACE runfile links to; by hand, argv[1].
runfiles = os.path.join(os.environ.get("TEST_SRCDIR", ""), "datawall")
ws = sys.argv[1] if len(sys.argv) > 1 else \
    os.path.dirname(os.path.realpath(os.path.join(runfiles, "WORKSPACE")))
here = runfiles if "TEST_SRCDIR" in os.environ else \
    os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..", "..", "..")
sys.path.insert(0, os.path.join(here, "tools", "build_graph"))
import build_graph  # noqa: E402
CMAKE = "experiments/training/gpu/CMakeLists.txt"
BINARIES = {"train_lite": "//experiments/training:train_lite",
            "train_throughput": "//experiments/training/benchmarks:train_throughput"}
CLIS = {"train": "//experiments:train", "run_plan": "//experiments/sweep:run_plan"}

with open(os.path.join(ws, CMAKE), encoding="utf-8") as f:
    text = re.sub(r"#.*", "", f.read())
lists = {}
for kind, name, body in re.findall(r"(add_library|add_executable)\(\s*(\w+)([^)]*)\)", text):
    lists[name] = set(re.findall(r"\$\{ROOT\}/(\S+)", body))

graph = build_graph.read_graph(ws)
failures = []


def compare(what, cmake, bazel):
    for path in sorted(bazel - cmake):
        failures.append(f"{what}: {path} is in the Bazel srcs but not in {CMAKE}")
    for path in sorted(cmake - bazel):
        failures.append(f"{what}: {path} is in {CMAKE} but not in the Bazel srcs")


def main_srcs_of(label):
    return {p for p in build_graph.sources(graph, [label]) if p.startswith(
        build_graph.package_of(label) + "/") and
        p[len(build_graph.package_of(label)) + 1:] in graph[label].attrs["srcs"]}


mains = set()
for name, label in BINARIES.items():
    main_srcs = {p for p in build_graph.sources(graph, [label]) if p.startswith(
        build_graph.package_of(label) + "/") and
        p[len(build_graph.package_of(label)) + 1:] in graph[label].attrs["srcs"]}
    mains |= main_srcs
    compare(f"add_executable({name})", lists.get(name, set()), main_srcs)
core = build_graph.sources(graph, list(BINARIES.values())) - mains
compare("add_library(datawall_train_core)", lists.get("datawall_train_core", set()), core)
cli_mains = set()
for name, label in CLIS.items():
    cli_mains |= main_srcs_of(label)
    compare(f"add_executable({name})", lists.get(name, set()), main_srcs_of(label))
cli = build_graph.sources(graph, list(CLIS.values())) - core - cli_mains
compare("add_library(datawall_cli)", lists.get("datawall_cli", set()), cli)
protos = re.search(r"set\(DATAWALL_PROTOS([^)]*)\)", text)
compare("set(DATAWALL_PROTOS)", set(re.findall(r"\$\{ROOT\}/(\S+)", protos.group(1))) if protos else set(),
        build_graph.sources(graph, list(CLIS.values()), suffixes=(".proto",)))
for path in sorted(set().union(*lists.values())):
    if not os.path.isfile(os.path.join(ws, path)):
        failures.append(f"{CMAKE} lists {path}, which does not exist")

with open(os.path.join(ws, ".bazelrc"), encoding="utf-8") as f:
    bazel_std = re.search(r"-std=c\+\+(\d+)", f.read())
cmake_std = re.search(r"set\(CMAKE_CXX_STANDARD (\d+)\)", text)
if not bazel_std or not cmake_std or bazel_std.group(1) != cmake_std.group(1):
    failures.append(f"C++ standard: .bazelrc says {bazel_std and bazel_std.group(1)}, "
                    f"{CMAKE} says {cmake_std and cmake_std.group(1)}")

for line in failures:
    print("FAIL:", line)
if failures:
    sys.exit(1)
print(f"ok: {len(core)} core sources, {len(cli)} CLI sources, {len(mains | cli_mains)} mains agree with the BUILD files")
