#include "sim/returns.h"

#include <algorithm>
#include <cmath>

#include "absl/strings/str_cat.h"
#include "laws/forms.h"
#include "paper/paper.h"
#include "sim/allocate.h"
#include "sim/predict.h"

namespace datawall::sim {
namespace {

bool PositiveFinite(double v) { return std::isfinite(v) && v > 0; }

// Worth of the marginal total token relative to a fresh one: dD'/dD at fixed U.
double MarginalTokenWorth(const laws::Law& law, double n, double d, double u) {
  if (law.form() == laws::Form::kDataConstrained || law.form() == laws::Form::kDecayDataOnly) {
    const double r_d = std::max(d / u - 1.0, 0.0);
    return std::exp(-r_d / law.coefficients()[laws::kExtra0]);  // Eq. 5 differentiated
  }
  constexpr double kStep = 1e-6;  // one-sided: the kink at one epoch is on the left
  const double base = Decompose(law, n, d, u).effective_tokens;
  return (Decompose(law, n, d * (1 + kStep), u).effective_tokens - base) / (kStep * d);
}

}  // namespace

absl::StatusOr<std::vector<ReturnsRow>> ReturnsCurve(const laws::Law& law, double unique_tokens,
                                                     std::optional<double> fixed_params,
                                                     const ReturnsOptions& options) {
  if (!PositiveFinite(unique_tokens)) {
    return absl::InvalidArgumentError(
        absl::StrCat("unique_tokens: must be a positive finite number, got ", unique_tokens));
  }
  if (fixed_params && !PositiveFinite(*fixed_params)) {
    return absl::InvalidArgumentError(
        absl::StrCat("parameters: must be a positive finite number, got ", *fixed_params));
  }
  if (!(options.max_epochs >= 1) || !std::isfinite(options.max_epochs)) {
    return absl::InvalidArgumentError("max_epochs: must be a finite number >= 1");
  }
  if (options.points_per_decade < 1 || options.points_per_decade > 1000) {
    return absl::InvalidArgumentError("points_per_decade: must be in [1, 1000]");
  }
  const double u = unique_tokens;
  const double step = std::pow(10.0, 1.0 / options.points_per_decade);
  std::vector<ReturnsRow> rows;
  if (fixed_params) {
    const double n = *fixed_params;
    const int count =
        static_cast<int>(std::ceil(std::log10(options.max_epochs) * options.points_per_decade - 1e-9)) + 1;
    for (int i = 0; i < count; ++i) {
      ReturnsRow r;
      r.epochs = std::pow(step, i);
      r.tokens = r.epochs * u;
      r.params = n;
      r.flops = 6.0 * n * r.tokens;
      laws::LossGradient g, g_fresh;
      r.loss = law.LossWithGradient(n, r.tokens, u, &g);
      r.loss_fresh_data = law.LossWithGradient(n, r.tokens, r.tokens, &g_fresh);
      r.d_loss_d_log_flops = r.tokens * g.d_tokens;
      r.d_loss_d_log_flops_fresh_data = r.tokens * (g_fresh.d_tokens + g_fresh.d_unique_tokens);
      r.effective_tokens = Decompose(law, n, r.tokens, u).effective_tokens;
      r.marginal_token_worth = MarginalTokenWorth(law, n, r.tokens, u);
      if (!std::isfinite(r.loss) || !std::isfinite(r.flops)) {
        return absl::InvalidArgumentError("parameters: the law gives no finite loss on this curve");
      }
      rows.push_back(r);
    }
    return rows;
  }
  absl::StatusOr<Allocator> allocator = Allocator::Create(law);
  if (!allocator.ok()) return allocator.status();
  // The budget whose Chinchilla point needs exactly U tokens: D_opt(C) = U (Eq. 3).
  const auto& c = law.coefficients();
  double flops = paper::Eq3FlopsForOptimalTokens(c[laws::kA], c[laws::kB], c[laws::kAlpha],
                                                 c[laws::kBeta], u);
  // For tiny U that budget may not fit one parameter and one token: start at the smallest one.
  const AllocateOptions& ao = allocator->options();
  flops = std::max(flops, 6.0 * ao.min_params * ao.min_tokens);
  if (!PositiveFinite(flops) || flops > options.max_flops) {
    return absl::InvalidArgumentError("unique_tokens: out of range for the optimal path");
  }
  for (int i = 0; i < 100000; ++i, flops *= step) {
    if (flops > options.max_flops) break;
    Allocation a, fresh;
    std::string error;
    if (!allocator->AllocateInto(flops, u, &a, &error) ||
        !allocator->AllocateInto(flops, 1e300, &fresh, &error)) {
      return absl::InvalidArgumentError(error);
    }
    ReturnsRow r;
    r.epochs = a.epochs;
    r.tokens = a.tokens;
    r.params = a.params;
    r.flops = flops;
    r.loss = a.loss;
    r.loss_fresh_data = fresh.loss;
    r.d_loss_d_log_flops = a.d_loss_d_log_flops;
    r.d_loss_d_log_flops_fresh_data = fresh.d_loss_d_log_flops;
    r.effective_tokens = Decompose(law, a.params, a.tokens, u).effective_tokens;
    r.marginal_token_worth = MarginalTokenWorth(law, a.params, a.tokens, u);
    rows.push_back(r);
    if (a.epochs >= options.max_epochs) break;
  }
  return rows;
}

absl::StatusOr<std::vector<RepetitionValueRow>> RepetitionValueTable(
    const laws::Law& law, const std::vector<double>& epochs) {
  if (law.form() != laws::Form::kDataConstrained) {
    return absl::InvalidArgumentError(
        absl::StrCat("law: the value-of-repetition table needs the data_constrained form, not ",
                     std::string(laws::Info(law.form()).name)));
  }
  const double rd = law.coefficients()[laws::kExtra0], rn = law.coefficients()[laws::kExtra1];
  std::vector<RepetitionValueRow> rows;
  for (double e : epochs) {
    if (!std::isfinite(e) || e < 1) {
      return absl::InvalidArgumentError(absl::StrCat("epochs: must be finite and >= 1, got ", e));
    }
    const double r = e - 1;
    RepetitionValueRow row;
    row.epochs = e;
    row.effective_data_ratio = 1 - rd * std::expm1(-r / rd);
    row.average_token_worth = row.effective_data_ratio / e;
    row.marginal_token_worth = std::exp(-r / rd);
    row.param_ratio = e;
    row.effective_params_ratio = 1 - rn * std::expm1(-r / rn);
    row.marginal_param_worth = std::exp(-r / rn);
    rows.push_back(row);
  }
  return rows;
}

absl::StatusOr<HalfLives> ComputeHalfLives(const laws::Law& law) {
  if (law.form() != laws::Form::kDataConstrained) {
    return absl::InvalidArgumentError(
        absl::StrCat("law: half-lives need the data_constrained form, not ",
                     std::string(laws::Info(law.form()).name)));
  }
  HalfLives h;
  h.rd_star = law.coefficients()[laws::kExtra0];
  h.rn_star = law.coefficients()[laws::kExtra1];
  h.token_half_life_repetitions = h.rd_star * std::log(2.0);
  h.token_half_life_epochs = 1 + h.token_half_life_repetitions;
  h.param_half_life_excess = h.rn_star * std::log(2.0);
  h.plateau_effective_data_ratio = 1 + h.rd_star;
  h.plateau_effective_params_ratio = 1 + h.rn_star;
  return h;
}

}  // namespace datawall::sim
