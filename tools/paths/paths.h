// Where the project's files are at run time, for tests and `bazel run` programs alike.
//
// WorkspaceRoot(): $BUILD_WORKSPACE_DIRECTORY under `bazel run`; in a test, the directory of the
// real WORKSPACE file its runfiles link to (the test must list "//:WORKSPACE" in `data`);
// otherwise the current directory. SharedDir(): $DATAWALL_SHARED if set, else
// WorkspaceRoot()/../shared (the paper's released runs, notes and baselines live there).
#ifndef DATAWALL_TOOLS_PATHS_PATHS_H_
#define DATAWALL_TOOLS_PATHS_PATHS_H_

#include <string>

namespace datawall::paths {

std::string WorkspaceRoot();
std::string SharedDir();
// SharedDir() + "/datablations/runs.csv".
std::string PaperRunsCsv();

}  // namespace datawall::paths

#endif  // DATAWALL_TOOLS_PATHS_PATHS_H_
