// The similarity card: where a scale of an experiment sits in the paper's regime, in
// dimensionless terms, and the rules a scaled-down grid must keep (issue "scaled-down experiments
// that measure the paper's phenomenon", point 2). Per run: N / U_N with U_N = 0.051 U_D (the
// one-epoch compute-optimal size, paper Eq. 17; N is the Eq. 23 count the law uses), epochs
// D / U_D, tokens per parameter D / N, optimizer steps and warm-up steps (as the trainer counts
// them: experiments/training/train_options.h, schedule.h), the validation tokens the trainer
// evaluates and the expected standard error of one validation loss; then the ranges over the runs.
//
//   SimilarityCard card = Card(spec, annotated_plan, options);   // the dry run's card
//   for (const std::string& v : card.violations()) ...           // the rules it breaks
//
// Rules (cpu and gpu scales; smoke is a CI check and paper is the paper's own grid):
//   - every run >= 300 optimizer steps at cpu scale, >= 1,000 at gpu scale;
//   - validation on >= 262,144 tokens;
//   - ALLOCATION: the smallest model within 2x of U_N (0.5 <= N / U_N <= 2), the largest
//     >= 10 U_N, epochs from 1 to >= 32;
//   - RETURN_ISOFLOP and CODE_MIXING: 10-30 tokens per parameter at one epoch; a RETURN_ISOFLOP
//     experiment with a paper scale runs the paper's eight epoch counts (paper::kIsoFlopEpochs);
//   - time, from the plan's estimated_seconds: a cpu scale <= 90 minutes with two workers (the
//     runner's --workers=2: runs in plan order, each to the first free worker), a gpu scale
//     <= 8 minutes on one H100 (one worker). A cpu scale marked Scale.gpu_scale_only, or a gpu
//     scale marked Scale.over_time_budget, must instead exceed its budget (else the mark is
//     stale).
// Across experiments (FamilyViolations): the three allocation budgets in the paper's
// 1 : 4 : 15 ratio (100M : 400M : 1.5B), the three return models in the paper's size order.
//
// Pure computation over specs and plans; LoadValidationCalibration reads the calibration file.
// Not here: expansion (expand.h), time estimates (plan.h).
#ifndef DATAWALL_EXPERIMENTS_PLAN_SIMILARITY_H_
#define DATAWALL_EXPERIMENTS_PLAN_SIMILARITY_H_

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "experiments/records/experiment.pb.h"

namespace datawall::plan {

// The rules' thresholds (named so tests cite one place).
inline constexpr int64_t kMinCpuSteps = 300;
inline constexpr int64_t kMinGpuSteps = 1000;
inline constexpr int64_t kMinValidationTokens = 262144;
inline constexpr double kCpuBudgetSeconds = 90 * 60;  // two workers on this machine
inline constexpr int kCpuWorkers = 2;
inline constexpr double kGpuBudgetSeconds = 8 * 60;   // one H100, one worker
inline constexpr double kMinTokensPerParam = 10, kMaxTokensPerParam = 30;

struct CardOptions {
  // Per-sequence standard deviation of the validation loss (nats) by seq_len, measured from
  // records (experiments/plan/validation_loss_std.txt). A seq_len without one: SE unknown.
  std::map<int64_t, double> sequence_loss_std;
  std::string calibration_source;  // the file it was read from
  // The gpu scale's time rule: runs sharing the one GPU (the runner's --runs_per_device) and the
  // measured aggregate speedup of that many (LoadThroughputPoints' `concurrency` lines). Without a
  // measurement for K > 1 the estimate assumes no gain (K runs at a time, each K times slower).
  int runs_per_device = 1;
  std::map<int, double> concurrency_speedup;
};

// Reads "seq_len std source..." lines ('#' comments). InvalidArgument naming the file and line.
absl::StatusOr<CardOptions> LoadValidationCalibration(const std::string& path);

// Sequences the trainer cuts from eval_tokens (each seq_len + 1 tokens, overlapping by one).
int64_t ValidationSequences(int64_t eval_tokens, int64_t seq_len);

// The calibrated std at seq_len over sqrt(sequences); nullopt when seq_len is not calibrated
// (or there are no sequences).
std::optional<double> ExpectedValidationSe(const CardOptions& options, int64_t eval_tokens,
                                           int64_t seq_len);

// The card of a plan of `spec` (plan.scale() names the scale). The time rule uses the runs'
// estimated_seconds (plan.h's AnnotatePlan, with this machine's calibration at cpu scale and the
// H100 one at gpu scale); without estimates it is not evaluated.
experiments::SimilarityCard Card(const experiments::ExperimentSpec& spec,
                                 const experiments::SweepPlan& plan,
                                 const CardOptions& options = {});

// Expand(spec, scale) and its card, without time estimates: what a report shows beside the
// paper scale's card. Errors: those of Expand.
absl::StatusOr<experiments::SimilarityCard> ScaleCard(const experiments::ExperimentSpec& spec,
                                                      const std::string& scale,
                                                      const CardOptions& options = {});

// The time the runner takes for the runs' estimated seconds on `workers` workers: runs in plan
// order, each to the worker that frees first (experiments/sweep/runner.cc's queue).
double Makespan(const experiments::SweepPlan& plan, int workers);

// Rules across one family of experiments at `scale`, each spec with a "paper" scale: ALLOCATION
// specs keep the paper scales' ratio of unique budgets (1 : 4 : 15); RETURN_ISOFLOP specs order
// their models (Eq. 23 N) as their paper scales do. Errors: specs of mixed kinds, a missing
// scale, a failed expansion.
absl::StatusOr<std::vector<std::string>> FamilyViolations(
    const std::vector<experiments::ExperimentSpec>& family, const std::string& scale);

// The card as text: one line per run, the ranges, the budget, the time, the marks, then the
// violations (or "in regime: every rule holds").
std::string CardText(const experiments::SimilarityCard& card);
// One line of ranges (for tables beside the paper's card).
std::string CardBrief(const experiments::SimilarityCard& card);

}  // namespace datawall::plan

#endif  // DATAWALL_EXPERIMENTS_PLAN_SIMILARITY_H_
