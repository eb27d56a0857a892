#!/usr/bin/env bash
# CI check of $DATAWALL_LIBTORCH (third_party/torch/libtorch.bzl) on this machine: pointed at
# Debian's LibTorch (/usr), the whole test suite passes (from the cache of the run before: the
# actions are the same); pointed at a missing path, the build stops with one line naming the
# variable. Exits 0 when both hold. Run after `bazel test -c opt //...`.
set -uo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
failed=0

if DATAWALL_LIBTORCH=/usr bazel test -c opt //... > /tmp/libtorch_env_usr.log 2>&1; then
  echo "libtorch_env: DATAWALL_LIBTORCH=/usr bazel test -c opt //...: passed"
else
  echo "libtorch_env: DATAWALL_LIBTORCH=/usr bazel test -c opt //... FAILED:"; tail -20 /tmp/libtorch_env_usr.log
  failed=1
fi

missing=/nonexistent/libtorch
DATAWALL_LIBTORCH=$missing bazel build -c opt //experiments:train > /tmp/libtorch_env_bad.log 2>&1
rc=$?
want="DATAWALL_LIBTORCH=$missing: no such directory"
if [ "$rc" -ne 0 ] && grep -qF "$want" /tmp/libtorch_env_bad.log; then
  echo "libtorch_env: a missing DATAWALL_LIBTORCH fails with: $(grep -oF "$want" /tmp/libtorch_env_bad.log | head -1) ..."
else
  echo "libtorch_env: DATAWALL_LIBTORCH=$missing: exit $rc, without '$want':"; tail -10 /tmp/libtorch_env_bad.log
  failed=1
fi
bazel build -c opt //third_party/torch > /dev/null 2>&1  # back to the default repository
exit $failed
