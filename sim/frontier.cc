#include "sim/frontier.h"

#include <algorithm>
#include <cmath>

#include "absl/strings/str_cat.h"
#include "laws/forms.h"
#include "sim/allocate.h"

namespace datawall::sim {
namespace {

bool PositiveFinite(double v) { return std::isfinite(v) && v > 0; }

// ln N in [lo, hi] with L(N, D, U) = level, by bisection (L falls with N at fixed D and U).
bool SolveParams(const laws::Law& law, double d, double u, double level, double lo, double hi,
                 double* params) {
  auto f = [&](double x) { return law.Loss(std::exp(x), d, u) - level; };
  double f_lo = f(lo), f_hi = f(hi);
  if (!(f_lo >= 0 && f_hi <= 0)) return false;
  for (int i = 0; i < 200 && hi - lo > 1e-13 * std::max(1.0, std::abs(lo)); ++i) {
    const double m = 0.5 * (lo + hi);
    (f(m) > 0 ? lo : hi) = m;
  }
  *params = std::exp(0.5 * (lo + hi));
  return true;
}

}  // namespace

absl::StatusOr<Frontier> ComputeFrontier(const laws::Law& law, double unique_tokens,
                                         const FrontierOptions& options) {
  if (!PositiveFinite(unique_tokens)) {
    return absl::InvalidArgumentError(
        absl::StrCat("unique_tokens: must be a positive finite number, got ", unique_tokens));
  }
  if (!PositiveFinite(options.min_epochs) || !PositiveFinite(options.max_epochs) ||
      !(options.min_epochs < options.max_epochs)) {
    return absl::InvalidArgumentError("max_epochs: need 0 < min_epochs < max_epochs, finite");
  }
  if (options.contour_points < 2 || options.path_points < 2 || options.contour_points > 100000 ||
      options.path_points > 100000) {
    return absl::InvalidArgumentError("points: must be in [2, 100000]");
  }
  for (double level : options.loss_levels) {
    if (!PositiveFinite(level)) {
      return absl::InvalidArgumentError(absl::StrCat("levels: must be positive finite, got ", level));
    }
  }
  absl::StatusOr<Allocator> allocator = Allocator::Create(law);
  if (!allocator.ok()) return allocator.status();
  const double u = unique_tokens;
  const double u_n =
      std::exp(laws::LogOptimalParamsForData(law.coefficients().data(), std::log(u)));
  Frontier out;
  out.min_params = options.min_params > 0 ? options.min_params : std::max(1.0, u_n / 2);
  out.max_params = options.max_params > 0 ? options.max_params : std::max(2.0, u_n * 300);
  if (!PositiveFinite(out.min_params) || !PositiveFinite(out.max_params) ||
      !(out.min_params < out.max_params)) {
    return absl::InvalidArgumentError("parameters: need 0 < min_params < max_params, finite");
  }
  // Allocation paths over the budgets spanned by the box.
  const double c_lo = 6 * out.min_params * options.min_epochs * u;
  const double c_hi = 6 * out.max_params * options.max_epochs * u;
  if (!PositiveFinite(c_lo) || !PositiveFinite(c_hi)) {
    return absl::InvalidArgumentError("unique_tokens: the box's FLOP range overflows");
  }
  double best_inside = HUGE_VAL;
  for (int i = 0; i < options.path_points; ++i) {
    const double flops = c_lo * std::pow(c_hi / c_lo, static_cast<double>(i) / (options.path_points - 1));
    Allocation a;
    std::string error;
    if (!allocator->AllocateInto(flops, u, &a, &error)) return absl::InvalidArgumentError(error);
    PathPoint p;
    p.flops = flops;
    p.params = a.params;
    p.tokens = a.tokens;
    p.epochs = a.epochs;
    p.loss = a.loss;
    p.params_over_unique_params = a.params / u_n;
    p.chinchilla_params = a.chinchilla_params;
    p.chinchilla_tokens = a.chinchilla_tokens;
    p.chinchilla_epochs = a.chinchilla_epochs;
    p.chinchilla_loss = a.chinchilla_loss;
    p.chinchilla_params_over_unique_params = a.chinchilla_params / u_n;
    out.path.push_back(p);
    if (a.params >= out.min_params && a.params <= out.max_params &&
        a.epochs >= options.min_epochs && a.epochs <= options.max_epochs) {
      best_inside = std::min(best_inside, a.loss);
    }
  }
  out.loss_levels = options.loss_levels;
  if (out.loss_levels.empty()) {
    const double worst = law.Loss(out.min_params, options.min_epochs * u, u);
    if (!std::isfinite(best_inside)) best_inside = law.Loss(out.max_params, options.max_epochs * u, u);
    constexpr int kLevels = 8;
    for (int i = 1; i <= kLevels; ++i) {
      out.loss_levels.push_back(worst + (best_inside - worst) * i / (kLevels + 1));
    }
  }
  const double x_lo = std::log(out.min_params), x_hi = std::log(out.max_params);
  for (double level : out.loss_levels) {
    for (int i = 0; i < options.contour_points; ++i) {
      const double e = options.min_epochs * std::pow(options.max_epochs / options.min_epochs,
                                                     static_cast<double>(i) / (options.contour_points - 1));
      ContourPoint c;
      c.loss_level = level;
      c.epochs = e;
      c.tokens = e * u;
      if (!SolveParams(law, c.tokens, u, level, x_lo, x_hi, &c.params)) continue;
      c.flops = 6 * c.params * c.tokens;
      out.contours.push_back(c);
    }
  }
  return out;
}

}  // namespace datawall::sim
