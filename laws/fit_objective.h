// Internal to the fitter (fit.cc): the objective BFGS minimises, as a function of the search
// vector y (free coefficients through their bound transforms), with its gradient. Two
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

// The objective sum_i Huber_delta(log L_hat_i - log L_i) of y. `analytic` selects the
// hand-derived evaluator when the form has one (data_constrained); otherwise Jets.
ceres::FirstOrderFunction* MakeObjective(const Mapping* m, const std::vector<PreparedRun>* runs,
                                         const std::vector<Transform>* transforms, double delta,
                                         bool analytic);

}  // namespace datawall::laws::internal

#endif  // DATAWALL_LAWS_FIT_OBJECTIVE_H_
