#include "sim/iso_flop_line.h"

namespace datawall::sim {

DataConstrainedConstants DataConstrainedConstants::FromLaw(const laws::Law& law) {
  const auto& c = law.coefficients();
  DataConstrainedConstants k;
  k.a = c[laws::kA];
  k.b = c[laws::kB];
  k.e = c[laws::kE];
  k.alpha = c[laws::kAlpha];
  k.beta = c[laws::kBeta];
  k.rd_star = c[laws::kExtra0];
  k.rn_star = c[laws::kExtra1];
  k.inv_rd_star = 1.0 / k.rd_star;
  k.inv_rn_star = 1.0 / k.rn_star;
  k.log_alpha = std::log(k.alpha);
  k.log_beta = std::log(k.beta);
  k.log_g = laws::LogG(c.data());
  k.params_exponent = k.beta / (k.alpha + k.beta);
  k.irreducible = std::exp(k.e);
  k.log_rd_over_rn = std::log(k.rd_star / k.rn_star);
  k.log_rd_times_rn = std::log(k.rd_star * k.rn_star);
  return k;
}

double IsoFlopLine::Curvature(const LinePoint& p) const {
  const DataConstrainedConstants& c = *k;
  const double gamma_d = c.beta * std::exp(p.log_data_term) * p.p_d;
  const double gamma_n = c.alpha * std::exp(p.log_params_term) * p.p_n;
  const double dlog_p_d = -1.0 + (1.0 + p.r_d) * c.inv_rd_star + p.p_d;
  const double dlog_p_n = p.r_n > 0 ? 1.0 - (1.0 + p.r_n) * c.inv_rn_star - p.p_n : 0.0;
  return gamma_d * (c.beta * p.p_d + dlog_p_d) - gamma_n * (-c.alpha * p.p_n + dlog_p_n);
}

}  // namespace datawall::sim
