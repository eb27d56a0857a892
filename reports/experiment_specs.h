// The experiment specs the report knows about: every ExperimentSpec under
// <workspace>/experiments/specs (files that are not experiment specs, e.g. the single-run
// smoke_run.textproto, are skipped). Not here: expansion (experiments/plan) or running (experiments/sweep).
#ifndef DATAWALL_REPORTS_EXPERIMENT_SPECS_H_
#define DATAWALL_REPORTS_EXPERIMENT_SPECS_H_

#include <string>
#include <vector>

#include "experiments/records/experiment.pb.h"

namespace datawall::reports {

struct LoadedSpec {
  std::string path;
  experiments::ExperimentSpec spec;
};

// Specs sorted by name. Files that fail to parse as an ExperimentSpec are listed in *skipped
// (path and reason) when it is non-null.
std::vector<LoadedSpec> LoadExperimentSpecs(const std::string& specs_dir,
                                            std::vector<std::string>* skipped = nullptr);

}  // namespace datawall::reports

#endif  // DATAWALL_REPORTS_EXPERIMENT_SPECS_H_
