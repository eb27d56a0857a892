// Greedy ensemble-Kalman experiment design (see design.h). Not here: fitting, I/O.
#include "sim/design.h"

#include <algorithm>
#include <cerrno>
#include <cmath>
#include <cstdlib>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/strings/str_split.h"
#include "laws/bootstrap.h"
#include "sim/allocate.h"

namespace datawall::sim {
namespace {

bool ParsePositive(absl::string_view text, double* value) {
  const std::string s(text);
  errno = 0;
  char* end = nullptr;
  *value = std::strtod(s.c_str(), &end);
  return !s.empty() && end == s.c_str() + s.size() && errno != ERANGE && std::isfinite(*value) &&
         *value > 0;
}

double Mean(const std::vector<double>& x) {
  double sum = 0;
  for (double v : x) sum += v;
  return sum / x.size();
}

// Sample covariance of two centred columns.
double Covariance(const std::vector<double>& x, const std::vector<double>& y) {
  double sum = 0;
  for (size_t s = 0; s < x.size(); ++s) sum += x[s] * y[s];
  return sum / (x.size() - 1);
}

}  // namespace

std::string DesignTarget::Name() const {
  switch (kind) {
    case Kind::kOptimalParams:
      return absl::StrFormat("n_opt@%g,%g", flops, unique_tokens);
    case Kind::kRdStar:
      return "r_d_star";
    case Kind::kRnStar:
      return "r_n_star";
  }
  return "";
}

absl::StatusOr<DesignTarget> ParseDesignTarget(std::string_view text_in) {
  const absl::string_view text(text_in.data(), text_in.size());
  DesignTarget target;
  if (text == "r_d_star") {
    target.kind = DesignTarget::Kind::kRdStar;
    return target;
  }
  if (text == "r_n_star") {
    target.kind = DesignTarget::Kind::kRnStar;
    return target;
  }
  constexpr absl::string_view kPrefix = "n_opt@";
  if (text.substr(0, kPrefix.size()) == kPrefix) {
    const std::vector<absl::string_view> parts = absl::StrSplit(text.substr(kPrefix.size()), ',');
    if (parts.size() == 2 && ParsePositive(parts[0], &target.flops) &&
        ParsePositive(parts[1], &target.unique_tokens)) {
      target.kind = DesignTarget::Kind::kOptimalParams;
      return target;
    }
    return absl::InvalidArgumentError(absl::StrCat(
        "target: '", text, "': n_opt@C,U needs two positive numbers (FLOPs, unique tokens)"));
  }
  return absl::InvalidArgumentError(
      absl::StrCat("target: '", text, "' is not n_opt@C,U, r_d_star or r_n_star"));
}

absl::StatusOr<double> LogTargetValue(const laws::Law& law, const DesignTarget& target) {
  switch (target.kind) {
    case DesignTarget::Kind::kOptimalParams: {
      absl::StatusOr<Allocation> a = Allocate(law, target.flops, target.unique_tokens);
      if (!a.ok()) return absl::InvalidArgumentError(absl::StrCat("target: ", a.status().message()));
      return std::log(a->params);
    }
    case DesignTarget::Kind::kRdStar:
    case DesignTarget::Kind::kRnStar: {
      const char* name = target.kind == DesignTarget::Kind::kRdStar ? "rd_star" : "rn_star";
      const double value = law.coefficient(name);
      if (std::isnan(value)) {
        return absl::InvalidArgumentError(absl::StrCat(
            "target: form ", std::string(laws::Info(law.form()).name), " has no ", name));
      }
      if (!(value > 0)) {
        return absl::InvalidArgumentError(absl::StrCat("target: ", name, " = ", value, " is not positive"));
      }
      return std::log(value);
    }
  }
  return absl::InternalError("target: unknown kind");
}

Candidate MakeCandidate(double params, double tokens, double unique_tokens) {
  return Candidate{params, tokens, unique_tokens, 6 * params * tokens};
}

bool DesignOptions::IsValid(std::string* error) const {
  if (k < 1) {
    *error = "k: must be at least 1";
  } else if (!(budget_flops > 0)) {
    *error = "budget_flops: must be positive";
  } else if (!(noise_sigma >= 0) || !std::isfinite(noise_sigma)) {
    *error = "noise_sigma: must be a finite number >= 0";
  } else if (!(confidence > 0 && confidence < 1)) {
    *error = "confidence: must be in (0, 1)";
  } else {
    return true;
  }
  return false;
}

double PercentileWidth(const std::vector<double>& values, double confidence) {
  std::vector<double> finite;
  for (double v : values) {
    if (std::isfinite(v)) finite.push_back(v);
  }
  if (finite.empty()) return std::nan("");
  const double tail = (1 - confidence) / 2;
  return laws::Percentile(finite, 1 - tail) - laws::Percentile(finite, tail);
}

absl::StatusOr<DesignResult> DesignNextRuns(const std::vector<laws::Law>& samples,
                                            const std::vector<Candidate>& candidates,
                                            const DesignTarget& target,
                                            const DesignOptions& options) {
  std::string error;
  if (!options.IsValid(&error)) return absl::InvalidArgumentError(error);
  if (candidates.empty()) return absl::InvalidArgumentError("candidates: none given");
  for (size_t c = 0; c < candidates.size(); ++c) {
    const Candidate& x = candidates[c];
    if (!(x.params > 0 && x.tokens > 0 && x.unique_tokens > 0 && x.flops > 0) ||
        !std::isfinite(x.params * x.tokens * x.unique_tokens * x.flops)) {
      return absl::InvalidArgumentError(absl::StrCat(
          "candidates: candidate ", c, " needs positive finite params, tokens, unique_tokens and flops"));
    }
  }
  const int num_candidates = static_cast<int>(candidates.size());

  // Columns: 0 the target, 1 + c candidate c's log loss; one row per usable sample.
  std::vector<std::vector<double>> columns(num_candidates + 1);
  DesignResult result;
  result.num_samples = static_cast<int>(samples.size());
  // A form without the coefficient is the caller's mistake, not a bad sample.
  if (target.kind != DesignTarget::Kind::kOptimalParams && !samples.empty()) {
    const char* name = target.kind == DesignTarget::Kind::kRdStar ? "rd_star" : "rn_star";
    if (std::isnan(samples[0].coefficient(name))) {
      return absl::InvalidArgumentError(absl::StrCat(
          "target: form ", std::string(laws::Info(samples[0].form()).name), " has no ", name));
    }
  }
  absl::Status first_target_error;
  for (const laws::Law& law : samples) {
    absl::StatusOr<double> tau = LogTargetValue(law, target);
    if (!tau.ok()) {
      if (first_target_error.ok()) first_target_error = tau.status();
      continue;
    }
    std::vector<double> row(num_candidates);
    bool finite = std::isfinite(*tau);
    for (int c = 0; c < num_candidates && finite; ++c) {
      row[c] = law.LogLoss(candidates[c].params, candidates[c].tokens, candidates[c].unique_tokens);
      finite = std::isfinite(row[c]);
    }
    if (!finite) continue;
    columns[0].push_back(*tau);
    for (int c = 0; c < num_candidates; ++c) columns[c + 1].push_back(row[c]);
  }
  result.num_used = static_cast<int>(columns[0].size());
  if (result.num_used < 3) {
    return absl::InvalidArgumentError(absl::StrCat(
        "samples: ", result.num_used, " of ", samples.size(),
        " bootstrap samples have a finite target and predictions (need 3)",
        first_target_error.ok() ? "" : absl::StrCat("; first failure: ", first_target_error.message())));
  }

  // Centre every column; the updates act on anomalies only (the unseen observation's expected
  // innovation is zero, so the means stay).
  const double target_mean = Mean(columns[0]);
  for (std::vector<double>& column : columns) {
    const double mean = Mean(column);
    for (double& v : column) v -= mean;
  }
  const double tail = (1 - options.confidence) / 2;
  auto interval = [&](double* lower, double* upper) {
    std::vector<double> tau = columns[0];
    for (double& v : tau) v += target_mean;
    *lower = laws::Percentile(tau, tail);
    *upper = laws::Percentile(tau, 1 - tail);
  };
  {
    std::vector<double> tau = columns[0];
    for (double& v : tau) v += target_mean;
    result.estimate = laws::Percentile(tau, 0.5);
  }
  result.variance_before = Covariance(columns[0], columns[0]);
  interval(&result.lower_before, &result.upper_before);
  result.width_before = result.upper_before - result.lower_before;

  const double noise_variance = options.noise_sigma * options.noise_sigma;
  // Var(tau) reduction from measuring candidate c, against the current ensemble.
  auto reduction = [&](int c) {
    const std::vector<double>& y = columns[c + 1];
    const double denominator = Covariance(y, y) + noise_variance;
    if (!(denominator > 0)) return 0.0;  // a prediction no sample disagrees on, measured exactly
    const double cov = Covariance(columns[0], y);
    return cov * cov / denominator;
  };
  result.initial_scores.resize(num_candidates);
  for (int c = 0; c < num_candidates; ++c) {
    result.initial_scores[c] = reduction(c) / candidates[c].flops;
  }

  std::vector<bool> chosen(num_candidates, false);
  double spent = 0;
  while (static_cast<int>(result.steps.size()) < options.k) {
    int best = -1;
    double best_score = -1, best_reduction = 0;
    bool any_left = false;
    for (int c = 0; c < num_candidates; ++c) {
      if (chosen[c]) continue;
      any_left = true;
      if (spent + candidates[c].flops > options.budget_flops) continue;
      const double r = reduction(c);
      const double score = r / candidates[c].flops;
      // Ties (e.g. an ensemble with no spread, where every score is 0): the cheaper, then the
      // lower index (deterministic).
      if (score > best_score ||
          (score == best_score && candidates[c].flops < candidates[best].flops)) {
        best = c;
        best_score = score;
        best_reduction = r;
      }
    }
    if (best < 0) {
      result.stopped_by = any_left ? "budget" : "candidates";
      break;
    }
    chosen[best] = true;
    spent += candidates[best].flops;

    // Serial ensemble square-root update with observation y_best (variance v, noise r):
    // anomaly_j -= alpha * Cov(j, y) / (v + r) * y, alpha = 1 / (1 + sqrt(r / (v + r))).
    // Every column's covariance with every other becomes the Kalman posterior one.
    const std::vector<double> y = columns[best + 1];
    const double v = Covariance(y, y);
    const double denominator = v + noise_variance;
    if (denominator > 0) {
      const double alpha = 1 / (1 + std::sqrt(noise_variance / denominator));
      for (std::vector<double>& column : columns) {
        const double gain = alpha * Covariance(column, y) / denominator;
        if (gain == 0) continue;
        for (size_t s = 0; s < column.size(); ++s) column[s] -= gain * y[s];
      }
    }

    DesignStep step;
    step.candidate = best;
    step.flops = candidates[best].flops;
    step.cumulative_flops = spent;
    step.score = best_score;
    step.variance_reduction = best_reduction;
    step.variance_after = Covariance(columns[0], columns[0]);
    double lower, upper;
    interval(&lower, &upper);
    step.width_after = upper - lower;
    result.steps.push_back(step);
  }
  return result;
}

}  // namespace datawall::sim
