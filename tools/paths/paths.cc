// Finds the workspace at run time (see paths.h).
#include "tools/paths/paths.h"

#include <limits.h>
#include <stdlib.h>
#include <unistd.h>

#include <cstdlib>

namespace datawall::paths {
namespace {

std::string Env(const char* name) {
  const char* value = std::getenv(name);
  return value == nullptr ? "" : value;
}

std::string Dirname(const std::string& path) {
  const size_t slash = path.rfind('/');
  return slash == std::string::npos ? "." : path.substr(0, slash);
}

}  // namespace

std::string WorkspaceRoot() {
  if (std::string dir = Env("BUILD_WORKSPACE_DIRECTORY"); !dir.empty()) return dir;
  for (const std::string& runfiles : {Env("TEST_SRCDIR"), Env("RUNFILES_DIR")}) {
    if (runfiles.empty()) continue;
    char resolved[PATH_MAX];
    const std::string link = runfiles + "/datawall/WORKSPACE";
    if (realpath(link.c_str(), resolved) != nullptr) return Dirname(resolved);
  }
  char cwd[PATH_MAX];
  return getcwd(cwd, sizeof(cwd)) != nullptr ? cwd : ".";
}

std::string UserPath(const std::string& path) {
  if (path.empty() || path[0] == '/') return path;
  const std::string dir = Env("BUILD_WORKING_DIRECTORY");
  return dir.empty() ? path : dir + "/" + path;
}

}  // namespace datawall::paths
