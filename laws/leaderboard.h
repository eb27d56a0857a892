// The law leaderboard: every law form fitted under one recipe on the training side of several
// train/test splits of a runs table, scored by how well it predicts the held-out runs and how
// well calibrated its bootstrap prediction intervals are, then ranked.
//
//   LeaderboardOptions options;                          // every form, the four standard splits
//   absl::StatusOr<Leaderboard> board = RunLeaderboard(table.runs(), options);
//   std::cout << board->Report();
//
// The splits (StandardSplits) ask for extrapolation, which in-sample R^2 (the paper's Table 1)
// does not, ranked by the geometric mean over splits of the held-out RMSE of log loss: small
// to large parameters (train N < params_threshold), few to many epochs (train
// D/U <= epochs_threshold), low to high compute (train the cheapest flops_fraction by 6ND), and
// leave-one-unique-budget-out (one fold per unique-data budget with at least
// min_runs_per_budget runs; the other runs train).
//
// The recipe, the same for every form and fold: (1) Chinchilla's a, b, e, alpha, beta fitted on
// the training runs from the default grid (fit.h); (2) the form's whole coefficient vector
// fitted jointly, starting from that base with the form's default grid over its other
// coefficients (thinned evenly to at most max_form_starts starts); (3) a bootstrap of the
// training runs (bootstrap.h) restarted from the fit's best minima. A held-out run's 95%
// prediction interval is the percentile interval of {log L_s(run) + eps_s}: the resample's law
// plus a residual of the full fit drawn at random (its observation noise); the interval without
// eps (the law's own uncertainty) is reported as well. Not here: printing JSON (the CLI).
#ifndef DATAWALL_LAWS_LEADERBOARD_H_
#define DATAWALL_LAWS_LEADERBOARD_H_

#include <cstdint>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "laws/fit.h"
#include "laws/run_table.h"

namespace datawall::laws {

struct LeaderboardOptions {
  // Forms to rank; empty: every form except no_decay (the same function as chinchilla).
  std::vector<Form> forms;
  double params_threshold = 1e9;  // params split: train N < this, test the rest
  double epochs_threshold = 4;    // epochs split: train D/U_D <= this (the paper's "negligible")
  double flops_fraction = 0.75;   // flops split: train the cheapest fraction of runs by 6ND
  int min_runs_per_budget = 5;    // leave-one-budget-out: budgets with fewer runs are not folds
  int min_train_runs = 10;        // a fold with fewer training runs is left out (underdetermined)
  int max_form_starts = 128;      // step (2)'s starts per form, after thinning the grid
  int bootstrap_resamples = 100;  // step (3); >= 10
  int bootstrap_starts = 2;       // starts per resample (the fit's best minima)
  double confidence = 0.95;       // two-sided interval level
  uint64_t seed = 1;              // of the bootstrap and of the residual draws
  int num_threads = 1;            // over (form, fold) jobs
  // Objective, delta and solver settings of every fit (form, init, grid, starts are set here).
  FitOptions fit;

  bool IsValid(std::string* error) const;
};

// One train/test fold of a split (indices into the runs).
struct Fold {
  std::string name;  // e.g. "params<1e+09", "U=1e+08"
  std::vector<int> train, test;
};
struct Split {
  std::string name;         // params, epochs, flops, unique_budget
  std::string description;  // one line
  std::vector<Fold> folds;
};

// The four standard splits of `runs`. A split the table does not span (an empty side, fewer than
// min_train_runs to train on, no budget with enough runs) is left out with one line in *skipped naming it and its threshold; an
// error if none is left.
absl::StatusOr<std::vector<Split>> StandardSplits(const std::vector<RunPoint>& runs,
                                                  const LeaderboardOptions& options,
                                                  std::vector<std::string>* skipped);

// One form on one split, pooled over the split's folds (every held-out run once per fold).
struct SplitScore {
  std::string split;
  int folds = 0;
  int test_runs = 0;
  int failed_folds = 0;          // folds where the form could not be fitted (not scored)
  double rmse_log = 0;           // sqrt(mean (log L_hat - log L)^2) over held-out runs
  double max_abs_log = 0;        // max |log L_hat - log L|
  double coverage = 0;           // share of held-out losses inside their prediction interval
  double coverage_law = 0;       // ... inside the law-only (no noise) interval
  double mean_interval_width = 0;  // of the prediction interval, in log loss
  double rank = 0;               // among the forms on this split, by rmse_log (1 = best)
};

struct FormRow {
  Form form;
  std::string name;
  int coefficients = 0;
  std::vector<SplitScore> splits;  // in StandardSplits order
  // The ranking score: the geometric mean over splits of the held-out RMSE (each split counts
  // the same whatever its scale; one catastrophic extrapolation costs, without swamping the
  // rest); +inf when a fold of some split could not be fitted.
  double geomean_rmse_log = 0;
  double mean_rank = 0;            // over splits (reported; not the ranking)
  double mean_rmse_log = 0;        // over splits
  double mean_coverage = 0;        // over splits
};

struct Leaderboard {
  std::vector<Split> splits;
  std::vector<std::string> skipped_splits;  // why a standard split was left out
  std::vector<FormRow> rows;  // best first: by geomean_rmse_log, then mean rank
  double confidence = 0.95;
  int num_runs = 0;
  double wall_seconds = 0;

  std::string Report() const;
};

absl::StatusOr<Leaderboard> RunLeaderboard(const std::vector<RunPoint>& runs,
                                           const LeaderboardOptions& options);

}  // namespace datawall::laws

#endif  // DATAWALL_LAWS_LEADERBOARD_H_
