#include "laws/holdout.h"

#include <cerrno>
#include <cmath>
#include <cstdlib>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"

namespace datawall::laws {

std::string HeldOutSplit::ToString() const {
  return absl::StrFormat("%s<%g", by == By::kParams ? "params" : "flops", threshold);
}

absl::StatusOr<HeldOutSplit> ParseHeldOutSplit(const std::string& text) {
  const size_t lt = text.find('<');
  HeldOutSplit split;
  const std::string what = lt == std::string::npos ? "" : text.substr(0, lt);
  if (what == "params") {
    split.by = HeldOutSplit::By::kParams;
  } else if (what == "flops") {
    split.by = HeldOutSplit::By::kFlops;
  } else {
    return absl::InvalidArgumentError(
        absl::StrCat("'", text, "': expected params<NUMBER or flops<NUMBER"));
  }
  const std::string number = text.substr(lt + 1);
  char* end = nullptr;
  errno = 0;
  split.threshold = std::strtod(number.c_str(), &end);
  if (number.empty() || end != number.c_str() + number.size() || errno == ERANGE ||
      !std::isfinite(split.threshold) || !(split.threshold > 0)) {
    return absl::InvalidArgumentError(
        absl::StrCat("'", text, "': threshold must be a positive number"));
  }
  return split;
}

absl::StatusOr<HeldOutSummary> FitHeldOut(const std::vector<RunPoint>& runs,
                                          const FitOptions& options, const HeldOutSplit& split) {
  std::vector<RunPoint> train, test;
  for (const RunPoint& run : runs) {
    const double value =
        split.by == HeldOutSplit::By::kParams ? run.params : 6 * run.params * run.tokens;
    (value < split.threshold ? train : test).push_back(run);
  }
  if (train.empty() || test.empty()) {
    return absl::InvalidArgumentError(absl::StrCat("held-out split ", split.ToString(), " leaves ",
                                                   train.size(), " training and ", test.size(),
                                                   " held-out runs; both must be non-empty"));
  }
  absl::StatusOr<FitSummary> fit = Fit(train, options);
  if (!fit.ok()) return fit.status();
  HeldOutSummary h;
  h.split = split;
  h.fit = std::move(*fit);
  h.train = Evaluate(h.fit.law, train, options.huber_delta);
  h.test = Evaluate(h.fit.law, test, options.huber_delta);
  for (size_t i = 0; i < test.size(); ++i) {
    h.test_keys.push_back(test[i].key);
    const double rel = std::abs(h.test.predicted_loss[i] - test[i].val_loss) / test[i].val_loss;
    h.test_mean_abs_rel_error += rel / test.size();
    h.test_max_abs_rel_error = std::max(h.test_max_abs_rel_error, rel);
  }
  return h;
}

std::string HeldOutSummary::Report() const {
  std::string out = absl::StrFormat(
      "held-out (%s): fit on %d runs (R^2 %.4f, RMSE(log) %.4g%s); predict %d held-out runs: "
      "R^2 %.4f, RMSE(log) %.4g, mean |rel. error| %.3f%%, max %.3f%%\n",
      split.ToString(), train.n_runs, train.r2, train.rmse_log,
      fit.converged ? "" : ", NOT CONVERGED", test.n_runs, test.r2, test.rmse_log,
      100 * test_mean_abs_rel_error, 100 * test_max_abs_rel_error);
  for (size_t i = 0; i < test_keys.size(); ++i) {
    absl::StrAppend(&out, absl::StrFormat("  %-24s predicted %.6f log residual %+.6f\n",
                                          test_keys[i], test.predicted_loss[i],
                                          test.residual_log[i]));
  }
  return out;
}

}  // namespace datawall::laws
