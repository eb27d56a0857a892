#include "sim/allocate.h"

#include <algorithm>
#include <cmath>
#include <limits>

#include "absl/status/status.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "laws/forms.h"
#include "paper/paper.h"

namespace datawall::sim {
namespace {

bool PositiveFinite(double v) { return std::isfinite(v) && v > 0; }

// Brent's minimisation of f on [lo, hi] (golden section + parabolic steps), to |dx| <= tol.
template <typename F>
double BrentMinimize(const F& f, double lo, double hi, double tol, int max_iterations,
                     int* iterations) {
  constexpr double kGolden = 0.3819660112501051;
  double x = lo + kGolden * (hi - lo), w = x, v = x;
  double fx = f(x), fw = fx, fv = fx;
  double d = 0, e = 0;
  int it = 0;
  for (; it < max_iterations; ++it) {
    const double m = 0.5 * (lo + hi);
    const double tol1 = tol + 1e-15 * std::abs(x), tol2 = 2 * tol1;
    if (std::abs(x - m) <= tol2 - 0.5 * (hi - lo)) break;
    bool golden = true;
    if (std::abs(e) > tol1) {
      double r = (x - w) * (fx - fv), q = (x - v) * (fx - fw), p = (x - v) * q - (x - w) * r;
      q = 2 * (q - r);
      if (q > 0) p = -p;
      q = std::abs(q);
      const double e_prev = e;
      e = d;
      if (std::abs(p) < std::abs(0.5 * q * e_prev) && p > q * (lo - x) && p < q * (hi - x)) {
        d = p / q;
        const double u = x + d;
        if (u - lo < tol2 || hi - u < tol2) d = x < m ? tol1 : -tol1;
        golden = false;
      }
    }
    if (golden) {
      e = (x < m ? hi : lo) - x;
      d = kGolden * e;
    }
    const double u = std::abs(d) >= tol1 ? x + d : x + (d > 0 ? tol1 : -tol1);
    const double fu = f(u);
    if (fu <= fx) {
      (u < x ? hi : lo) = x;
      v = w, fv = fw, w = x, fw = fx, x = u, fx = fu;
    } else {
      (u < x ? lo : hi) = u;
      if (fu <= fw || w == x) {
        v = w, fv = fw, w = u, fw = fu;
      } else if (fu <= fv || v == x || v == w) {
        v = u, fv = fu;
      }
    }
  }
  *iterations += it;
  return x;
}

void FillChinchilla(const laws::Law& law, double flops, Allocation* out) {
  const ParamsTokens c = ChinchillaAllocation(law, flops);
  out->chinchilla_params = c.params;
  out->chinchilla_tokens = c.tokens;
  out->chinchilla_epochs = c.tokens / out->unique_tokens;
  out->chinchilla_loss = law.Loss(c.params, c.tokens, out->unique_tokens);
}

}  // namespace

const char* MethodName(AllocationMethod method) {
  switch (method) {
    case AllocationMethod::kChinchillaClosedForm: return "chinchilla_closed_form";
    case AllocationMethod::kExactNewton: return "exact_newton";
    case AllocationMethod::kBound: return "bound";
    case AllocationMethod::kScan: return "scan_brent";
  }
  return "unknown";
}

bool AllocateOptions::IsValid(std::string* error) const {
  if (!PositiveFinite(min_params)) return *error = "min_params must be positive", false;
  if (!PositiveFinite(min_tokens)) return *error = "min_tokens must be positive", false;
  if (!PositiveFinite(log_params_tolerance)) {
    return *error = "log_params_tolerance must be positive", false;
  }
  if (max_iterations < 1) return *error = "max_iterations must be at least 1", false;
  if (scan_points < 3) return *error = "scan_points must be at least 3", false;
  if (!PositiveFinite(max_flops)) return *error = "max_flops must be positive", false;
  return true;
}

ParamsTokens ChinchillaAllocation(const laws::Law& law, double flops) {
  const auto& c = law.coefficients();
  const paper::ComputeOptimal o =
      paper::Eq3Optimum(c[laws::kA], c[laws::kB], c[laws::kAlpha], c[laws::kBeta], flops);
  return {o.params, o.tokens};
}

Allocator::Allocator(const laws::Law& law, const AllocateOptions& options)
    : law_(law),
      options_(options),
      log_min_params_(std::log(options.min_params)),
      log_min_tokens_(std::log(options.min_tokens)) {}

absl::StatusOr<Allocator> Allocator::Create(const laws::Law& law, const AllocateOptions& options) {
  std::string error;
  if (!options.IsValid(&error)) return absl::InvalidArgumentError(absl::StrCat("options: ", error));
  const auto& c = law.coefficients();
  for (int i = 0; i < law.NumCoefficients(); ++i) {
    if (!std::isfinite(c[i])) return absl::InvalidArgumentError("law: a coefficient is not finite");
  }
  if (!(c[laws::kAlpha] > 0) || !(c[laws::kBeta] > 0)) {
    return absl::InvalidArgumentError("law: alpha and beta must be positive to allocate compute");
  }
  Allocator a(law, options);
  if (law.form() == laws::Form::kDataConstrained) {
    if (!(c[laws::kExtra0] > 0) || !(c[laws::kExtra1] > 0)) {
      return absl::InvalidArgumentError("law: rd_star and rn_star must be positive");
    }
    a.constants_ = DataConstrainedConstants::FromLaw(law);
    a.data_constrained_ = true;
    a.tied_data_constrained_ = std::abs(c[laws::kAlpha] - c[laws::kBeta]) <=
                               1e-12 * std::max(c[laws::kAlpha], c[laws::kBeta]);
  }
  a.chinchilla_form_ =
      law.form() == laws::Form::kChinchilla || law.form() == laws::Form::kNoDecay;
  return a;
}

absl::StatusOr<Allocation> Allocator::Allocate(double flops, double unique_tokens) const {
  Allocation out;
  std::string error;
  if (!AllocateInto(flops, unique_tokens, &out, &error)) {
    return absl::InvalidArgumentError(error);
  }
  return out;
}

bool Allocator::AllocateInto(double flops, double unique_tokens, Allocation* out,
                             std::string* error) const {
  if (!PositiveFinite(flops)) {
    if (error) *error = absl::StrCat("flops: must be a positive finite number, got ", flops);
    return false;
  }
  if (!PositiveFinite(unique_tokens)) {
    if (error) {
      *error = absl::StrCat("unique_tokens: must be a positive finite number, got ", unique_tokens);
    }
    return false;
  }
  if (unique_tokens < options_.min_tokens) {
    if (error) {
      *error = absl::StrFormat("unique_tokens: %g is below the smallest run (%g tokens)",
                               unique_tokens, options_.min_tokens);
    }
    return false;
  }
  const double log_k = std::log(flops / 6.0);
  const double x_min = log_min_params_;
  const double x_max = log_k - log_min_tokens_;
  if (!(x_min <= x_max)) {
    if (error) {
      *error = absl::StrFormat(
          "flops: %g is too small for any model (needs at least 6 * %g params * %g tokens)", flops,
          options_.min_params, options_.min_tokens);
    }
    return false;
  }
  *out = Allocation();
  out->flops = flops;
  out->unique_tokens = unique_tokens;
  const double log_u = std::log(unique_tokens);
  if (chinchilla_form_) {
    // Repetition costs nothing under Eq. 2: the Chinchilla point (Eq. 3), or the nearer bound
    // (the loss is convex in ln N along the line).
    const auto& c = law_.coefficients();
    const double x_c =
        paper::Eq3LogOptimalParams(laws::LogG(c.data()), c[laws::kAlpha], c[laws::kBeta], log_k);
    FinishGeneric(std::clamp(x_c, x_min, x_max), log_k, unique_tokens, out);
    out->method = x_c < x_min || x_c > x_max ? AllocationMethod::kBound
                                             : AllocationMethod::kChinchillaClosedForm;
  } else if (!data_constrained_ || !SolveExact(log_k, log_u, x_min, x_max, out)) {
    SolveScan(log_k, unique_tokens, x_min, x_max, out);
  }
  out->epochs = out->tokens / unique_tokens;
  out->data_constrained = out->tokens > unique_tokens;
  if (out->chinchilla_params == 0) FillChinchilla(law_, flops, out);  // else filled on the fast path
  if (!std::isfinite(out->loss) || !std::isfinite(out->params) || !std::isfinite(out->tokens) ||
      !std::isfinite(out->epochs) || !std::isfinite(out->chinchilla_loss) ||
      !std::isfinite(out->chinchilla_epochs)) {
    if (error) *error = absl::StrFormat("flops: %g is out of the range this law can evaluate", flops);
    return false;
  }
  return true;
}

bool Allocator::SolveExact(double log_k, double log_u, double x_min, double x_max,
                           Allocation* out) const {
  const DataConstrainedConstants& c = constants_;
  const IsoFlopLine line(c, log_k, log_u);
  if (log_k - line.x_chinchilla <= log_u) {
    // The Chinchilla point needs at most U tokens: the data-constrained loss is never below the
    // Chinchilla loss (N' <= N, D' <= D) and equals it there, so it is the global optimum.
    const double x = line.x_chinchilla;
    if (x < x_min || x > x_max) {
      // The loss is unimodal along the line (docs/sim.md; alpha = beta), so the optimum is the
      // nearer bound.
      FinishGeneric(std::clamp(x, x_min, x_max), log_k, std::exp(log_u), out);
      out->method = AllocationMethod::kBound;
      return true;
    }
    const double t_n = std::exp(c.a - c.alpha * x);
    const double t_d = std::exp(c.b - c.beta * (log_k - x));
    out->params = std::exp(x);
    out->tokens = std::exp(log_k - x);
    out->loss = c.irreducible + t_n + t_d;
    out->d_loss_d_log_params = c.beta * t_d - c.alpha * t_n;
    out->d2_loss_d_log_params2 = c.alpha * c.alpha * t_n + c.beta * c.beta * t_d;
    out->d_loss_d_log_flops = -c.beta * t_d;
    out->method = AllocationMethod::kChinchillaClosedForm;
    out->chinchilla_params = out->params;
    out->chinchilla_tokens = out->tokens;
    out->chinchilla_epochs = out->tokens / std::exp(log_u);
    out->chinchilla_loss = out->loss;
    return true;
  }
  // The data budget binds. With alpha = beta the loss rises on the whole single-epoch part of
  // the line (x >= x_one_epoch), so the optimum is on [x_min, min(x_one_epoch, x_max)].
  const double lo = x_min;
  const double hi = std::min(line.x_one_epoch, x_max);
  if (lo >= line.x_one_epoch) {
    if (!tied_data_constrained_) return false;  // only the single-epoch side: not proven
    FinishGeneric(lo, log_k, std::exp(log_u), out);
    out->method = AllocationMethod::kBound;
    return true;
  }
  // Initial guess: equal excess R_N = R_D (the Chinchilla point) for mild repetition, drifting
  // to R_D / R_D* = R_N / R_N* once both are large (paper App. A.1).
  const double log_m = line.x_one_epoch - line.x_unique_params;
  const double w = 1.0 / (1.0 + std::exp(c.log_rd_times_rn - log_m));
  double x = std::clamp(line.x_unique_params + 0.5 * log_m - 0.5 * c.log_rd_over_rn * w, lo, hi);

  const double tol = options_.log_params_tolerance;
  double blo = lo, bhi = hi;
  bool lo_checked = false, hi_checked = false, at_bound = false;
  LinePoint p;
  int it = 0;
  for (;;) {
    if (++it > options_.max_iterations) return false;  // never seen; fall back to the scan
    p = line.RepeatedRegion(x);
    if (p.h == 0) break;
    if (p.h < 0) {
      blo = x;
    } else {
      bhi = x;
    }
    // Newton's step, unless h or h' overflowed (absurd budgets): then bisect.
    const bool newton = std::isfinite(p.h) && std::isfinite(p.dh_dx) && p.dh_dx > 0;
    const double step = newton ? -p.h / p.dh_dx : 0.0;
    if (newton && std::abs(step) < tol) break;
    double xn = newton ? x + step : std::nan("");
    if (!(xn > blo && xn < bhi)) {
      if (!(xn > blo) && blo == lo && !lo_checked) {
        lo_checked = true;
        const LinePoint q = line.RepeatedRegion(lo);
        if (q.h >= 0) {
          x = lo, p = q, at_bound = true;
          break;
        }
      } else if (!(xn < bhi) && bhi == hi && !hi_checked) {
        hi_checked = true;
        const LinePoint q = line.RepeatedRegion(hi);
        if (q.h <= 0) {
          x = hi, p = q, at_bound = true;
          break;
        }
      }
      xn = 0.5 * (blo + bhi);
      if (bhi - blo < tol) {
        x = xn, p = line.RepeatedRegion(x);
        break;
      }
    }
    x = xn;
  }
  out->params = std::exp(x);
  out->tokens = std::exp(log_k - x);
  out->loss = line.Loss(p);
  out->d_loss_d_log_params = line.Slope(p);
  out->d2_loss_d_log_params2 = line.Curvature(p);
  out->d_loss_d_log_flops = -c.beta * std::exp(p.log_data_term) * p.p_d;
  out->method = at_bound ? AllocationMethod::kBound : AllocationMethod::kExactNewton;
  out->iterations = it;
  // Chinchilla's point has D_opt(C) > U here, so it is in the repeated region too.
  const LinePoint chinchilla = line.RepeatedRegion(line.x_chinchilla);
  out->chinchilla_params = std::exp(line.x_chinchilla);
  out->chinchilla_tokens = std::exp(log_k - line.x_chinchilla);
  out->chinchilla_epochs = out->chinchilla_tokens / std::exp(log_u);
  out->chinchilla_loss = line.Loss(chinchilla);
  if (!tied_data_constrained_ && line.x_one_epoch < x_max) {
    // alpha != beta: the proof that the single-epoch side rises needs alpha = beta, so search
    // it too and keep the better point.
    Allocation single_epoch = *out;
    SolveScan(log_k, std::exp(log_u), std::max(line.x_one_epoch, x_min), x_max, &single_epoch);
    if (single_epoch.loss < out->loss) *out = single_epoch;
  }
  return true;
}

void Allocator::SolveScan(double log_k, double unique_tokens, double x_min, double x_max,
                          Allocation* out) const {
  auto f = [&](double x) {
    return law_.LogLoss(std::exp(x), std::exp(log_k - x), unique_tokens);
  };
  const int n = options_.scan_points;
  int best = 0;
  double best_f = std::numeric_limits<double>::infinity();
  for (int i = 0; i < n; ++i) {
    const double x = x_min + (x_max - x_min) * i / (n - 1);
    const double fx = f(x);
    if (fx < best_f) best_f = fx, best = i;
  }
  const double step = (x_max - x_min) / (n - 1);
  const double lo = std::max(x_min, x_min + (best - 1) * step);
  const double hi = std::min(x_max, x_min + (best + 1) * step);
  int iterations = n;
  double x = hi > lo ? BrentMinimize(f, lo, hi, options_.log_params_tolerance,
                                     options_.max_iterations, &iterations)
                     : lo;
  // Brent never evaluates the bracket's ends; a bound optimum is one of them.
  for (double end : {lo, hi}) {
    if (f(end) < f(x)) x = end;
  }
  FinishGeneric(x, log_k, unique_tokens, out);
  out->method = AllocationMethod::kScan;
  out->iterations = iterations;
}

void Allocator::FinishGeneric(double x, double log_k, double unique_tokens,
                              Allocation* out) const {
  auto slope = [&](double x, laws::LossGradient* g, double* loss) {
    const double n = std::exp(x), d = std::exp(log_k - x);
    *loss = law_.LossWithGradient(n, d, unique_tokens, g);
    return n * g->d_params - d * g->d_tokens;
  };
  laws::LossGradient g, g_plus, g_minus;
  double loss, unused;
  out->d_loss_d_log_params = slope(x, &g, &loss);
  constexpr double kStep = 1e-4;
  out->d2_loss_d_log_params2 =
      (slope(x + kStep, &g_plus, &unused) - slope(x - kStep, &g_minus, &unused)) / (2 * kStep);
  out->params = std::exp(x);
  out->tokens = std::exp(log_k - x);
  out->loss = loss;
  out->d_loss_d_log_flops = out->tokens * g.d_tokens;
}

absl::StatusOr<Allocation> Allocate(const laws::Law& law, double flops, double unique_tokens,
                                    const AllocateOptions& options) {
  absl::StatusOr<Allocator> allocator = Allocator::Create(law, options);
  if (!allocator.ok()) return allocator.status();
  return allocator->Allocate(flops, unique_tokens);
}

double LossFloor(const laws::Law& law, double unique_tokens) {
  const auto& c = law.coefficients();
  const double log_u = std::log(unique_tokens);
  const double log_un = laws::LogOptimalParamsForData(c.data(), log_u);
  switch (law.form()) {
    case laws::Form::kDataConstrained:
      return law.E() + std::exp(c[laws::kA] - c[laws::kAlpha] * (log_un + std::log1p(c[laws::kExtra1]))) +
             std::exp(c[laws::kB] - c[laws::kBeta] * (log_u + std::log1p(c[laws::kExtra0])));
    case laws::Form::kDecayDataOnly:
      return law.E() + std::exp(c[laws::kB] - c[laws::kBeta] * (log_u + std::log1p(c[laws::kExtra0])));
    default:
      return law.E();  // a lower bound for every form: the other terms are positive
  }
}

absl::StatusOr<Allocation> MinimumFlopsForLoss(const laws::Law& law, double target_loss,
                                               double unique_tokens,
                                               const AllocateOptions& options) {
  if (!PositiveFinite(target_loss)) {
    return absl::InvalidArgumentError(
        absl::StrCat("target_loss: must be a positive finite number, got ", target_loss));
  }
  if (!PositiveFinite(unique_tokens)) {
    return absl::InvalidArgumentError(
        absl::StrCat("unique_tokens: must be a positive finite number, got ", unique_tokens));
  }
  absl::StatusOr<Allocator> allocator = Allocator::Create(law, options);
  if (!allocator.ok()) return allocator.status();
  if (unique_tokens < options.min_tokens) {
    return absl::InvalidArgumentError(absl::StrFormat(
        "unique_tokens: %g is below the smallest run (%g tokens)", unique_tokens, options.min_tokens));
  }
  const double floor = LossFloor(law, unique_tokens);
  if (target_loss <= floor) {
    return absl::InvalidArgumentError(absl::StrFormat(
        "target_loss: %.6g is unreachable with %g unique tokens (no compute gets below %.6g)",
        target_loss, unique_tokens, floor));
  }
  Allocation a;
  std::string error;
  auto at = [&](double log_c) {
    return allocator->AllocateInto(std::exp(log_c), unique_tokens, &a, &error);
  };
  double y_lo = std::log(6.0 * options.min_params * options.min_tokens) * (1 + 1e-15) + 1e-12;
  if (!at(y_lo)) return absl::InvalidArgumentError(error);
  if (a.loss <= target_loss) return a;
  const double y_max = std::log(options.max_flops);
  double y_hi = y_lo;
  Allocation a_hi;
  for (;;) {
    y_hi = std::min(y_hi + std::log(10.0), y_max);
    if (!at(y_hi)) return absl::InvalidArgumentError(error);
    if (a.loss <= target_loss) break;
    if (y_hi >= y_max) {
      return absl::InvalidArgumentError(absl::StrFormat(
          "target_loss: %.6g needs more than %g FLOPs with %g unique tokens (best there: %.6g)",
          target_loss, options.max_flops, unique_tokens, a.loss));
    }
    y_lo = y_hi;
  }
  // Safeguarded Newton on g(y) = L*(e^y) - target with g'(y) = d_loss_d_log_flops.
  double y = y_hi;
  for (int it = 0; it < options.max_iterations; ++it) {
    const double g = a.loss - target_loss;
    if (g == 0) return a;
    (g > 0 ? y_lo : y_hi) = y;
    const double step = -g / a.d_loss_d_log_flops;
    double yn = y + step;
    if (!(yn > y_lo && yn < y_hi)) yn = 0.5 * (y_lo + y_hi);
    if (std::abs(yn - y) < 1e-13 * std::max(1.0, std::abs(y))) {
      if (!at(yn)) return absl::InvalidArgumentError(error);
      return a;  // the budget is accurate to ~1e-13 relative; its loss equals the target
    }
    y = yn;
    if (!at(y)) return absl::InvalidArgumentError(error);
  }
  return absl::InternalError("target_loss: the inverse search did not converge");
}

}  // namespace datawall::sim
