#include "sim/predict.h"

#include <algorithm>
#include <cmath>

#include "absl/strings/str_cat.h"
#include "laws/forms.h"

namespace datawall::sim {
namespace {

bool PositiveFinite(double v) { return std::isfinite(v) && v > 0; }

}  // namespace

Decomposition Decompose(const laws::Law& law, double n, double d, double u) {
  const auto& c = law.coefficients();
  Decomposition out;
  const double u_d = std::min(u, d);
  const double log_u = std::log(u_d), log_n = std::log(n), log_d = std::log(d);
  out.unique_tokens_used = u_d;
  out.r_d = std::max(d / u_d - 1.0, 0.0);
  const double log_n_opt = laws::LogOptimalParamsForData(c.data(), log_u);
  const double log_u_n = std::min(log_n, log_n_opt);
  out.unique_params = std::exp(log_u_n);
  out.r_n = log_n > log_n_opt ? std::expm1(log_n - log_n_opt) : 0.0;
  double log_n_eff = log_n, log_d_eff = log_d;
  double alpha = c[laws::kAlpha], beta = c[laws::kBeta];
  switch (law.form()) {
    case laws::Form::kChinchilla:
    case laws::Form::kNoDecay:
      break;
    case laws::Form::kDataConstrained:
    case laws::Form::kBounded:  // its terms are those of h, before the bound
      log_n_eff = laws::LogExpDecay(log_u_n, out.r_n, c[laws::kExtra1]);
      log_d_eff = laws::LogExpDecay(log_u, out.r_d, c[laws::kExtra0]);
      break;
    case laws::Form::kDecayDataOnly:
      log_d_eff = laws::LogExpDecay(log_u, out.r_d, c[laws::kExtra0]);
      break;
    case laws::Form::kDecayParamsOnly:
      log_n_eff = laws::LogExpDecay(log_u_n, out.r_n, c[laws::kExtra0]);
      break;
    case laws::Form::kGeometric:
      log_n_eff = laws::LogGeometric(log_u_n, out.r_n, c[laws::kExtra1]);
      log_d_eff = laws::LogGeometric(log_u, out.r_d, c[laws::kExtra0]);
      break;
    case laws::Form::kExplicitExponential:
      log_n_eff = laws::LogExplicitExponential(log_u_n, out.r_n, c[laws::kExtra1]);
      log_d_eff = laws::LogExplicitExponential(log_u, out.r_d, c[laws::kExtra0]);
      break;
    case laws::Form::kAlphaBetaDecay:
      alpha *= std::max(0.0, 1.0 - out.r_n / c[laws::kExtra1]);
      beta *= std::max(0.0, 1.0 - out.r_d / c[laws::kExtra0]);
      break;
    case laws::Form::kOverfittingPenalty:
      if (out.r_d > 0) {
        out.penalty_term = std::exp(c[laws::kExtra0] + c[laws::kExtra1] * std::log(out.r_d) +
                                    c[laws::kExtra2] * (log_n - log_u));
      }
      break;
  }
  out.effective_params = std::exp(log_n_eff);
  out.effective_tokens = std::exp(log_d_eff);
  out.params_term = std::exp(c[laws::kA] - alpha * log_n_eff);
  out.data_term = std::exp(c[laws::kB] - beta * log_d_eff);
  out.irreducible_loss = std::exp(c[laws::kE]);
  return out;
}

double Quantile(std::vector<double> v, double q) {
  if (v.empty()) return std::nan("");
  std::sort(v.begin(), v.end());
  const double pos = q * (v.size() - 1);
  const size_t i = static_cast<size_t>(std::floor(pos));
  if (i + 1 >= v.size()) return v.back();
  return v[i] + (pos - i) * (v[i + 1] - v[i]);
}

absl::StatusOr<Prediction> Predict(const laws::Law& law, double params, double tokens,
                                   double unique_tokens,
                                   const std::vector<laws::Law>& bootstrap_samples,
                                   const PredictOptions& options) {
  if (!PositiveFinite(params)) {
    return absl::InvalidArgumentError(
        absl::StrCat("parameters: must be a positive finite number, got ", params));
  }
  if (!PositiveFinite(tokens)) {
    return absl::InvalidArgumentError(
        absl::StrCat("tokens: must be a positive finite number, got ", tokens));
  }
  if (!PositiveFinite(unique_tokens)) {
    return absl::InvalidArgumentError(
        absl::StrCat("unique_tokens: must be a positive finite number, got ", unique_tokens));
  }
  if (unique_tokens > tokens) {
    return absl::InvalidArgumentError(absl::StrCat("unique_tokens: ", unique_tokens,
                                                   " exceeds tokens (", tokens,
                                                   "): a run cannot see more unique tokens than tokens"));
  }
  if (!(options.confidence > 0 && options.confidence < 1)) {
    return absl::InvalidArgumentError("confidence: must be in (0, 1)");
  }
  Prediction p;
  p.params = params;
  p.tokens = tokens;
  p.unique_tokens = unique_tokens;
  p.epochs = tokens / unique_tokens;
  p.flops = 6.0 * params * tokens;
  p.loss = law.Loss(params, tokens, unique_tokens);
  if (!std::isfinite(p.loss) || !std::isfinite(p.flops)) {
    return absl::InvalidArgumentError(
        "parameters: the law gives no finite loss for this run (inputs out of range)");
  }
  p.data_constrained = tokens > unique_tokens;
  p.decomposition = Decompose(law, params, tokens, unique_tokens);
  if (!bootstrap_samples.empty()) {
    std::vector<double> losses;
    losses.reserve(bootstrap_samples.size());
    for (const laws::Law& s : bootstrap_samples) {
      const double l = s.Loss(params, tokens, unique_tokens);
      if (std::isfinite(l)) losses.push_back(l);
    }
    p.bootstrap_samples = static_cast<int>(losses.size());
    p.confidence = options.confidence;
    p.loss_low = Quantile(losses, 0.5 * (1 - options.confidence));
    p.loss_high = Quantile(losses, 0.5 * (1 + options.confidence));
  }
  return p;
}

}  // namespace datawall::sim
