// Provenance facts every record and report carries: library versions, code version, host, time.
//
// This is the bottom layer: it depends on no library but the C++ standard library (and
// tools/paths, tools/process to ask git). Versions of the libraries a binary links are the
// caller's to pass in: the train CLI passes LibTorch's (torch/version.h) and protobuf's, the
// report Ceres', and so on; this module adds the compiler and the C++ standard. The code version
// comes from `git` in the workspace (commit + dirty flag).
#ifndef DATAWALL_TOOLS_PROVENANCE_PROVENANCE_H_
#define DATAWALL_TOOLS_PROVENANCE_PROVENANCE_H_

#include <string>
#include <utility>
#include <vector>

namespace datawall::provenance {

// (name, version) pairs, in the order they are listed.
using Versions = std::vector<std::pair<std::string, std::string>>;

// The compiler and C++ standard this binary was compiled with, then `libraries` as given.
Versions LibraryVersions(const Versions& libraries);

struct CodeVersion {
  std::string commit;  // full hash, or "unknown" outside a git checkout (or without git)
  bool dirty = false;  // uncommitted changes to tracked files
};
// The git checkout at `dir`; the overload without it asks about paths::WorkspaceRoot(). Outside a
// checkout (a copy of the tree on a machine without it, e.g. the GPU machine) the commit is
// $DATAWALL_GIT_COMMIT and dirty is $DATAWALL_GIT_DIRTY == "1", when set by whoever copied it
// (experiments/training/gpu/run_gpu_sweeps.sh, from prepare_gpu_sweeps.sh's MANIFEST).
CodeVersion GetCodeVersion(const std::string& dir);
CodeVersion GetCodeVersion();

std::string HostName();
// Current UTC time as RFC 3339, e.g. "2026-11-26T08:30:00Z".
std::string UtcNow();

}  // namespace datawall::provenance

#endif  // DATAWALL_TOOLS_PROVENANCE_PROVENANCE_H_
