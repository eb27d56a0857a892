// Where the project's files are at run time, for tests and `bazel run` programs alike.
//
// WorkspaceRoot(): $BUILD_WORKSPACE_DIRECTORY under `bazel run`; in a test, the directory of the
// real WORKSPACE file its runfiles link to (the test must list "//:WORKSPACE" in `data`);
// otherwise the current directory. Nothing here points outside the workspace: the paper's
// released runs are located by laws/released_runs.h.
#ifndef DATAWALL_TOOLS_PATHS_PATHS_H_
#define DATAWALL_TOOLS_PATHS_PATHS_H_

#include <string>

namespace datawall::paths {

std::string WorkspaceRoot();

// A path given on a command line, as the user meant it: an empty or absolute path is returned
// unchanged; a relative one is taken relative to $BUILD_WORKING_DIRECTORY under `bazel run`
// (where the user typed the command; the program itself runs in its runfiles tree), and left
// relative to the current directory otherwise. Every main resolves its path flags with this.
std::string UserPath(const std::string& path);

}  // namespace datawall::paths

#endif  // DATAWALL_TOOLS_PATHS_PATHS_H_
