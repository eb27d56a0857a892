#!/usr/bin/python3
"""Counts test cases in Bazel's test XML (bazel-testlogs/**/test.xml) and prints the closing
line CI reads: "N passed, N failed". A target that ran no XML-producing test counts as one case.

Usage: count_test_results.py TESTLOGS_DIR [--build_failures=K] [--extra=NAME=STATUS ...]
  --build_failures: test targets that failed to build or did not run (each counts as a failure).
  --extra: a check CI ran outside Bazel (e.g. cmake_build=0): one case, passed if STATUS is 0.
Exit status: 0 if nothing failed, else 1.
"""
import glob
import os
import sys
import xml.etree.ElementTree as ET


def main():
    logs = sys.argv[1]
    build_failures = 0
    for arg in sys.argv[2:]:
        if arg.startswith("--build_failures="):
            build_failures = int(arg.split("=", 1)[1])
    passed = failed = 0
    for arg in sys.argv[2:]:
        if arg.startswith("--extra="):
            name, _, status = arg[len("--extra="):].rpartition("=")
            if status.strip() == "0":
                passed += 1
            else:
                failed += 1
                print(f"failed outside Bazel: {name} (exit status {status})", file=sys.stderr)
    for path in sorted(glob.glob(os.path.join(logs, "**", "test.xml"), recursive=True)):
        try:
            root = ET.parse(path).getroot()
        except ET.ParseError:
            failed += 1
            print(f"unreadable test XML: {path}", file=sys.stderr)
            continue
        cases = root.iter("testcase")
        for case in cases:
            if case.find("failure") is not None or case.find("error") is not None:
                failed += 1
            elif case.get("status") == "notrun" or case.find("skipped") is not None:
                continue
            else:
                passed += 1
    failed += build_failures
    print(f"{passed} passed, {failed} failed")
    return 0 if failed == 0 else 1


if __name__ == "__main__":
    sys.exit(main())
