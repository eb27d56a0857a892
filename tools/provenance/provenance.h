// Provenance facts every record carries: library versions, code version, host and time.
//
// Library versions come from the headers this binary was compiled against (plus the BLAS that
// LibTorch loaded at run time is the caller's to add); the code version from `git` in the
// workspace (commit + dirty flag). This is the CLI-side helper; the LibTorch-only training core
// records its own torch version.
#ifndef DATAWALL_TOOLS_PROVENANCE_PROVENANCE_H_
#define DATAWALL_TOOLS_PROVENANCE_PROVENANCE_H_

#include <string>
#include <utility>
#include <vector>

namespace datawall::provenance {

// (name, version) for the compiler, C++ standard, LibTorch, Ceres, Abseil, protobuf.
std::vector<std::pair<std::string, std::string>> LibraryVersions();

struct CodeVersion {
  std::string commit;  // full hash, or "unknown" outside a git checkout
  bool dirty = false;  // uncommitted changes to tracked files
};
CodeVersion GetCodeVersion();

std::string HostName();
// Current UTC time as RFC 3339, e.g. "2026-11-26T08:30:00Z".
std::string UtcNow();

}  // namespace datawall::provenance

#endif  // DATAWALL_TOOLS_PROVENANCE_PROVENANCE_H_
