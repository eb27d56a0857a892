// Held-out validation: fit on the runs below a parameter or compute threshold and measure how
// well the law predicts the rest (extrapolation to larger scale).
//
//   absl::StatusOr<HeldOutSplit> split = ParseHeldOutSplit("params<1e9");
//   absl::StatusOr<HeldOutSummary> h = FitHeldOut(runs, options, *split);
//   std::cout << h->Report();
#ifndef DATAWALL_LAWS_HOLDOUT_H_
#define DATAWALL_LAWS_HOLDOUT_H_

#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "laws/fit.h"

namespace datawall::laws {

// Train on runs whose quantity is below `threshold`; test on the others.
struct HeldOutSplit {
  enum class By { kParams, kFlops };  // N, or 6 N D
  By by = By::kParams;
  double threshold = 0;
  std::string ToString() const;       // "params<1e+09"
};
// Parses "params<X" or "flops<X" (X a positive number).
absl::StatusOr<HeldOutSplit> ParseHeldOutSplit(const std::string& text);

struct HeldOutSummary {
  HeldOutSplit split;
  FitSummary fit;          // on the training runs
  Evaluation train, test;  // of the fitted law
  std::vector<std::string> test_keys;
  double test_mean_abs_rel_error = 0;  // mean |L_hat - L| / L over the held-out runs
  double test_max_abs_rel_error = 0;

  std::string Report() const;
};

// Errors if either side of the split is empty.
absl::StatusOr<HeldOutSummary> FitHeldOut(const std::vector<RunPoint>& runs,
                                          const FitOptions& options, const HeldOutSplit& split);

}  // namespace datawall::laws

#endif  // DATAWALL_LAWS_HOLDOUT_H_
