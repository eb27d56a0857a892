#!/usr/bin/env bash
# Finds a LibTorch installation and prints what the build needs from it, one key=value per line.
# The repository rule in libtorch.bzl runs it at fetch time; tests/third_party/torch tests it.
#
#   find_libtorch.sh ROOT [--require_cuda]
#
# ROOT is $DATAWALL_LIBTORCH: a directory with LibTorch's layout, as in its release archives
# (libtorch/) and in a pip-installed torch package (site-packages/torch/):
#   ROOT/include/torch/csrc/api/include/torch/torch.h   the C++ frontend
#   ROOT/lib/libtorch.so (or ROOT/lib/<multiarch>/)     with libtorch_cpu.so and libc10.so
#   ROOT/lib/libtorch_cuda.so, libc10_cuda.so           present in a CUDA build
# Debian's libtorch-dev is ROOT=/usr (libraries in /usr/lib/x86_64-linux-gnu), the default.
#
# Prints:
#   api_include=DIR     the C++ frontend's include directory
#   core_include=DIR    ROOT/include (ATen, c10), empty when it is the compiler's /usr/include
#   lib_dir=DIR         the directory of libtorch.so
#   system_lib_dir=0|1  1 when lib_dir is on the linker's default path (no -L / rpath needed)
#   cuda=0|1            libtorch_cuda.so is there
#   version=X.Y.Z       from torch/version.h ("unknown" if it has none)
# On a problem: one line naming DATAWALL_LIBTORCH on stderr, exit 2. A LibTorch built with the
# pre-C++11 std::string ABI is refused: our other libraries (Debian's Abseil, protobuf) use the
# C++11 ABI, and mixing the two fails at link time or, worse, at run time.
# Not here: the BUILD file (libtorch.bzl writes it) and the choice of device (the trainer picks
# CUDA when the linked LibTorch has it and a GPU is visible).
set -uo pipefail

fail() {
  echo "DATAWALL_LIBTORCH=${root}: $*" >&2
  exit 2
}

root="${1:-}"
require_cuda=0
[[ "${2:-}" == "--require_cuda" ]] && require_cuda=1
[[ -n "$root" ]] || { echo "find_libtorch.sh: usage: find_libtorch.sh ROOT [--require_cuda]" >&2; exit 2; }
root="${root%/}"
[[ -n "$root" ]] || root="/"
[[ -d "$root" ]] || fail "no such directory (expected LibTorch's layout: include/ and lib/, as in its release archive or a pip-installed torch package)"

api="$root/include/torch/csrc/api/include"
[[ -f "$api/torch/torch.h" ]] || fail "no include/torch/csrc/api/include/torch/torch.h (not a LibTorch with the C++ frontend)"

lib=""
for dir in "$root/lib" "$root/lib/x86_64-linux-gnu" "$root/lib/aarch64-linux-gnu" "$root/lib64"; do
  if [[ -e "$dir/libtorch.so" ]]; then lib="$dir"; break; fi
done
[[ -n "$lib" ]] || fail "no lib/libtorch.so (nor in lib/<multiarch>/ or lib64/)"
for name in libtorch_cpu.so libc10.so; do
  [[ -e "$lib/$name" ]] || fail "$lib has libtorch.so but no $name"
done

cuda=0
if [[ -e "$lib/libtorch_cuda.so" ]]; then
  [[ -e "$lib/libc10_cuda.so" ]] || fail "$lib has libtorch_cuda.so but no libc10_cuda.so"
  cuda=1
fi
if [[ $require_cuda == 1 && $cuda == 0 ]]; then
  fail "--config=cuda asks for a CUDA LibTorch, but $lib has no libtorch_cuda.so"
fi

# The std::string ABI, from the CMake config LibTorch installs beside itself.
for config in "$root/share/cmake/Torch/TorchConfig.cmake" "$lib/cmake/Torch/TorchConfig.cmake"; do
  [[ -f "$config" ]] || continue
  if grep -q -- '-D_GLIBCXX_USE_CXX11_ABI=0' "$config"; then
    fail "built with the pre-C++11 std::string ABI ($config: _GLIBCXX_USE_CXX11_ABI=0); use a cxx11-abi LibTorch (the release archive named libtorch-cxx11-abi-*, or a torch wheel >= 2.7)"
  fi
  break
done

core="$root/include"
[[ "$core" == "/usr/include" ]] && core=""
system_lib=0
case "$lib" in
  /usr/lib | /usr/lib/x86_64-linux-gnu | /usr/lib/aarch64-linux-gnu | /usr/lib64 | /lib | /lib64) system_lib=1 ;;
esac

version=$(sed -n 's/^#define TORCH_VERSION "\(.*\)"$/\1/p' "$api/torch/version.h" 2>/dev/null | head -1)
if [[ -z "$version" ]]; then
  major=$(sed -n 's/^#define TORCH_VERSION_MAJOR \([0-9]*\).*/\1/p' "$api/torch/version.h" 2>/dev/null)
  minor=$(sed -n 's/^#define TORCH_VERSION_MINOR \([0-9]*\).*/\1/p' "$api/torch/version.h" 2>/dev/null)
  patch=$(sed -n 's/^#define TORCH_VERSION_PATCH \([0-9]*\).*/\1/p' "$api/torch/version.h" 2>/dev/null)
  [[ -n "$major" ]] && version="$major.$minor.$patch"
fi

echo "api_include=$api"
echo "core_include=$core"
echo "lib_dir=$lib"
echo "system_lib_dir=$system_lib"
echo "cuda=$cuda"
echo "version=${version:-unknown}"
