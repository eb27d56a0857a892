// The parametric law forms of the paper (and one newer form), as one templated evaluator.
//
// Every form maps a run (N parameters, D total tokens, U unique tokens) and a coefficient
// vector to log L. The evaluator is a template so that the same code serves plain doubles
// (prediction), ceres::Jet over coefficients (fitting) and ceres::Jet over (N, D, U)
// (derivatives of the loss). Definitions follow the paper's §3.1 and App. A (Eq. 5, 6, 10, 14,
// 18), App. F (Eq. 22) and Eq. 3; each was checked against the released runs (Table 1's R^2).
// Two newer forms: Lovelace et al.'s additive overfitting penalty and a bounded form after
// Bryant and Liu 2026, whose loss saturates at L0 for tiny models and data instead of growing
// without bound: L = E + (L0 - E) h / (1 + h), h = A/N'^alpha + B/D'^beta with Eq. 14's N', D'
// (our reading of it; l0 = log(L0 - E) keeps L0 above E).
//
// This header deliberately holds only the mathematics: no I/O, no protobuf, no validation
// (see law.h for the checked, user-facing type).
#ifndef DATAWALL_LAWS_FORMS_H_
#define DATAWALL_LAWS_FORMS_H_

#include <array>
#include <cmath>
#include <optional>
#include <string_view>
#include <vector>

#include "paper/paper.h"

namespace datawall::laws {

enum class Form {
  kChinchilla,           // Eq. 2: L = E + A/N^alpha + B/D^beta
  kDataConstrained,      // Eq. 14: L = E + A/N'^alpha + B/D'^beta, exponential decay of both
  kNoDecay,              // Table 1 "no decay": Eq. 14 with N' = N, D' = D (identical to Eq. 2)
  kDecayDataOnly,        // Table 1: N' = N, D' by Eq. 5
  kDecayParamsOnly,      // Table 1: N' by Eq. 6, D' = D
  kGeometric,            // Eq. 10 for both N' and D' (decay rates delta_d, delta_n)
  kExplicitExponential,  // Eq. 18 for both N' and D'
  kAlphaBetaDecay,       // Eq. 22: the exponents decay instead of the counts
  kOverfittingPenalty,   // Lovelace et al. 2026: Chinchilla on D plus P R_D^delta (N/U_D)^kappa
  kBounded,              // after Bryant and Liu 2026: L = E + (L0 - E) h / (1 + h), h of Eq. 14
};

inline constexpr int kMaxCoefficients = 8;

// Static description of a form: its name (as used on command lines and in law files) and the
// names of its coefficients in evaluation order. a, b, e are the logs of A, B, E.
struct FormInfo {
  Form form;
  std::string_view name;
  std::vector<std::string_view> coefficients;
  std::string_view equation;  // one line, for reports and --help
};

const std::vector<FormInfo>& AllForms();
const FormInfo& Info(Form form);
std::optional<Form> FormFromName(std::string_view name);

// Coefficient positions shared by every form.
enum CoefficientIndex { kA = 0, kB = 1, kE = 2, kAlpha = 3, kBeta = 4, kExtra0 = 5, kExtra1 = 6, kExtra2 = 7 };

namespace internal {

template <typename T>
T Max(const T& x, const T& y) { return x < y ? y : x; }
template <typename T>
T Min(const T& x, const T& y) { return y < x ? y : x; }

// log(exp(x) + exp(y) + exp(z)) without overflow (the paper's torch.logsumexp).
template <typename T>
T LogSumExp(const T& x, const T& y, const T& z) {
  using std::exp;
  using std::log;
  const T m = Max(Max(x, y), z);
  return m + log(exp(x - m) + exp(y - m) + exp(z - m));
}

}  // namespace internal

// The building blocks of the forms, public for sim/ (which evaluates decompositions and the
// compute-optimal line on plain doubles). Each is generic over the value type, as LogLoss.

// log G, with G = (alpha A / (beta B))^(1/(alpha+beta)) (Eq. 3), of coefficients `c`.
template <typename T>
T LogG(const T* c) {
  return paper::Eq3LogG(c[kA], c[kB], c[kAlpha], c[kBeta]);
}

// log of the compute-optimal parameter count for U unique tokens: G (G U)^(beta/alpha) (Eq. 15).
template <typename T, typename V>
T LogOptimalParamsForData(const T* c, const V& log_u) {
  const T log_g = LogG(c);
  return log_g + c[kBeta] / c[kAlpha] * (log_u + log_g);
}

// Eq. 5 / 6: X' = U + U R* (1 - exp(-R/R*)), returned as log X'.
template <typename T, typename V>
T LogExpDecay(const V& log_u, const V& r, const T& r_star) {
  using std::expm1;
  using std::log1p;
  return log_u + log1p(-r_star * expm1(-r / r_star));
}

// Eq. 10: X' = U + (1-delta) U (1 - (1-delta)^R) / delta.
template <typename T, typename V>
T LogGeometric(const V& log_u, const V& r, const T& delta) {
  using std::exp;
  using std::log;
  using std::log1p;
  const T keep = T(1.0) - delta;
  return log_u + log1p(keep * (T(1.0) - exp(r * log(keep))) / delta);
}

// Eq. 18: X' = U (1 - exp(-R*)^(R+1)) / (1 - exp(-R*)).
template <typename T, typename V>
T LogExplicitExponential(const V& log_u, const V& r, const T& r_star) {
  using std::expm1;
  using std::log;
  return log_u + log(expm1(-r_star * (r + V(1.0))) / expm1(-r_star));
}

// log L(N, D, U) for `form` with coefficients `c` (layout: Info(form).coefficients).
// T is the coefficient type, V the input type; either may be a ceres::Jet.
// U larger than D is read as "only D unique tokens are seen" (U_D = min(U, D)).
template <typename T, typename V>
T LogLoss(Form form, const T* c, const V& n, const V& d, const V& u) {
  using internal::LogSumExp;
  using internal::Max;
  using internal::Min;
  using std::exp;
  using std::log;
  const V u_d = Min(u, d);
  const V log_n = log(n), log_d = log(d), log_u = log(u_d);
  const V r_d = Max(d / u_d - V(1.0), V(0.0));
  const T& a = c[kA];
  const T& b = c[kB];
  const T& e = c[kE];
  const T& alpha = c[kAlpha];
  const T& beta = c[kBeta];

  // U_N = min(N, N_opt(U_D)) and R_N = N / U_N - 1 (App. A), as values of type T.
  auto param_excess = [&](T* log_u_n, T* r_n) {
    const T log_n_opt = LogOptimalParamsForData(c, log_u);
    if (T(log_n) < log_n_opt) {
      *log_u_n = T(log_n);
      *r_n = T(0.0);
    } else {
      *log_u_n = log_n_opt;
      *r_n = exp(T(log_n) - log_n_opt) - T(1.0);
    }
  };

  switch (form) {
    case Form::kChinchilla:
    case Form::kNoDecay:
      return LogSumExp(a - alpha * log_n, b - beta * log_d, e);
    case Form::kDataConstrained: {
      T log_u_n, r_n;
      param_excess(&log_u_n, &r_n);
      const T log_n_eff = LogExpDecay(log_u_n, r_n, c[kExtra1]);
      const T log_d_eff = LogExpDecay(T(log_u), T(r_d), c[kExtra0]);
      return LogSumExp(a - alpha * log_n_eff, b - beta * log_d_eff, e);
    }
    case Form::kDecayDataOnly: {
      const T log_d_eff = LogExpDecay(T(log_u), T(r_d), c[kExtra0]);
      return LogSumExp(a - alpha * log_n, b - beta * log_d_eff, e);
    }
    case Form::kDecayParamsOnly: {
      T log_u_n, r_n;
      param_excess(&log_u_n, &r_n);
      const T log_n_eff = LogExpDecay(log_u_n, r_n, c[kExtra0]);
      return LogSumExp(a - alpha * log_n_eff, b - beta * log_d, e);
    }
    case Form::kGeometric: {
      T log_u_n, r_n;
      param_excess(&log_u_n, &r_n);
      const T log_n_eff = LogGeometric(log_u_n, r_n, c[kExtra1]);
      const T log_d_eff = LogGeometric(T(log_u), T(r_d), c[kExtra0]);
      return LogSumExp(a - alpha * log_n_eff, b - beta * log_d_eff, e);
    }
    case Form::kExplicitExponential: {
      T log_u_n, r_n;
      param_excess(&log_u_n, &r_n);
      const T log_n_eff = LogExplicitExponential(log_u_n, r_n, c[kExtra1]);
      const T log_d_eff = LogExplicitExponential(T(log_u), T(r_d), c[kExtra0]);
      return LogSumExp(a - alpha * log_n_eff, b - beta * log_d_eff, e);
    }
    case Form::kAlphaBetaDecay: {
      // Eq. 22 as the paper's code: R_N = max(0, N / N_opt(U) - 1), N and D the raw totals.
      const T log_n_opt = LogOptimalParamsForData(c, log_u);
      const T r_n = Max(exp(T(log_n) - log_n_opt) - T(1.0), T(0.0));
      const T alpha_eff = alpha * Max(T(0.0), T(1.0) - r_n / c[kExtra1]);
      const T beta_eff = beta * Max(T(0.0), T(1.0) - T(r_d) / c[kExtra0]);
      return LogSumExp(a - alpha_eff * log_n, b - beta_eff * log_d, e);
    }
    case Form::kOverfittingPenalty: {
      // Coefficients a, b, e, alpha, beta, p = log P, delta, kappa. The penalty vanishes at one
      // epoch (R_D = 0), where R_D^delta would have no derivative.
      const T base = LogSumExp(a - alpha * log_n, b - beta * log_d, e);
      if (!(V(0.0) < r_d)) return base;
      const T log_penalty = c[kExtra0] + c[kExtra1] * T(log(r_d)) + c[kExtra2] * T(log_n - log_u);
      const T m = Max(base, log_penalty);
      return m + log(exp(base - m) + exp(log_penalty - m));
    }
    case Form::kBounded: {
      // Coefficients a, b, e, alpha, beta, rd_star, rn_star, l0 = log(L0 - E).
      T log_u_n, r_n;
      param_excess(&log_u_n, &r_n);
      const T log_n_eff = LogExpDecay(log_u_n, r_n, c[kExtra1]);
      const T log_d_eff = LogExpDecay(T(log_u), T(r_d), c[kExtra0]);
      const T t1 = a - alpha * log_n_eff, t2 = b - beta * log_d_eff;
      const T mh = Max(t1, t2);
      const T log_h = mh + log(exp(t1 - mh) + exp(t2 - mh));
      // log((L0 - E) h / (1 + h)) = l0 - softplus(-log h), softplus(x) = log(1 + e^x) stably.
      const T x = -log_h;
      const T abs_x = x < T(0.0) ? -x : x;
      const T log_bounded = c[kExtra2] - (Max(x, T(0.0)) + log1p(exp(-abs_x)));
      const T m = Max(e, log_bounded);
      return m + log(exp(e - m) + exp(log_bounded - m));
    }
  }
  return T(std::nan(""));
}

}  // namespace datawall::laws

#endif  // DATAWALL_LAWS_FORMS_H_
