// The paper's released runs for tests (laws/released_runs.h finds them): the table, or, when they
// are missing or malformed, the resolver's one-line message on stderr and exit status 1, so that
// a test needing them fails with that line (naming --runs_csv, DATAWALL_RUNS_CSV and the setup
// hook) instead of a crash. Not for mains: they map the status to exit 2 themselves.
#ifndef DATAWALL_TESTS_TESTING_RELEASED_RUNS_H_
#define DATAWALL_TESTS_TESTING_RELEASED_RUNS_H_

#include <cstdlib>
#include <iostream>
#include <string_view>

#include "laws/released_runs.h"
#include "laws/run_table.h"

namespace datawall::testdata {

// All 296 runs, or with `subset` = "in_fit_set" the paper's 182-run fit set.
inline laws::RunTable ReleasedRuns(std::string_view subset = "") {
  absl::StatusOr<laws::RunTable> table = laws::ReadReleasedRuns(subset);
  if (!table.ok()) {
    std::cerr << table.status().message() << "\n";
    std::exit(1);
  }
  return *std::move(table);
}

}  // namespace datawall::testdata

#endif  // DATAWALL_TESTS_TESTING_RELEASED_RUNS_H_
