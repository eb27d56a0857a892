#!/usr/bin/env bash
# third_party/torch/find_libtorch.sh, the check behind $DATAWALL_LIBTORCH: Debian's /usr is found
# (CPU, system library directory, its version); the layouts of a LibTorch release archive and a
# pip-installed torch (built here as empty files) are found with their CUDA libraries, include and
# library directories; a missing path, a directory that is not LibTorch, a half CUDA build, the
# pre-C++11 ABI and --require_cuda on a CPU build each fail with exit 2 and one line naming
# DATAWALL_LIBTORCH.
set -uo pipefail
finder=third_party/torch/find_libtorch.sh
tmp=${TEST_TMPDIR:-/tmp}/find_libtorch
rm -rf "$tmp"; mkdir -p "$tmp"
failures=0

# expect_ok ROOT [FLAGS] -- KEY=VALUE...: exit 0 and each line printed.
expect_ok() {
  local root=$1; shift
  local flags=()
  while [[ $# -gt 0 && "$1" != "--" ]]; do flags+=("$1"); shift; done
  shift
  if ! out=$(bash "$finder" "$root" "${flags[@]}" 2>"$tmp/err"); then
    echo "FAIL: $root ${flags[*]}: exit $?: $(cat "$tmp/err")"; failures=$((failures + 1)); return
  fi
  for want in "$@"; do
    grep -qxF -- "$want" <<<"$out" || { echo "FAIL: $root: no line '$want' in:"; echo "$out"; failures=$((failures + 1)); }
  done
}

# expect_fail NEEDLE ROOT [FLAGS]: exit 2, one stderr line naming the variable and NEEDLE.
expect_fail() {
  local needle=$1; shift
  bash "$finder" "$@" >"$tmp/out" 2>"$tmp/err"
  local rc=$?
  if [[ $rc -ne 2 ]]; then echo "FAIL: $* -> exit $rc, want 2"; failures=$((failures + 1)); return; fi
  if [[ $(wc -l <"$tmp/err") -ne 1 ]]; then echo "FAIL: $* -> not one line:"; cat "$tmp/err"; failures=$((failures + 1)); return; fi
  grep -qF -- "DATAWALL_LIBTORCH=$1" "$tmp/err" || { echo "FAIL: $* -> does not name the variable: $(cat "$tmp/err")"; failures=$((failures + 1)); }
  grep -qF -- "$needle" "$tmp/err" || { echo "FAIL: $* -> lacks '$needle': $(cat "$tmp/err")"; failures=$((failures + 1)); }
  [[ -s "$tmp/out" ]] && { echo "FAIL: $* -> printed a configuration on failure"; failures=$((failures + 1)); }
}

# fake_root DIR LIBDIR [cuda] [abi0]: a LibTorch layout of empty files.
fake_root() {
  local root=$1 libdir=$2
  mkdir -p "$root/include/torch/csrc/api/include/torch" "$root/include/ATen" "$root/$libdir" "$root/share/cmake/Torch"
  touch "$root/include/torch/csrc/api/include/torch/torch.h" "$root/include/ATen/ATen.h"
  printf '#define TORCH_VERSION_MAJOR 2\n#define TORCH_VERSION_MINOR 5\n#define TORCH_VERSION_PATCH 1\n#define TORCH_VERSION "2.5.1+cu124"\n' \
    >"$root/include/torch/csrc/api/include/torch/version.h"
  touch "$root/$libdir/libtorch.so" "$root/$libdir/libtorch_cpu.so" "$root/$libdir/libc10.so"
  [[ " $* " == *" cuda "* ]] && touch "$root/$libdir/libtorch_cuda.so" "$root/$libdir/libc10_cuda.so"
  local abi=1
  [[ " $* " == *" abi0 "* ]] && abi=0
  printf 'if(CMAKE_SYSTEM_NAME STREQUAL "Linux")\n  set(TORCH_CXX_FLAGS "-D_GLIBCXX_USE_CXX11_ABI=%s")\nendif()\n' "$abi" \
    >"$root/share/cmake/Torch/TorchConfig.cmake"
}

# Debian's libtorch-dev, the default.
version=$(bash "$finder" /usr | sed -n 's/^version=//p')
[[ "$version" =~ ^[0-9]+\.[0-9]+\.[0-9]+$ ]] || { echo "FAIL: /usr version '$version'"; failures=$((failures + 1)); }
expect_ok /usr -- api_include=/usr/include/torch/csrc/api/include core_include= \
  lib_dir=/usr/lib/x86_64-linux-gnu system_lib_dir=1 cuda=0
expect_ok /usr/ -- api_include=/usr/include/torch/csrc/api/include

# A CUDA release archive (libtorch/) and a pip package (torch/), both with lib/.
fake_root "$tmp/libtorch" lib cuda
expect_ok "$tmp/libtorch" --require_cuda -- "api_include=$tmp/libtorch/include/torch/csrc/api/include" \
  "core_include=$tmp/libtorch/include" "lib_dir=$tmp/libtorch/lib" system_lib_dir=0 cuda=1 version=2.5.1+cu124
fake_root "$tmp/site-packages/torch" lib
expect_ok "$tmp/site-packages/torch" -- "lib_dir=$tmp/site-packages/torch/lib" cuda=0 system_lib_dir=0

# Failures, one line each.
expect_fail "no such directory" "$tmp/missing"
mkdir -p "$tmp/empty"
expect_fail "no include/torch/csrc/api/include/torch/torch.h" "$tmp/empty"
fake_root "$tmp/nolib" lib; rm "$tmp/nolib/lib/libtorch.so"
expect_fail "no lib/libtorch.so" "$tmp/nolib"
fake_root "$tmp/nocpu" lib; rm "$tmp/nocpu/lib/libtorch_cpu.so"
expect_fail "no libtorch_cpu.so" "$tmp/nocpu"
fake_root "$tmp/halfcuda" lib cuda; rm "$tmp/halfcuda/lib/libc10_cuda.so"
expect_fail "no libc10_cuda.so" "$tmp/halfcuda"
fake_root "$tmp/oldabi" lib abi0
expect_fail "pre-C++11 std::string ABI" "$tmp/oldabi"
expect_fail "--config=cuda asks for a CUDA LibTorch" /usr --require_cuda
expect_fail "--config=cuda asks for a CUDA LibTorch" "$tmp/site-packages/torch" --require_cuda

if [[ $failures -ne 0 ]]; then echo "$failures failure(s)"; exit 1; fi
echo "all find_libtorch checks passed"
