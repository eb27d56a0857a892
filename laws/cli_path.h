// Paths given on the laws CLIs' command lines, resolved as the user meant them: under
// `bazel run` the program runs inside its runfiles tree, so a relative path is taken relative to
// $BUILD_WORKING_DIRECTORY (where the user typed the command). Only for the two mains.
#ifndef DATAWALL_LAWS_CLI_PATH_H_
#define DATAWALL_LAWS_CLI_PATH_H_

#include <cstdlib>
#include <string>

namespace datawall::laws {

inline std::string UserPath(const std::string& path) {
  if (path.empty() || path[0] == '/') return path;
  const char* dir = std::getenv("BUILD_WORKING_DIRECTORY");
  return dir == nullptr || *dir == '\0' ? path : std::string(dir) + "/" + path;
}

}  // namespace datawall::laws

#endif  // DATAWALL_LAWS_CLI_PATH_H_
