#include "laws/fit_objective.h"

#include <limits>

namespace datawall::laws::internal {
namespace {

inline double ValueOf(double x) { return x; }
template <typename T, int N>
double ValueOf(const ceres::Jet<T, N>& j) { return j.a; }

template <typename T>
T HuberOf(const T& r, double delta) {
  const T a = r < T(0.0) ? -r : r;
  return a < T(delta) ? T(0.5) * r * r : T(delta) * (a - T(0.5 * delta));
}

// The whole objective as one function of the search vector y (for line-search BFGS).
template <int K>
struct TotalObjective {
  const Mapping* m;
  const std::vector<PreparedRun>* runs;
  const std::vector<Transform>* transforms;
  double delta;
  bool mle;
  template <typename T>
  bool operator()(const T* y, T* cost) const {
    T x[K];
    for (int j = 0; j < K; ++j) x[j] = FromSearch(y[j], (*transforms)[j]);
    T c[kMaxCoefficients];
    for (int i = 0; i < kMaxCoefficients; ++i) c[i] = m->index[i] < 0 ? T(m->fixed[i]) : x[m->index[i]];
    T total(0.0);
    if (!mle) {
      for (const PreparedRun& run : *runs) {
        total += HuberOf(LogLoss(m->form, c, run.n, run.d, run.u) - run.log_loss, delta);
      }
      *cost = total;
      return Finite(total);
    }
    // Huber likelihood: residuals first, then the profiled scale (a constant for the gradient).
    std::vector<T> r;
    std::vector<double> values;
    for (const PreparedRun& run : *runs) {
      r.push_back(LogLoss(m->form, c, run.n, run.d, run.u) - run.log_loss);
      values.push_back(ValueOf(r.back()));
    }
    const int n = static_cast<int>(r.size());
    const double sigma = ProfiledHuberScale(values.data(), n, delta);
    if (!(sigma > 0) || !std::isfinite(sigma)) return false;
    total = T(n * (HuberLogNormalizer(delta) + std::log(sigma)));
    for (const T& ri : r) total += HuberOf(ri * T(1.0 / sigma), delta);
    *cost = total;
    return Finite(total);
  }
};

template <int K>
ceres::FirstOrderFunction* MakeObjectiveK(const Mapping* m, const std::vector<PreparedRun>* runs,
                                          const std::vector<Transform>* transforms, double delta,
                                          bool mle) {
  return new ceres::AutoDiffFirstOrderFunction<TotalObjective<K>, K>(
      new TotalObjective<K>{m, runs, transforms, delta, mle});
}

ceres::FirstOrderFunction* MakeJetObjective(const Mapping* m, const std::vector<PreparedRun>* runs,
                                            const std::vector<Transform>* transforms, double delta,
                                            bool mle) {
  switch (m->k) {
    case 1: return MakeObjectiveK<1>(m, runs, transforms, delta, mle);
    case 2: return MakeObjectiveK<2>(m, runs, transforms, delta, mle);
    case 3: return MakeObjectiveK<3>(m, runs, transforms, delta, mle);
    case 4: return MakeObjectiveK<4>(m, runs, transforms, delta, mle);
    case 5: return MakeObjectiveK<5>(m, runs, transforms, delta, mle);
    case 6: return MakeObjectiveK<6>(m, runs, transforms, delta, mle);
    case 7: return MakeObjectiveK<7>(m, runs, transforms, delta, mle);
    default: return MakeObjectiveK<8>(m, runs, transforms, delta, mle);
  }
}

// Eq. 14 with value and gradient by hand. Per evaluation: G and its derivatives (coefficient
// only); per run: one branch of U_N = min(N, N_opt(U_D)), the two decays and the log-sum-exp.
// Same arithmetic as forms.h's LogLoss for the value (see the header's test).
class DataConstrainedObjective : public ceres::FirstOrderFunction {
 public:
  DataConstrainedObjective(const Mapping* m, const std::vector<PreparedRun>* runs,
                           const std::vector<Transform>* transforms, double delta, bool mle)
      : m_(m), transforms_(transforms), delta_(delta), mle_(mle) {
    // With R_D* frozen, D' and its derivative are data: computed once here.
    rd_star_frozen_ = m->index[kExtra0] < 0;
    for (const PreparedRun& run : *runs) {
      const double u_d = std::min(run.u, run.d);
      Run r{std::log(run.n), std::log(u_d), std::max(run.d / u_d - 1.0, 0.0), run.log_loss, 0, 0};
      if (rd_star_frozen_) DataTerm(r.log_u, r.r_d, m->fixed[kExtra0], &r.log_d_eff, &r.dd_drd);
      runs_.push_back(r);
    }
    residuals_.resize(runs_.size());
  }

  int NumParameters() const override { return m_->k; }

  bool Evaluate(const double* y, double* cost, double* gradient) const override {
    const int k = m_->k;
    std::array<double, kMaxCoefficients> c = m_->fixed;
    std::array<double, kMaxCoefficients> dx_dy{};
    for (int i = 0; i < kMaxCoefficients; ++i) {
      const int j = m_->index[i];
      if (j < 0) continue;
      const Transform& t = (*transforms_)[j];
      if (t.kind == Transform::kNone) {
        c[i] = y[j];
        dx_dy[j] = 1;
      } else {
        const double s = 1 / (1 + std::exp(-y[j]));
        const double v = t.lo + (t.hi - t.lo) * s;
        const double dv = (t.hi - t.lo) * s * (1 - s);
        c[i] = t.kind == Transform::kLogBox ? std::exp(v) : v;
        dx_dy[j] = t.kind == Transform::kLogBox ? c[i] * dv : dv;
      }
    }
    std::array<double, kMaxCoefficients> g{};  // d total / d c
    double total = 0;
    if (!mle_) {
      total = Sum(c, [&](double r) { return Huber(r, delta_); },
                  [&](double r) { return std::abs(r) < delta_ ? r : (r < 0 ? -delta_ : delta_); },
                  gradient != nullptr ? &g : nullptr);
    } else {
      // Huber likelihood: a value-only pass for the residuals, the profiled scale, then the
      // sum at that scale (its gradient is the partial one: the envelope theorem).
      Sum(c, [](double) { return 0.0; }, [](double) { return 0.0; }, nullptr, &residuals_);
      const int n = static_cast<int>(residuals_.size());
      const double sigma = ProfiledHuberScale(residuals_.data(), n, delta_);
      if (!(sigma > 0) || !std::isfinite(sigma)) return false;
      const double t = 1 / sigma;
      total = n * (HuberLogNormalizer(delta_) + std::log(sigma)) +
              Sum(c, [&](double r) { return Huber(r * t, delta_); },
                  [&](double r) {
                    const double x = r * t;
                    return (std::abs(x) < delta_ ? x : (x < 0 ? -delta_ : delta_)) * t;
                  },
                  gradient != nullptr ? &g : nullptr);
    }
    *cost = total;
    if (!std::isfinite(total)) return false;
    if (gradient != nullptr) {
      std::fill(gradient, gradient + k, 0.0);
      for (int i = 0; i < kMaxCoefficients; ++i) {
        if (m_->index[i] >= 0) gradient[m_->index[i]] += g[i];
      }
      for (int j = 0; j < k; ++j) {
        gradient[j] *= dx_dy[j];
        if (!std::isfinite(gradient[j])) return false;
      }
    }
    return true;
  }

 private:
  // sum_i value(r_i) over the runs at full coefficients c; with g_out, adds
  // sum_i slope(r_i) d r_i / d c; with residuals, stores every r_i.
  template <class Value, class Slope>
  double Sum(const std::array<double, kMaxCoefficients>& c, const Value& value, const Slope& slope,
             std::array<double, kMaxCoefficients>* g_out,
             std::vector<double>* residuals = nullptr) const {
    const double a = c[kA], b = c[kB], e = c[kE], alpha = c[kAlpha], beta = c[kBeta];
    const double rd_star = c[kExtra0], rn_star = c[kExtra1];
    // log G and d log N_opt / d(a, b, alpha, beta) = dG-part + (beta/alpha) (log U + log G) part.
    const double sum = alpha + beta;
    const double log_g = (std::log(alpha) + a - std::log(beta) - b) / sum;
    const double ratio = beta / alpha;
    const double dlg_da = 1 / sum, dlg_db = -1 / sum;
    const double dlg_dalpha = (1 / alpha - log_g) / sum, dlg_dbeta = (-1 / beta - log_g) / sum;
    double total = 0;
    for (const Run& run : runs_) {
      // Parameters: U_N = min(N, N_opt(U_D)), R_N, N' (Eq. 6).
      const double log_n_opt = log_g + ratio * (run.log_u + log_g);
      double log_n_eff = run.log_n, dn_dlognopt = 0, dn_drn = 0;
      if (!(run.log_n < log_n_opt)) {
        const double r_n = std::exp(run.log_n - log_n_opt) - 1;
        const double em1 = std::expm1(-r_n / rn_star), q = em1 + 1;
        const double f = 1 - rn_star * em1;
        log_n_eff = log_n_opt + std::log1p(-rn_star * em1);
        dn_dlognopt = 1 - q / f * (1 + r_n);
        dn_drn = (-em1 - r_n / rn_star * q) / f;
      }
      // Data: D' (Eq. 5).
      double log_d_eff = run.log_d_eff, dd_drd = run.dd_drd;
      if (!rd_star_frozen_) DataTerm(run.log_u, run.r_d, rd_star, &log_d_eff, &dd_drd);
      // log L = LSE(t1, t2, e) as forms.h computes it (exp(0) = 1 exactly for the largest).
      const double t1 = a - alpha * log_n_eff, t2 = b - beta * log_d_eff;
      const double mx = std::max(std::max(t1, t2), e);
      const double x1 = t1 == mx ? 1.0 : std::exp(t1 - mx);
      const double x2 = t2 == mx ? 1.0 : std::exp(t2 - mx);
      const double x3 = e == mx ? 1.0 : std::exp(e - mx);
      const double z = x1 + x2 + x3;
      const double log_l = mx + std::log(z);
      const double r = log_l - run.log_loss;
      if (residuals != nullptr) (*residuals)[&run - runs_.data()] = r;
      total += value(r);
      if (g_out == nullptr) continue;
      const double h = slope(r);
      const double w1 = h * x1 / z, w2 = h * x2 / z, w3 = h * x3 / z;
      // d log N_opt / d coefficient, through log G and the beta/alpha exponent.
      const double k1 = 1 + ratio, base = run.log_u + log_g;
      const double dno_da = k1 * dlg_da, dno_db = k1 * dlg_db;
      const double dno_dalpha = k1 * dlg_dalpha - ratio / alpha * base;
      const double dno_dbeta = k1 * dlg_dbeta + base / alpha;
      const double s1 = -alpha * dn_dlognopt;  // d t1 / d log N_opt
      (*g_out)[kA] += w1 * (1 + s1 * dno_da);
      (*g_out)[kB] += w2 + w1 * s1 * dno_db;
      (*g_out)[kE] += w3;
      (*g_out)[kAlpha] += w1 * (-log_n_eff + s1 * dno_dalpha);
      (*g_out)[kBeta] += -w2 * log_d_eff + w1 * s1 * dno_dbeta;
      (*g_out)[kExtra0] += -w2 * beta * dd_drd;
      (*g_out)[kExtra1] += -w1 * alpha * dn_drn;
    }
    return total;
  }

  struct Run {
    double log_n, log_u, r_d, log_loss;
    double log_d_eff, dd_drd;  // only when R_D* is frozen
  };

  // log D' = log U_D + log(1 + R_D* (1 - e^(-R_D/R_D*))) and its derivative in R_D*.
  static void DataTerm(double log_u, double r_d, double rd_star, double* log_d_eff,
                       double* dd_drd) {
    const double em1 = std::expm1(-r_d / rd_star), p = em1 + 1;
    *log_d_eff = log_u + std::log1p(-rd_star * em1);
    *dd_drd = (-em1 - r_d / rd_star * p) / (1 - rd_star * em1);
  }

  static double Huber(double r, double delta) {
    const double abs_r = std::abs(r);
    return abs_r < delta ? 0.5 * r * r : delta * (abs_r - 0.5 * delta);
  }

  bool rd_star_frozen_ = false;
  const Mapping* m_;
  const std::vector<Transform>* transforms_;
  double delta_;
  bool mle_;
  std::vector<Run> runs_;
  // Scratch for the likelihood's residual pass: each start owns its objective (one thread).
  mutable std::vector<double> residuals_;
};

}  // namespace

double HuberLogNormalizer(double delta) {
  return std::log(std::sqrt(2 * M_PI) * std::erf(delta / std::sqrt(2.0)) +
                  2 * std::exp(-0.5 * delta * delta) / delta);
}

double ProfiledHuberScale(const double* r, int n, double delta) {
  double sum_abs = 0, min_abs = std::numeric_limits<double>::infinity();
  for (int i = 0; i < n; ++i) {
    const double a = std::abs(r[i]);
    sum_abs += a;
    if (a > 0) min_abs = std::min(min_abs, a);
  }
  if (!(sum_abs > 0) || !std::isfinite(sum_abs)) return 0;
  // In t = 1/sigma, stationarity is g(t) = sum_i phi(r_i t) = n with g increasing from 0.
  // phi(x) <= delta |x| gives g(lo) <= n; at hi every |r_i| hi >= delta, so g(hi) = delta hi
  // sum |r_i| >= n. All residuals in the linear part already at lo: lo is exact (sigma* = delta
  // mean |r_i|, the Laplace limit).
  double lo = n / (delta * sum_abs), hi = std::max(lo, delta / min_abs), t = lo;
  for (int iteration = 0; iteration < 200; ++iteration) {
    double g = 0, dg = 0;
    for (int i = 0; i < n; ++i) {
      const double a = std::abs(r[i]), x = a * t;
      if (x <= delta) {
        g += x * x;
        dg += 2 * a * x;
      } else {
        g += delta * x;
        dg += delta * a;
      }
    }
    const double f = g - n;
    if (std::abs(f) <= 1e-14 * n) break;
    (f < 0 ? lo : hi) = t;
    if (hi - lo <= 1e-15 * hi) break;
    double next = t - f / dg;  // Newton, or a geometric bisection when it leaves the bracket
    if (!(next > lo && next < hi)) next = std::sqrt(lo * hi);
    t = next;
  }
  return 1 / t;
}

double ProfiledHuberNll(const double* r, int n, double delta, double* sigma) {
  const double s = ProfiledHuberScale(r, n, delta);
  if (sigma != nullptr) *sigma = s;
  if (!(s > 0)) return -std::numeric_limits<double>::infinity();
  double total = n * (HuberLogNormalizer(delta) + std::log(s));
  for (int i = 0; i < n; ++i) {
    const double x = std::abs(r[i]) / s;
    total += x < delta ? 0.5 * x * x : delta * (x - 0.5 * delta);
  }
  return total;
}

ceres::FirstOrderFunction* MakeObjective(const Mapping* m, const std::vector<PreparedRun>* runs,
                                         const std::vector<Transform>* transforms, double delta,
                                         bool analytic, bool mle) {
  if (analytic && m->form == Form::kDataConstrained) {
    return new DataConstrainedObjective(m, runs, transforms, delta, mle);
  }
  return MakeJetObjective(m, runs, transforms, delta, mle);
}

}  // namespace datawall::laws::internal
