// The paper's released runs: the final C4 validation losses of the authors' 296 training runs
// (App. A; the fit behind App. B and Table 1 of Muennighoff et al. 2023), as the CSV that
// tools/released_runs/extract_runs.py makes from their notebook. This is the one place in the
// code that knows where that file is.
//
// Where, the first that applies:
//   1. --runs_csv=PATH (the flag is defined here, so every tool that links this has it);
//   2. $DATAWALL_RUNS_CSV (tests see it through .bazelrc's --test_env);
//   3. <workspace>/data/raw/datablations/runs.csv, the git-ignored copy that the setup hook
//      tools/setup.d/40-released-runs.sh installs (bash tools/setup.sh runs it).
// A relative flag or variable value is taken relative to where `bazel run` was typed. When the
// chosen file cannot be read the error is NotFound, one line naming --runs_csv,
// DATAWALL_RUNS_CSV and the setup hook. Mains map it to exit status 2.
//
// Not here: parsing (laws/run_table.h) or anything about which rows a fit uses.
#ifndef DATAWALL_LAWS_RELEASED_RUNS_H_
#define DATAWALL_LAWS_RELEASED_RUNS_H_

#include <string>
#include <string_view>

#include "absl/flags/declare.h"
#include "absl/status/statusor.h"
#include "laws/run_table.h"

ABSL_DECLARE_FLAG(std::string, runs_csv);

namespace datawall::laws {

inline constexpr char kRunsCsvEnv[] = "DATAWALL_RUNS_CSV";
// Relative to the workspace root; tools/setup.d/40-released-runs.sh installs it there.
inline constexpr char kInstalledRunsCsv[] = "data/raw/datablations/runs.csv";
inline constexpr char kRunsSetupHook[] = "tools/setup.d/40-released-runs.sh";

// The path of the released runs (readable), or NotFound with the one-line message above.
absl::StatusOr<std::string> ReleasedRunsCsv();

// Reads the released runs; a non-empty `subset` keeps the rows whose column of that name is 1
// (e.g. "in_fit_set": the paper's 182-run fit set).
absl::StatusOr<RunTable> ReadReleasedRuns(std::string_view subset = "");

}  // namespace datawall::laws

#endif  // DATAWALL_LAWS_RELEASED_RUNS_H_
