// Experiment design: which runs to train next so that a fitted law's bootstrap ensemble agrees
// most about one target quantity per FLOP spent.
//
//   absl::StatusOr<DesignTarget> target = ParseDesignTarget("n_opt@1e22,25e9");
//   absl::StatusOr<DesignResult> design =
//       DesignNextRuns(boot->samples, candidates, *target, DesignOptions{.k = 4});
//
// The ensemble is the bootstrap samples theta_s of a fit (laws/bootstrap.h). Per sample, the
// target tau_s (log N_opt at a budget (C, U), the exact allocation of Eq. 4 by sim/allocate.h,
// or log R_D* / log R_N*, the decay constants of Eq. 5 / 6) and every candidate's predicted log
// loss y_c(theta_s) (Eq. 14 or whichever form the law has). Measuring candidate c with noise
// sigma^2 on log loss shrinks Var(tau), in the linear-Gaussian (ensemble Kalman) approximation,
// by Cov(tau, y_c)^2 / (Var(y_c) + sigma^2); the score is that reduction per FLOP (6 N D by
// default). k runs are chosen greedily: after each choice the ensemble is conditioned on that
// (not yet seen) observation by a serial ensemble square-root update (Whitaker & Hamill 2002),
// a rank-one change of every anomaly column, so the ensemble covariances are exactly the Kalman
// posterior ones and a duplicate of a chosen run is worth less. The predicted interval width
// after each choice is the percentile interval of the updated target ensemble (same level as
// the bootstrap's). Candidates are used at most once and a batch's FLOPs stay within the budget;
// equal scores go to the cheaper candidate.
//
// Not here: fitting or bootstrapping (laws/), reading candidate files (sim/candidates.h),
// printing (sim/design_main.cc), the simulation study (sim/studies/).
#ifndef DATAWALL_SIM_DESIGN_H_
#define DATAWALL_SIM_DESIGN_H_

#include <limits>
#include <string>
#include <string_view>
#include <vector>

#include "absl/status/statusor.h"
#include "laws/law.h"

namespace datawall::sim {

// The quantity whose uncertainty the design shrinks; always on the log scale.
struct DesignTarget {
  enum class Kind {
    kOptimalParams,  // log N_opt at (flops, unique_tokens): Eq. 4 solved exactly
    kRdStar,         // log R_D* (Eq. 5)
    kRnStar,         // log R_N* (Eq. 6)
  };
  Kind kind = Kind::kRdStar;
  double flops = 0;          // kOptimalParams only
  double unique_tokens = 0;  // kOptimalParams only

  // "n_opt@1e+22,2.5e+10", "r_d_star", "r_n_star".
  std::string Name() const;
};

// Parses "n_opt@C,U" (two positive numbers), "r_d_star" or "r_n_star". InvalidArgument
// "target: ..." otherwise.
absl::StatusOr<DesignTarget> ParseDesignTarget(std::string_view text);

// log of the target under `law`. InvalidArgument "target: ..." when the law's form has no such
// coefficient or the allocation fails (a non-positive decay constant, a budget too small).
absl::StatusOr<double> LogTargetValue(const laws::Law& law, const DesignTarget& target);

// A run that could be trained next.
struct Candidate {
  double params = 0;
  double tokens = 0;
  double unique_tokens = 0;
  double flops = 0;  // its cost; 6 N D from MakeCandidate (paper §2, C = 6ND)
};
Candidate MakeCandidate(double params, double tokens, double unique_tokens);

struct DesignOptions {
  // Runs to choose (fewer when the budget or the candidates run out).
  int k = 4;
  // The batch's total FLOPs must not exceed this.
  double budget_flops = std::numeric_limits<double>::infinity();
  // Standard deviation of a measured log loss around the law (e.g. the fit's residual RMSE).
  double noise_sigma = 0.01;
  // Level of the percentile interval whose width is reported.
  double confidence = 0.95;

  bool IsValid(std::string* error) const;
};

struct DesignStep {
  int candidate = 0;              // index into the candidate list
  double flops = 0;               // its cost
  double cumulative_flops = 0;    // of the batch so far, this run included
  double score = 0;               // variance_reduction / flops when chosen
  double variance_reduction = 0;  // of the log target, Cov^2 / (Var + sigma^2)
  double variance_after = 0;      // of the log target, after conditioning on this run
  double width_after = 0;         // predicted percentile-interval width of the log target
};

struct DesignResult {
  int num_samples = 0;     // ensemble members given
  int num_used = 0;        // ... with a finite target and finite predictions on every candidate
  double estimate = 0;     // median of the log target over the used members
  double variance_before = 0;
  double lower_before = 0, upper_before = 0;  // percentile interval of the log target
  double width_before = 0;
  // Every candidate's score against the unconditioned ensemble (the first pick's criterion).
  std::vector<double> initial_scores;
  std::vector<DesignStep> steps;  // in the order chosen
  // Why fewer than k were chosen: "" (k chosen), "budget", "candidates".
  std::string stopped_by;
};

// Chooses up to options.k candidates (see the file comment). Errors (InvalidArgument): fewer
// than 3 usable samples ("samples: ..."), no candidates or a candidate with non-positive
// counts or FLOPs ("candidates: ..."), invalid options (named as the option), a target the
// samples' form lacks ("target: ...").
absl::StatusOr<DesignResult> DesignNextRuns(const std::vector<laws::Law>& samples,
                                            const std::vector<Candidate>& candidates,
                                            const DesignTarget& target,
                                            const DesignOptions& options);

// The width of the two-sided percentile interval at `confidence` of finite values (NaN if none).
double PercentileWidth(const std::vector<double>& values, double confidence);

}  // namespace datawall::sim

#endif  // DATAWALL_SIM_DESIGN_H_
