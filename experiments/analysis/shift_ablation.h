// The repetition_vs_shift ablation's analysis: at equal compute, how much of the measured cost of
// repeating data (loss at e epochs over loss at 1 epoch) comes from the budget's distribution
// drifting away from the validation distribution, by comparing whole-document budgets with
// representative ones (data/budget.h), paired by seed. Pure computation over runs.csv rows; the
// summary (summary.h) calls it for plans whose runs use two budget orders. Not a general
// statistics library: Student-t means and an exactly enumerated seed bootstrap, nothing else.
#ifndef DATAWALL_EXPERIMENTS_ANALYSIS_SHIFT_ABLATION_H_
#define DATAWALL_EXPERIMENTS_ANALYSIS_SHIFT_ABLATION_H_

#include <optional>
#include <vector>

#include "experiments/analysis/summary.pb.h"
#include "experiments/records/experiment.pb.h"
#include "experiments/records/records.h"

namespace datawall::analysis {

// True when the plan's runs use more than one budget order (then the pooled checks and the law
// fit of the summary would mix the arms).
bool HasSeveralBudgetOrders(const experiments::SweepPlan& plan);

// The ablation over the complete rows of the plan's runs (matched by hash): per epoch count
// e > 1 measured in both orders at 1 and e epochs for at least two common seeds. nullopt when no
// epoch count qualifies.
// Intervals are 95%.
std::optional<experiments::ShiftAblation> AnalyzeShift(const experiments::SweepPlan& plan,
                                                       const std::vector<records::RunRow>& rows);

// Mean of per-seed values (in seed order) with its 95% Student-t interval and standard error
// (sd / sqrt(n); the interval collapses to the mean for n = 1).
experiments::SeedMean MeanOverSeeds(const std::vector<double>& per_seed);

// The two-sided Student-t quantile t_{(1 + confidence) / 2, dof} for confidence 0.95 (dof >= 1;
// beyond 30 degrees of freedom the normal 1.96).
double StudentT975(int dof);

}  // namespace datawall::analysis

#endif  // DATAWALL_EXPERIMENTS_ANALYSIS_SHIFT_ABLATION_H_
