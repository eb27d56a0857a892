// Internal to the fitter (fit.cc): the objective BFGS minimises, as a function of the search
// vector y (free coefficients through their bound transforms), with its gradient: the paper's
// Huber sum, or the profiled Huber likelihood (--objective=huber_mle). Two
// implementations of the same function: a generic one (ceres::Jet automatic differentiation of
// forms.h's LogLoss, every form) and a hand-derived one for the data-constrained form (Eq. 14)
// that hoists coefficient-only terms out of the per-run loop, ~3x faster. tests/laws/
// fit_objective_test.cc checks that both give the same value and gradient. Not a public API.
#ifndef DATAWALL_LAWS_FIT_OBJECTIVE_H_
#define DATAWALL_LAWS_FIT_OBJECTIVE_H_

#include <algorithm>
#include <array>
#include <cmath>
#include <vector>

#include "ceres/ceres.h"
#include "laws/forms.h"

namespace datawall::laws::internal {

// Maps the search vector x (free coefficients only) onto the form's full coefficient vector.
struct Mapping {
  Form form;
  std::array<double, kMaxCoefficients> fixed{};  // values of frozen slots
  std::array<int, kMaxCoefficients> index{};     // slot -> position in x, or -1 when frozen
  int k = 0;                                     // size of x
};

inline bool Finite(double x) { return std::isfinite(x); }
template <typename T, int N>
bool Finite(const ceres::Jet<T, N>& j) {
  return std::isfinite(j.a) && j.v.allFinite();
}

// How BFGS searches a bounded coefficient: x = lo + (hi - lo) s(y) on a linear box, or
// x = exp(log lo + (log hi - log lo) s(y)) on a positive (log) box, s the logistic function.
struct Transform {
  enum Kind { kNone, kBox, kLogBox } kind = kNone;
  double lo = 0, hi = 0;  // the box (log lo, log hi for kLogBox)
};

template <typename T>
T FromSearch(const T& y, const Transform& t) {
  using std::exp;
  if (t.kind == Transform::kNone) return y;
  const T s = T(1.0) / (T(1.0) + exp(-y));
  const T v = T(t.lo) + T(t.hi - t.lo) * s;
  return t.kind == Transform::kLogBox ? exp(v) : v;
}

// Inverse of FromSearch; points on (or beyond) a bound map just inside it.
inline double ToSearch(double x, const Transform& t) {
  if (t.kind == Transform::kNone) return x;
  const double v = t.kind == Transform::kLogBox ? std::log(x) : x;
  const double s = std::clamp((v - t.lo) / (t.hi - t.lo), 1e-6, 1 - 1e-6);
  return std::log(s / (1 - s));
}

// One run with its log loss (the fit target).
struct PreparedRun {
  double n, d, u, log_loss;
};

// The Huber density of Besiroglu et al. 2024 (the Chinchilla replication's likelihood),
//   p(r) = exp(-Huber_delta(r / sigma)) / (sigma Z(delta)),
//   Z(delta) = sqrt(2 pi) (2 Phi(delta) - 1) + 2 exp(-delta^2 / 2) / delta,
// and its negative log likelihood over residuals r_i with the scale profiled out:
//   min_sigma  n log sigma + n log Z(delta) + sum_i Huber_delta(r_i / sigma).
// The minimiser is unique (the sum is convex in 1/sigma): sum_i phi(r_i / sigma) = n with
// phi(x) = x^2 (|x| <= delta), delta |x| (otherwise), found by safeguarded Newton. Because sigma
// is optimal, the gradient of the profiled value in the law's coefficients is the partial one
// at fixed sigma (envelope theorem), which is what the objectives below return.
double HuberLogNormalizer(double delta);  // log Z(delta)
// sigma* of residuals r (size n). 0 when every residual is 0 (the likelihood is unbounded).
double ProfiledHuberScale(const double* r, int n, double delta);
// The profiled negative log likelihood; -inf when every residual is 0.
double ProfiledHuberNll(const double* r, int n, double delta, double* sigma = nullptr);

// The objective of y over the runs' log residuals r_i = log L_hat_i - log L_i: the paper's
// sum_i Huber_delta(r_i) (App. A Eq. 16), or with `mle` the profiled Huber negative log
// likelihood above. `analytic` selects the hand-derived evaluator when the form has one
// (data_constrained); otherwise Jets.
ceres::FirstOrderFunction* MakeObjective(const Mapping* m, const std::vector<PreparedRun>* runs,
                                         const std::vector<Transform>* transforms, double delta,
                                         bool analytic, bool mle = false);

}  // namespace datawall::laws::internal

#endif  // DATAWALL_LAWS_FIT_OBJECTIVE_H_
