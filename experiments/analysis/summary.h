// The summary of one experiment at one scale, from its plan and whatever records exist.
//
//   std::vector<records::RunRow> rows = *records::ReadRunsCsv(out_dir + "/runs.csv");
//   ExperimentSummary s = Summarize(spec, plan, rows, SummaryOptions{});
//   std::cout << SummaryText(s);          // tables for people
//   std::string json = SummaryJson(s);     // the same, for reports/ and scripts
//
// Contents: the runs table (with the paper's law at each run's (N, D, U) as a scale reference);
// for ALLOCATION and RETURN_ISOFLOP the data-constrained law fitted to the experiment's own
// complete runs (laws/fit.h, Huber on log loss, multi-start; bootstrap percentile intervals from
// laws/bootstrap.h) next to the paper's R_D* = 15.4, R_N* = 5.3; for ALLOCATION the empirical
// efficient frontier next to the fitted law's exact allocation (sim/allocate.h); and the
// paper's checks at our scale: loss at 4 and 44 epochs vs 1 epoch at equal compute (returns),
// loss vs epochs per model (allocation), validation loss vs code fraction (code mixing); and for
// code mixing with a repeat arm, per code fraction f the natural-language loss of "fill with
// code" vs "repeat U = (1 - f) D of natural language to D" and the paper's claim (Figure 6); for
// data filtering, each filter arm's pool and losses against the unfiltered arm (filter_arms.h).
// Pure computation: no files (the sweep CLI and reports/ do the I/O: records, runs.csv).
#ifndef DATAWALL_EXPERIMENTS_ANALYSIS_SUMMARY_H_
#define DATAWALL_EXPERIMENTS_ANALYSIS_SUMMARY_H_

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "experiments/records/experiment.pb.h"
#include "experiments/records/filter_files.h"
#include "experiments/records/records.h"
#include "experiments/analysis/summary.pb.h"

namespace datawall::analysis {

using experiments::ExperimentSummary;

struct SummaryOptions {
  // Fit the data-constrained law to the experiment's complete runs (ALLOCATION, RETURN_ISOFLOP).
  bool fit_law = true;
  // Fewest complete runs with distinct (N, D, U) needed before a fit is attempted.
  int min_runs_for_fit = 6;
  // Bootstrap resamples for the coefficient intervals (0 = no intervals).
  int bootstrap_resamples = 200;
  double confidence = 0.95;
  uint64_t bootstrap_seed = 1;
  // Threads for the fit's starts and the bootstrap.
  int threads = 1;
  // CODE_MIXING code-vs-repeat claim: the largest code fraction the paper's "filling with code
  // is as good as repeating natural language" covers, and the relative loss difference that
  // still counts as "about as good".
  double code_repeat_max_fraction = 0.5;
  double code_repeat_tolerance = 0.01;
  // DATA_FILTERING: the sweep directory's pools manifest and per-run validation files
  // (records::LoadFilterEvidence); null = no per-arm comparison (filter_arms.h).
  const records::FilterEvidence* filter_evidence = nullptr;
};

// `rows`: what is known of the plan's runs (runs.csv, or records::MakeRunRows of the records),
// matched to the planned runs by hash and in any order; a planned run without a complete row
// counts as not complete.
ExperimentSummary Summarize(const experiments::ExperimentSpec& spec,
                            const experiments::SweepPlan& plan,
                            const std::vector<records::RunRow>& rows,
                            const SummaryOptions& options = {});

std::string SummaryText(const ExperimentSummary& summary);
// InvalidArgument naming the field when a number is not finite (records/message_json.h).
absl::StatusOr<std::string> SummaryJson(const ExperimentSummary& summary);

}  // namespace datawall::analysis

#endif  // DATAWALL_EXPERIMENTS_ANALYSIS_SUMMARY_H_
