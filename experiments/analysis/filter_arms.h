// The filter experiments' comparison (paper section 7, Tables 12-14): per filter arm, the size of
// its pool and its losses over seeds — the trainer's final_val_loss, the loss over whole
// validation documents, and over the high-quality subset — each against the unfiltered arm's,
// with what seed noise allows. Pure computation over the plan, runs.csv rows and the sweep
// directory's filter files (records/filter_files.h gathers them); the summary calls it for
// DATA_FILTERING plans. Not here: verdicts on the paper's claims (reports/claims.h).
#ifndef DATAWALL_EXPERIMENTS_ANALYSIS_FILTER_ARMS_H_
#define DATAWALL_EXPERIMENTS_ANALYSIS_FILTER_ARMS_H_

#include <optional>
#include <vector>

#include "experiments/analysis/summary.pb.h"
#include "experiments/records/experiment.pb.h"
#include "experiments/records/filter_files.h"
#include "experiments/records/records.h"

namespace datawall::analysis {

// The unfiltered arm's name (FilterArm.filter).
inline constexpr char kUnfilteredArm[] = "all";

// nullopt when the plan has no filter arms. An arm without complete runs has n = 0 means and
// zero changes; a measure without seed replicates has allowed = 0 (noise unknown).
std::optional<experiments::FilterComparison> CompareFilterArms(
    const experiments::ExperimentSpec& spec, const experiments::SweepPlan& plan,
    const std::vector<records::RunRow>& rows, const records::FilterEvidence& evidence);

}  // namespace datawall::analysis

#endif  // DATAWALL_EXPERIMENTS_ANALYSIS_FILTER_ARMS_H_
