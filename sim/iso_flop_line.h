// The data-constrained law (paper Eq. 14) restricted to one iso-FLOP line, in closed form.
//
// Along 6 N D = C the problem is one-dimensional in x = ln N (D = C / (6 N)). This header holds
// the analytic pieces the exact allocator needs: the constants of a data-constrained law, the
// breakpoints of the line (where D = U, where N = U_N, the Chinchilla point), and, in the
// repeated-data region (D > U), the log-ratio of the two terms' slopes
//
//     h(x) = ln(beta T_D P_D) - ln(alpha T_N P_N),   dL/dx = alpha T_N P_N (e^h - 1),
//
// with T_N = A / N'^alpha, T_D = B / D'^beta, P_N = d ln N'/dx, P_D = -d ln D'/dx, and its
// exact derivative h'(x). docs/sim.md proves h' >= ln(1 + beta) + alpha + 1/R_D* > 0 there for
// any positive constants, so dL/dx changes sign at most once: the root of h is the optimum.
//
// It is deliberately not a general law evaluator (laws/forms.h is) and allocates nothing: plain
// doubles only, so one allocation costs well under a microsecond.
#ifndef DATAWALL_SIM_ISO_FLOP_LINE_H_
#define DATAWALL_SIM_ISO_FLOP_LINE_H_

#include <cmath>

#include "laws/law.h"

namespace datawall::sim {

// Constants of a data-constrained law (laws::Form::kDataConstrained), precomputed once.
struct DataConstrainedConstants {
  double a = 0, b = 0, e = 0;  // logs of A, B, E
  double alpha = 0, beta = 0;
  double rd_star = 0, rn_star = 0;
  double inv_rd_star = 0, inv_rn_star = 0;
  double log_alpha = 0, log_beta = 0;
  double log_g = 0;          // ln G, G = (alpha A / (beta B))^(1 / (alpha + beta))  (Eq. 3)
  double params_exponent = 0;  // beta / (alpha + beta): N_opt = G (C/6)^params_exponent
  double irreducible = 0;    // E = e^e
  double log_rd_over_rn = 0;   // ln(R_D* / R_N*), for the solver's starting point
  double log_rd_times_rn = 0;  // ln(R_D* R_N*)

  // Requires law.form() == kDataConstrained (not checked here; see allocate.cc).
  static DataConstrainedConstants FromLaw(const laws::Law& law);
};

// Everything the solver needs at one x in the repeated-data region (D > U).
struct LinePoint {
  double h = 0;        // ln(beta T_D P_D) - ln(alpha T_N P_N)
  double dh_dx = 0;    // exact derivative of h
  double log_params_term = 0;  // ln T_N
  double log_data_term = 0;    // ln T_D
  double p_n = 0;      // d ln N' / dx
  double p_d = 0;      // -d ln D' / dx
  double r_n = 0;      // R_N = N / U_N - 1
  double r_d = 0;      // R_D = D / U - 1
};

// One iso-FLOP line: budget C FLOPs and U unique tokens, in logs.
struct IsoFlopLine {
  const DataConstrainedConstants* k = nullptr;
  double log_k = 0;          // ln(C / 6) = ln(N D)
  double log_u = 0;          // ln U
  double x_one_epoch = 0;    // ln N where D = U (x > this: a single epoch or less)
  double x_unique_params = 0;  // ln U_N(U) = ln N_opt(U) (Eq. 15): x > this has R_N > 0
  double x_chinchilla = 0;   // ln N_opt(C) (Eq. 3)

  IsoFlopLine(const DataConstrainedConstants& constants, double log_flops_over_6, double log_unique)
      : k(&constants), log_k(log_flops_over_6), log_u(log_unique) {
    x_one_epoch = log_k - log_u;
    x_unique_params = k->log_g + k->beta / k->alpha * (log_u + k->log_g);
    x_chinchilla = k->log_g + k->params_exponent * log_k;
  }

  // Valid for x <= x_one_epoch (R_D >= 0 with U_D = U).
  LinePoint RepeatedRegion(double x) const {
    const DataConstrainedConstants& c = *k;
    LinePoint p;
    const double t = x_one_epoch - x;  // ln(1 + R_D)
    const double r_d = std::expm1(t);
    const double q_d = r_d * c.inv_rd_star;
    const double em_d = std::expm1(-q_d);  // e^{-R_D/R_D*} - 1
    const double log_f_d = std::log1p(-c.rd_star * em_d);  // ln(D'/U)
    p.log_data_term = c.b - c.beta * (log_u + log_f_d);
    const double log_p_d = t - q_d - log_f_d;
    p.p_d = std::exp(log_p_d);
    p.r_d = r_d;
    double log_n_eff, log_p_n, dh;
    dh = (1.0 + c.beta) * p.p_d + (1.0 + r_d) * c.inv_rd_star - 1.0;
    if (x > x_unique_params) {
      const double s = x - x_unique_params;  // ln(1 + R_N)
      const double r_n = std::expm1(s);
      const double q_n = r_n * c.inv_rn_star;
      const double em_n = std::expm1(-q_n);
      const double log_f_n = std::log1p(-c.rn_star * em_n);
      log_n_eff = x_unique_params + log_f_n;
      log_p_n = s - q_n - log_f_n;
      p.p_n = std::exp(log_p_n);
      p.r_n = r_n;
      dh += (1.0 + c.alpha) * p.p_n - 1.0 + (1.0 + r_n) * c.inv_rn_star;
    } else {
      log_n_eff = x;
      log_p_n = 0.0;
      p.p_n = 1.0;
      dh += c.alpha;
    }
    p.log_params_term = c.a - c.alpha * log_n_eff;
    p.h = (c.log_beta + p.log_data_term + log_p_d) - (c.log_alpha + p.log_params_term + log_p_n);
    p.dh_dx = dh;
    return p;
  }

  // Loss at a point of the repeated region.
  double Loss(const LinePoint& p) const {
    return k->irreducible + std::exp(p.log_params_term) + std::exp(p.log_data_term);
  }
  // dL/dx and d2L/dx2 at a point of the repeated region (exact).
  double Slope(const LinePoint& p) const {
    return k->beta * std::exp(p.log_data_term) * p.p_d -
           k->alpha * std::exp(p.log_params_term) * p.p_n;
  }
  double Curvature(const LinePoint& p) const;
};

}  // namespace datawall::sim

#endif  // DATAWALL_SIM_ISO_FLOP_LINE_H_
