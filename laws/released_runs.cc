// Locates and reads the paper's released runs (see released_runs.h).
#include "laws/released_runs.h"

#include <unistd.h>

#include <cstdlib>

#include "absl/flags/flag.h"
#include "absl/strings/str_cat.h"
#include "tools/paths/paths.h"

ABSL_FLAG(std::string, runs_csv, "",
          "The paper's released runs (runs.csv). Default: $DATAWALL_RUNS_CSV, else "
          "data/raw/datablations/runs.csv as installed by tools/setup.d/40-released-runs.sh.");

namespace datawall::laws {
namespace {

absl::Status Missing(const std::string& problem) {
  return absl::NotFoundError(absl::StrCat(
      "released runs: ", problem, "; install them with `bash ", kRunsSetupHook,
      " .` (part of tools/setup.sh), or pass --runs_csv=PATH or set ", kRunsCsvEnv, "=PATH"));
}

bool Readable(const std::string& path) { return access(path.c_str(), R_OK) == 0; }

}  // namespace

absl::StatusOr<std::string> ReleasedRunsCsv() {
  if (std::string flag = absl::GetFlag(FLAGS_runs_csv); !flag.empty()) {
    const std::string path = paths::UserPath(flag);
    if (!Readable(path)) return Missing(absl::StrCat("--runs_csv=", path, " cannot be read"));
    return path;
  }
  if (const char* env = std::getenv(kRunsCsvEnv); env != nullptr && *env != '\0') {
    const std::string path = paths::UserPath(env);
    if (!Readable(path)) return Missing(absl::StrCat(kRunsCsvEnv, "=", path, " cannot be read"));
    return path;
  }
  const std::string path = absl::StrCat(paths::WorkspaceRoot(), "/", kInstalledRunsCsv);
  if (!Readable(path)) {
    return Missing(absl::StrCat("no --runs_csv, no ", kRunsCsvEnv, ", and ", path,
                                " does not exist"));
  }
  return path;
}

absl::StatusOr<RunTable> ReadReleasedRuns(std::string_view subset) {
  absl::StatusOr<std::string> path = ReleasedRunsCsv();
  if (!path.ok()) return path.status();
  if (subset.empty()) return ReadRunTableCsv(*path);
  return ReadRunTableCsv(*path, std::string(subset));
}

}  // namespace datawall::laws
