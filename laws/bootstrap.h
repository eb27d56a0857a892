// Bootstrap over runs: refit on resamples (drawn with replacement) and report percentile
// confidence intervals for every free coefficient and for derived quantities (A, B, E, G and the
// compute-optimal N and D at chosen budgets).
//
//   absl::StatusOr<FitSummary> fit = Fit(runs, options);
//   absl::StatusOr<BootstrapSummary> boot = Bootstrap(runs, options, *fit, BootstrapOptions{});
//
// Resample i is drawn from (seed, i) alone, so results do not depend on the thread count. Each
// resample is refitted from the best few local minima of the full fit (not the whole grid: the
// grid would cost ~30x more for the same answer on well-posed problems; set
// restart_from_grid for the exhaustive version). Not here: the (R_D*, R_N*) profile (profile.h).
#ifndef DATAWALL_LAWS_BOOTSTRAP_H_
#define DATAWALL_LAWS_BOOTSTRAP_H_

#include <cstdint>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "laws/fit.h"

namespace datawall::laws {

struct BootstrapOptions {
  // Number of resamples (each the size of the run list).
  int num_resamples = 1000;
  // Seed of every draw; resample i uses a generator seeded from (seed, i).
  uint64_t seed = 1;
  // Threads over resamples; 0 = std::thread::hardware_concurrency().
  int num_threads = 0;
  // Two-sided percentile interval level.
  double confidence = 0.95;
  // Compute budgets (FLOPs) at which to report N_opt and D_opt (Eq. 3) intervals.
  std::vector<double> budgets_flops;
  // Starts per resample: the best `max_starts` interior minima of the full fit (minima on a
  // bound only if there is no interior one), or the full grid.
  int max_starts = 4;
  bool restart_from_grid = false;

  bool IsValid(std::string* error) const;
};

// A percentile interval of one quantity.
struct Interval {
  std::string name;      // a coefficient name, or A, B, E, G, n_opt@<C>, d_opt@<C>
  double estimate = 0;   // on the full data
  double lower = 0;
  double upper = 0;
  double median = 0;
};

struct BootstrapSummary {
  std::vector<Law> samples;      // the fitted law of each successful resample
  int num_resamples = 0;
  int num_failed = 0;            // resamples where no start gave a finite objective
  int num_not_converged = 0;     // resamples whose best point did not converge (kept)
  double confidence = 0.95;
  std::vector<Interval> intervals;
  double wall_seconds = 0;

  std::string Report() const;
  std::string ToCsv() const;  // name,estimate,lower,upper,median (one row per interval)
};

absl::StatusOr<BootstrapSummary> Bootstrap(const std::vector<RunPoint>& runs,
                                           const FitOptions& fit_options,
                                           const FitSummary& full_fit,
                                           const BootstrapOptions& options);

// The q-quantile (0 <= q <= 1) of values with linear interpolation (numpy's default).
double Percentile(std::vector<double> values, double q);

}  // namespace datawall::laws

#endif  // DATAWALL_LAWS_BOOTSTRAP_H_
